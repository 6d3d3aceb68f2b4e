"""``POST /api/v1/me/dossiers``: the whole submission in one request, all or nothing.

Every refusal leaves nothing behind: no draft, no attachment row, no audit entry, no
dossier, no file in the storage (files stored before a later file was refused are removed).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.accounts.tests.factories import UserFactory
from egov.api.services import api_token_issue
from egov.api.tests.helpers import assert_error, bearer
from egov.core.attachments.models import Attachment
from egov.core.audit.models import AuditEvent
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office
from egov.eservices.models import DossierDraft
from egov.eservices.tests.wizard_helpers import (
    VALID_APPLICANT,
    VALID_FORM,
    citizen_profile,
    exe_file,
    online_procedure,
    pdf_file,
    png_file,
)
from egov.notifications.models import Message

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/dossiers"
#: The statements of one submission (savepoints included), measured with the version in the
#: shared cache (SQLite, the token issued inside the block too); about 15 more before the
#: cached version, the claims at once and the bulk inserts.
QUERY_BUDGET = 71
APPLICANT = {
    k: v
    for k, v in VALID_APPLICANT.items()
    if k in ("full_name", "id_number", "birth_date", "phone", "email", "address")
}


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    """Files on a real disk, as deployed, so that what is left behind can be seen."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


@pytest.fixture
def setup(media: Path) -> Any:
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    first, second, conditional = list(version.cases.get().documents.order_by("order", "pk"))
    return office, version, (str(first.pk), str(second.pk), str(conditional.pk))


def payload(office: Any, version: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "procedure_code": version.procedure.code,
        "receiving_agency_id": office.desk_a.pk,
        "applicant": dict(APPLICANT),
        "form": {**VALID_FORM, "cam_ket": True, "von": 150000000},
        "return_method": "desk",
        "notify_sms": True,
        "notify_email": True,
    }
    data.update(changes)
    return data


def post(
    client: Client,
    user: Any,
    data: Any,
    files: dict[str, Any] | None = None,
    key: str | None = None,
) -> Any:
    body: dict[str, Any] = {"data": data if isinstance(data, str) else json.dumps(data)}
    body.update(files or {})
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(URL, body, **bearer(api_token_issue(user=user).raw), **extra)


def two_files(slots: tuple[str, str, str]) -> dict[str, Any]:
    return {f"document:{slots[0]}": pdf_file(), f"document:{slots[1]}": png_file()}


def files_on_disk(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def assert_nothing_saved(media: Path) -> None:
    assert DossierDraft.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert Dossier.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="eservices.").exists()
    assert not AuditEvent.objects.filter(action__startswith="attachments.").exists()
    assert files_on_disk(media) == []


def test_one_request_makes_the_dossier(client: Client, setup: Any, media: Path) -> None:
    office, version, slots = setup
    response = post(client, office.citizen, payload(office, version), two_files(slots))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {
        "code",
        "status",
        "submitted_at",
        "acceptance_due_at",
        "unpaid_amount",
        "receipt_url",
    }
    dossier = Dossier.objects.get(code=body["code"])
    assert body["status"] == "submitted" and dossier.channel == "online"
    assert body["unpaid_amount"] == 150000
    assert dossier.applicant_user == office.citizen
    assert dossier.form_data["ten_ho"] == "Hộ kinh doanh Minh An"
    components = list(dossier.components.order_by("order"))
    assert [str(c.document_id) for c in components] == list(slots[:2])
    assert all(c.attachments.count() == 1 for c in components)
    stored = list(Attachment.objects.all())
    assert len(stored) == 2
    assert {(a.owner_type, a.owner_id) for a in stored} == {("dossiers.dossier", str(dossier.pk))}
    assert len(files_on_disk(media)) == 2
    draft = DossierDraft.objects.get()
    assert draft.dossier == dossier and draft.step == "review"
    assert draft.applicant["full_name"] == "Nguyễn Văn An"
    # The same audit trail as the wizard's steps, and the same confirmation.
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "eservices.draft.create",
        "eservices.draft.save_applicant",
        "eservices.draft.save_form",
        "eservices.draft.upload",
        "eservices.draft.submit",
        "attachments.attachment.create",
        "attachments.attachment.claim",
        "dossiers.submit",
    } <= actions
    assert set(Message.objects.values_list("channel", flat=True)) == {"sms", "email"}


def test_a_retry_with_the_same_key_returns_the_same_dossier(client: Client, setup: Any) -> None:
    office, version, slots = setup
    data = payload(office, version)
    first = post(client, office.citizen, data, two_files(slots), key="k-1")
    assert first.status_code == 201, first.content
    messages = Message.objects.count()
    again = post(client, office.citizen, data, two_files(slots), key="k-1")
    assert again.status_code == 200, again.content
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
    assert DossierDraft.objects.count() == 1
    assert Attachment.objects.count() == 2
    assert Message.objects.count() == messages  # no second SMS or e-mail
    # Without a key, the same request is a new dossier.
    other = post(client, office.citizen, data, two_files(slots))
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]


def test_a_used_key_with_another_request_is_a_conflict(client: Client, setup: Any) -> None:
    office, version, slots = setup
    assert (
        post(
            client, office.citizen, payload(office, version), two_files(slots), key="k"
        ).status_code
        == 201
    )
    changed = payload(office, version, return_method="postal")
    response = post(client, office.citizen, changed, two_files(slots), key="k")
    body = assert_error(response, 409, "draft.idempotency_key_reused")
    assert "Idempotency-Key" in body["message"]
    other_files = {f"document:{slots[0]}": png_file(), f"document:{slots[1]}": pdf_file()}
    response = post(client, office.citizen, payload(office, version), other_files, key="k")
    assert_error(response, 409, "draft.idempotency_key_reused")
    assert Dossier.objects.count() == 1
    # Keys are per user: another citizen may use the same one.
    other = UserFactory(kind="citizen", phone="0905999888", personal_id="049090009999")
    response = post(client, other, payload(office, version), two_files(slots), key="k")
    assert response.status_code == 201, response.content
    assert Dossier.objects.count() == 2


def test_a_key_longer_than_64_characters_is_refused(
    client: Client, setup: Any, media: Path
) -> None:
    office, version, slots = setup
    response = post(
        client, office.citizen, payload(office, version), two_files(slots), key="x" * 65
    )
    assert_error(response, 422, "draft.invalid")
    assert_nothing_saved(media)


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"procedure_code": "9.999999"}, 422, "draft.not_found", None),
        ({"receiving_agency_id": 999999}, 422, "draft.invalid", "receiving_agency"),
        ({"case_id": 999999}, 422, "draft.invalid", "case"),
        ({"applicant": {**APPLICANT, "id_number": "12345"}}, 422, "draft.invalid", "id_number"),
        ({"applicant": {**APPLICANT, "phone": "abc"}}, 422, "draft.invalid", "phone"),
        ({"return_method": "pigeon"}, 422, "draft.invalid", "return_method"),
        ({"form": {**VALID_FORM, "ten_ho": "Quán"}}, 422, "draft.invalid", "ten_ho"),
        ({"form": {}}, 422, "draft.invalid", "dia_chi"),
        ({"receiving_agency_id": "bàn 1"}, 422, "validation_error", None),
        ({"applicant": "Nguyễn Văn An"}, 422, "validation_error", None),
        ({"business_id": 999999}, 422, "draft.invalid", "business"),
    ],
)
def test_bad_data_saves_nothing(
    client: Client,
    setup: Any,
    media: Path,
    change: dict[str, Any],
    status: int,
    code: str,
    field: str | None,
) -> None:
    office, version, slots = setup
    response = post(client, office.citizen, payload(office, version, **change), two_files(slots))
    body = assert_error(response, status, code)
    if field is not None:
        assert field in body["details"], body
    assert_nothing_saved(media)


@pytest.mark.parametrize("data", ["", "{not json", "[1, 2]", json.dumps({"case_id": 1})])
def test_a_missing_or_malformed_data_part_is_422(
    client: Client, setup: Any, media: Path, data: str
) -> None:
    office, _version, slots = setup
    response = post(client, office.citizen, data, two_files(slots))
    assert_error(response, 422, "validation_error")
    assert_nothing_saved(media)


def test_documents_are_checked_before_anything_is_stored(
    client: Client, setup: Any, media: Path
) -> None:
    office, version, slots = setup
    data = payload(office, version)
    response = post(client, office.citizen, data, {f"document:{slots[0]}": pdf_file()})
    body = assert_error(response, 422, "draft.documents_missing")
    assert body["details"] == {"missing": ["Bản sao hợp đồng thuê nhà"]}
    response = post(
        client, office.citizen, data, {**two_files(slots), "document:999999": pdf_file()}
    )
    assert_error(response, 422, "draft.invalid")
    response = post(client, office.citizen, data, {**two_files(slots), "tep": pdf_file()})
    assert_error(response, 422, "draft.invalid")
    many = [pdf_file(f"tep-{i}.pdf") for i in range(11)]
    response = post(
        client,
        office.citizen,
        data,
        {f"document:{slots[0]}": many, f"document:{slots[1]}": png_file()},
    )
    assert_error(response, 422, "draft.invalid")
    assert_nothing_saved(media)


def test_a_refused_file_removes_the_files_already_stored(
    client: Client, setup: Any, media: Path
) -> None:
    office, version, slots = setup
    files = {f"document:{slots[0]}": pdf_file(), f"document:{slots[1]}": exe_file()}
    response = post(client, office.citizen, payload(office, version), files)
    body = assert_error(response, 415, "attachment.type_not_allowed")
    assert "virus.pdf" in body["message"]
    assert_nothing_saved(media)
    empty = SimpleUploadedFile("rong.pdf", b"", content_type="application/pdf")
    files = {f"document:{slots[0]}": pdf_file(), f"document:{slots[1]}": empty}
    response = post(client, office.citizen, payload(office, version), files)
    assert_error(response, 400, "attachment.empty")
    assert_nothing_saved(media)


def test_a_file_too_large_is_413(client: Client, setup: Any, media: Path, settings: Any) -> None:
    office, version, slots = setup
    settings.EGOV_UPLOAD_MAX_BYTES = 60
    response = post(client, office.citizen, payload(office, version), two_files(slots))
    assert_error(response, 413, "attachment.too_large")
    assert_nothing_saved(media)


def test_a_json_body_is_415(client: Client, setup: Any, media: Path) -> None:
    office, version, _slots = setup
    response = client.post(
        URL,
        data=payload(office, version),
        content_type="application/json",
        **bearer(api_token_issue(user=office.citizen).raw),
    )
    assert_error(response, 415, "draft.multipart_required")
    assert_nothing_saved(media)


def test_without_a_token_it_is_401(client: Client, setup: Any, media: Path) -> None:
    office, version, slots = setup
    response = client.post(URL, {"data": json.dumps(payload(office, version)), **two_files(slots)})
    assert response.status_code == 401
    assert_nothing_saved(media)


def test_the_national_front_door_refuses_it(
    client: Client, setup: Any, media: Path, settings: Any
) -> None:
    office, version, slots = setup
    settings.EGOV_ESERVICES_FRONT_DOOR = "national"
    response = post(client, office.citizen, payload(office, version), two_files(slots))
    assert_error(response, 403, "draft.national_front_door")
    assert_nothing_saved(media)


@pytest.mark.django_db(transaction=True)
def test_one_submission_stays_within_its_query_budget(
    client: Client, setup: Any, django_assert_max_num_queries: Any
) -> None:
    """One request, once the procedure's version is in the shared cache: the version read
    from the cache, both uploads claimed at once, the components and their links in one
    INSERT each, the notification checks one query per kind (docs/performance.md)."""
    office, version, slots = setup
    warm = post(client, office.citizen, payload(office, version), two_files(slots))
    assert warm.status_code == 201, warm.content
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = post(client, office.citizen, payload(office, version), two_files(slots))
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert [c.attachments.count() for c in dossier.components.order_by("order")] == [1, 1]
    assert Message.objects.filter(related_ref=dossier.code).count() == 2
