"""``/api/v1/me/drafts``: create, read, update with lock_version, attach, submit (idempotent)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from egov.accounts.tests.factories import UserFactory
from egov.api.services import api_token_issue
from egov.api.tests.helpers import assert_error, bearer
from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import build_office
from egov.eservices.tests.wizard_helpers import (
    VALID_APPLICANT,
    VALID_FORM,
    citizen_profile,
    exe_file,
    online_procedure,
    pdf_file,
    png_file,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/me/drafts"


@pytest.fixture
def setup() -> Any:
    office = build_office()
    citizen_profile(office)
    version = online_procedure()
    return office, version


def auth(user: Any) -> dict[str, str]:
    return bearer(api_token_issue(user=user).raw)


def send(client: Client, method: str, url: str, user: Any, data: Any = None) -> Any:
    call = getattr(client, method)
    if data is None:
        return call(url, **auth(user))
    return call(url, data=data, content_type="application/json", **auth(user))


def upload(client: Client, user: Any, file: Any) -> str:
    response = client.post("/api/v1/attachments", {"file": file}, **auth(user))
    assert response.status_code in (201, 400, 413), response.content
    return response


def create(client: Client, office: Any, version: Any) -> dict[str, Any]:
    response = send(
        client,
        "post",
        BASE,
        office.citizen,
        {"procedure_code": version.procedure.code, "receiving_agency_id": office.desk_a.pk},
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


def test_the_whole_flow_through_the_api(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    assert draft["applicant"]["id_number"] == "049090001234"
    assert len(draft["missing_documents"]) == 2
    applicant = {
        k: v
        for k, v in VALID_APPLICANT.items()
        if k in ("full_name", "id_number", "birth_date", "phone", "email", "address")
    }
    form = {**VALID_FORM, "cam_ket": True, "von": 150000000}
    response = send(
        client,
        "patch",
        f"{BASE}/{draft['uuid']}",
        office.citizen,
        {
            "lock_version": draft["lock_version"],
            "applicant": applicant,
            "notify_sms": True,
            "notify_email": True,
            "return_method": "desk",
            "form_data": form,
        },
    )
    assert response.status_code == 200, response.content
    draft = response.json()
    assert draft["form_data"]["von"] == 150000000
    slots = [d["document"] for d in draft["documents"]]
    for slot, file in zip(slots[:2], (pdf_file(), png_file()), strict=True):
        attachment = upload(client, office.citizen, file).json()["uuid"]
        response = send(
            client,
            "post",
            f"{BASE}/{draft['uuid']}/documents",
            office.citizen,
            {"document": slot, "attachment_uuid": attachment},
        )
        assert response.status_code == 200, response.content
    assert response.json()["missing_documents"] == []
    first = send(client, "post", f"{BASE}/{draft['uuid']}/submit", office.citizen, {})
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["status"] == "submitted" and body["unpaid_amount"] == 150000
    assert body["receipt_url"] == f"/api/v1/me/dossiers/{body['code']}/receipt.pdf"
    receipt = send(client, "get", body["receipt_url"], office.citizen)
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")
    again = send(client, "post", f"{BASE}/{draft['uuid']}/submit", office.citizen, {})
    assert again.status_code == 200 and again.json()["code"] == body["code"]
    # The same moments, in the same Vietnam-time format, the first time and on a replay.
    for key in ("submitted_at", "acceptance_due_at"):
        assert body[key].endswith("+07:00") and again.json()[key] == body[key]
    assert Dossier.objects.count() == 1
    detail = send(client, "get", f"{BASE}/{draft['uuid']}", office.citizen)
    assert detail.json()["dossier_code"] == body["code"]


def test_stale_lock_version_is_409_and_changes_nothing(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    url = f"{BASE}/{draft['uuid']}"
    ok = send(
        client,
        "patch",
        url,
        office.citizen,
        {
            "lock_version": draft["lock_version"],
            "form_data": {"ten_ho": "Hộ kinh doanh A"},
            "partial": True,
        },
    )
    assert ok.status_code == 200
    stale = send(
        client,
        "patch",
        url,
        office.citizen,
        {
            "lock_version": draft["lock_version"],
            "form_data": {"ten_ho": "Hộ kinh doanh B"},
            "partial": True,
        },
    )
    body = assert_error(stale, 409, "draft.conflict")
    assert body["details"]["lock_version"] == ok.json()["lock_version"]
    assert (
        send(client, "get", url, office.citizen).json()["form_data"]["ten_ho"] == "Hộ kinh doanh A"
    )


def test_invalid_form_data_is_400_with_field_errors(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    response = send(
        client,
        "patch",
        f"{BASE}/{draft['uuid']}",
        office.citizen,
        {"lock_version": draft["lock_version"], "form_data": {**VALID_FORM, "von": "5"}},
    )
    body = assert_error(response, 400, "draft.invalid")
    assert body["details"]["von"] == "Vốn kinh doanh không được nhỏ hơn 1.000.000."


def test_submit_with_missing_documents_is_400_with_the_list(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    send(
        client,
        "patch",
        f"{BASE}/{draft['uuid']}",
        office.citizen,
        {"lock_version": draft["lock_version"], "form_data": {**VALID_FORM, "cam_ket": True}},
    )
    response = send(client, "post", f"{BASE}/{draft['uuid']}/submit", office.citizen, {})
    body = assert_error(response, 400, "draft.documents_missing")
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in body["message"]
    assert len(body["details"]["missing"]) == 2
    assert not Dossier.objects.exists()


def test_wrong_type_upload_is_refused_by_the_attachments_endpoint(
    client: Client, setup: Any
) -> None:
    office, _version = setup
    response = upload(client, office.citizen, exe_file("don.pdf"))
    assert_error(response, 400, "attachment.type_not_allowed")


def test_attaching_someone_elses_upload_is_refused(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    other = UserFactory(username="khac")
    theirs = upload(client, other, pdf_file()).json()["uuid"]
    slot = draft["documents"][0]["document"]
    response = send(
        client,
        "post",
        f"{BASE}/{draft['uuid']}/documents",
        office.citizen,
        {"document": slot, "attachment_uuid": theirs},
    )
    assert_error(response, 400, "draft.invalid")


def test_someone_elses_draft_is_404(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    other = UserFactory(username="khac")
    url = f"{BASE}/{draft['uuid']}"
    assert_error(send(client, "get", url, other), 404, "draft.not_found")
    assert_error(
        send(client, "patch", url, other, {"lock_version": 1, "form_data": {}}),
        404,
        "draft.not_found",
    )
    assert_error(send(client, "post", f"{url}/submit", other, {}), 404, "draft.not_found")
    assert_error(send(client, "delete", url, other), 404, "draft.not_found")
    assert send(client, "get", BASE, other).json() == []


def test_without_a_token_is_401(client: Client, setup: Any) -> None:
    assert client.get(BASE).status_code == 401


def test_delete_a_draft(client: Client, setup: Any) -> None:
    office, version = setup
    draft = create(client, office, version)
    assert send(client, "delete", f"{BASE}/{draft['uuid']}", office.citizen).status_code == 204
    assert send(client, "get", BASE, office.citizen).json() == []


@override_settings(EGOV_ESERVICES_FRONT_DOOR="national")
def test_national_front_door_refuses_creation(client: Client, setup: Any) -> None:
    office, version = setup
    response = send(
        client,
        "post",
        BASE,
        office.citizen,
        {"procedure_code": version.procedure.code, "receiving_agency_id": office.desk_a.pk},
    )
    body = assert_error(response, 403, "draft.national_front_door")
    assert "Cổng Dịch vụ công quốc gia" in body["message"]


def test_the_list_reads_each_procedure_once(client: Client, setup: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office, version = setup
    create(client, office, version)
    with CaptureQueriesContext(connection) as one:
        assert len(send(client, "get", BASE, office.citizen).json()) == 1
    for _ in range(4):
        create(client, office, version)
    with CaptureQueriesContext(connection) as five:
        assert len(send(client, "get", BASE, office.citizen).json()) == 5
    # The procedure's version is read once for the list, not once per draft: each more
    # draft costs only its own files' query.
    assert len(five.captured_queries) <= len(one.captured_queries) + 4
