"""The dossier API: intake, detail, the whole lifecycle, errors (404/403/409/422), forms.

Every request goes through ``/api/v1/`` with a bearer token from ``POST /auth/token``,
exactly as an integration or the staff mobile app would call it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from egov.api.tests.helpers import assert_error
from egov.core.attachments.tests.factories import pdf_bytes
from egov.core.audit.models import AuditEvent
from egov.dossiers.constants import Status
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.tests.api_helpers import URL, ApiUser, assert_local_moment, intake_body
from egov.dossiers.tests.factories import make_staff
from egov.organizations.constants import Role

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^000\.21\.03\.T99-\d{6}-\d{4}$")


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    # The token endpoint's throttle counts in the cache: start every test from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clerk(client: Client, office: Any) -> ApiUser:
    return ApiUser(client, office.clerk)


@pytest.fixture
def received(clerk: ApiUser, permit: Any) -> dict[str, Any]:
    response = clerk.intake()
    assert response.status_code == 201, response.content
    return dict(response.json())


def upload(client: Client, user: ApiUser, name: str = "don.pdf") -> str:
    file = SimpleUploadedFile(name, pdf_bytes("Don de nghi"), content_type="application/pdf")
    response = client.post("/api/v1/attachments", {"file": file}, **user.headers)
    assert response.status_code == 201, response.content
    return str(response.json()["uuid"])


def actions_of(body: dict[str, Any]) -> list[str]:
    return [a["action"] for a in body["allowed_actions"]]


# --- intake ----------------------------------------------------------------------------------


def test_intake_at_the_desk_answers_201_with_the_dossier(
    client: Client, clerk: ApiUser, office: Any, permit: Any
) -> None:
    documents = permit.cases.get().ordered_documents()
    scan = upload(client, clerk)
    body = intake_body(
        applicant={
            "full_name": "Nguyễn Văn An",
            "personal_id": "049090001234",
            "phone": "0905 123 456",
            "email": "an@example.vn",
            "address": "Thôn 1, xã An Phú",
            "birth_date": "1990-05-17",
            "unit_code": office.commune_a.code,
        },
        submitter={"full_name": "Trần Thị Bích", "personal_id": "049190004321"},
        components=[
            {"document_id": documents[0].pk, "originals": 1, "attachments": [scan]},
            {"name": "Giấy tờ khác", "copies": 2},
        ],
        return_method="postal",
        return_address="Thôn 1, xã An Phú",
        subject="Xin phép xây nhà 3 tầng",
    )
    response = clerk.post(URL, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert CODE_RE.match(data["code"])
    assert response["Location"] == f"/api/v1/dossiers/{data['code']}"
    assert data["status"] == "received" and data["status_label"] == "Đã tiếp nhận"
    assert data["national_status"] == 2 and data["national_status_label"] == "Được tiếp nhận"
    for moment in ("received_at", "due_at", "current_due_at"):
        assert_local_moment(data[moment])
    assert data["due_at"] == data["current_due_at"]
    assert data["procedure"] == {
        "code": "1.009994",
        "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "version": 1,
    }
    assert data["applicant"]["personal_id"] == "049090001234"
    assert data["applicant"]["phone"] == "+84905123456"
    assert data["applicant"]["birth_date"] == "1990-05-17"
    assert data["applicant"]["unit"]["code"] == office.commune_a.code
    assert data["submitter"]["full_name"] == "Trần Thị Bích"
    assert data["receiving_agency"]["code"] == "000.21.03.T99"
    assert data["competent_agency"]["code"] == "000.21.01.T99"
    assert data["step"]["order"] == 1 and data["step"]["handler"]["id"] == office.clerk.pk
    assert data["fees"]["total"] == 150000 and data["fees"]["paid"] is True
    assert [c["name"] for c in data["components"]] == [documents[0].name, "Giấy tờ khác"]
    first = data["components"][0]
    assert first["digitised"] is True and first["attachments"][0]["uuid"] == scan
    assert data["return_method"] == "postal"
    assert [e["action"] for e in data["timeline"]] == ["receive"]
    assert data["timeline"][0]["actor"]["id"] == office.clerk.pk
    assert "forward" in actions_of(data)
    assert data["next_handlers"] == [
        {"id": office.specialist.pk, "name": data["next_handlers"][0]["name"]}
    ]
    assert data["version"] == 1
    # The scan now belongs to the dossier: whoever sees the dossier can download it.
    download = client.get(first["attachments"][0]["download_url"], **clerk.headers)
    assert download.status_code == 200


def test_intake_outcomes_ask_to_complete_or_refuse(clerk: ApiUser, permit: Any) -> None:
    incomplete = clerk.intake(outcome="incomplete", reason="Thiếu bản vẽ", items="Bản vẽ mặt bằng")
    assert incomplete.status_code == 201, incomplete.content
    assert incomplete.json()["status"] == "intake_incomplete"
    assert incomplete.json()["national_status"] == 5
    assert incomplete.json()["due_at"] is None
    refused = clerk.intake(outcome="refuse", reason="Không thuộc thẩm quyền")
    assert refused.status_code == 201
    assert refused.json()["status"] == "refused" and refused.json()["national_status"] == 3
    assert refused.json()["refusal_reason"] == "Không thuộc thẩm quyền"
    body = assert_error(clerk.intake(outcome="refuse"), 422, "dossiers.reason_required")
    assert body["details"][0]["loc"] == ["body", "reason"]


def test_online_submission_waits_for_acceptance(
    client: Client, clerk: ApiUser, office: Any, permit: Any
) -> None:
    submitted = clerk.intake(channel="online", receiving_agency="000.21.03.T99")
    assert submitted.status_code == 201, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted" and data["national_status"] == 1
    assert data["received_at"] is None and data["due_at"] is None
    assert actions_of(data)[:2] == ["accept", "refuse"]
    accepted = clerk.act(data["code"], "accept", note="Đủ thành phần")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "received"
    assert_local_moment(accepted.json()["due_at"])
    # An online dossier is refused or completed through the actions, not at intake.
    assert_error(
        clerk.intake(channel="online", outcome="refuse", reason="x"), 422, "validation_error"
    )


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"applicant": None}, ["body", "payload", "applicant"]),
        ({"applicant": {"full_name": ""}}, ["body", "payload", "applicant", "full_name"]),
        (
            {"applicant": {"full_name": "An", "personal_id": "12345"}},
            ["body", "payload", "applicant", "personal_id"],
        ),
        (
            {"applicant": {"full_name": "An", "email": "khong-phai-email"}},
            ["body", "payload", "applicant", "email"],
        ),
        ({"procedure_code": "abc"}, ["body", "payload", "procedure_code"]),
        ({"channel": "fax"}, ["body", "payload", "channel"]),
        ({"outcome": "maybe"}, ["body", "payload", "outcome"]),
        ({"componentz": []}, ["body", "payload", "componentz"]),
        ({"components": [{"originals": 1}]}, ["body", "payload", "components", 0]),
        (
            {"components": [{"name": "Đơn", "copies": 500}]},
            ["body", "payload", "components", 0, "copies"],
        ),
        ({"applicant": {"full_name": "A\x00n"}}, ["body", "payload", "applicant", "full_name"]),
    ],
)
def test_intake_with_a_bad_body_is_422_and_saves_nothing(
    clerk: ApiUser, permit: Any, change: dict[str, Any], loc: list[Any]
) -> None:
    body = assert_error(clerk.post(URL, intake_body(**change)), 422, "validation_error")
    assert loc in [d["loc"] for d in body["details"]], body["details"]
    assert all(d["message"] for d in body["details"])
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("change", "code", "loc"),
    [
        ({"procedure_code": "9.999999"}, "dossiers.procedure_unknown", ["body", "procedure_code"]),
        (
            {"competent_agency": "999.99.99.X00"},
            "dossiers.agency_invalid",
            ["body", "competent_agency"],
        ),
        (
            {"receiving_agency": "000.22.03.T99"},
            "dossiers.not_a_desk",
            ["body", "receiving_agency"],
        ),
        (
            {"applicant": {"full_name": "An", "phone": "12"}},
            "dossiers.applicant_invalid",
            ["body", "applicant", "phone"],
        ),
        (
            {"applicant": {"full_name": "An", "unit_code": "99999"}},
            "dossiers.applicant_invalid",
            ["body", "applicant", "unit_code"],
        ),
        (
            {"components": [{"document_id": 999999}]},
            "dossiers.component_invalid",
            ["body", "components", 0, "document_id"],
        ),
        (
            {
                "components": [
                    {"name": "Đơn", "attachments": ["8b0f3c1e-6a57-4c43-9d1c-2f7e0cb6c001"]}
                ]
            },
            "dossiers.attachment_invalid",
            ["body", "components", 0, "attachments"],
        ),
    ],
)
def test_intake_refused_by_the_service_is_422_with_the_field(
    clerk: ApiUser, permit: Any, change: dict[str, Any], code: str, loc: list[Any]
) -> None:
    body = assert_error(clerk.post(URL, intake_body(**change)), 422, code)
    assert body["details"][0]["loc"] == loc
    assert body["details"][0]["message"] == body["message"]
    assert not Dossier.objects.exists()


def test_intake_needs_a_desk_clerk_and_a_token(client: Client, office: Any, permit: Any) -> None:
    specialist = ApiUser(client, office.specialist)
    assert_error(specialist.intake(), 403, "dossiers.not_a_desk")
    assert_error(
        client.post(URL, intake_body(), content_type="application/json"), 401, "auth.token_invalid"
    )
    assert_error(client.get(URL), 401, "auth.token_invalid")
    clerk = ApiUser(client, office.clerk)
    assert_error(clerk.post_raw(URL, b"{not json"), 400, "malformed_json")
    assert not Dossier.objects.exists()


# --- detail ----------------------------------------------------------------------------------


def test_detail_shows_the_record(clerk: ApiUser, received: dict[str, Any]) -> None:
    response = clerk.detail(received["code"])
    assert response.status_code == 200
    assert response.json() == received
    assert_error(clerk.detail("khong-phai-ma"), 404, "dossiers.not_found")
    assert_error(clerk.detail("000.21.03.T99-260101-9999"), 404, "dossiers.not_found")


def test_organisation_applicant_with_a_tax_code(clerk: ApiUser, permit: Any) -> None:
    response = clerk.intake(
        applicant={
            "kind": "enterprise",
            "full_name": "Công ty TNHH Xây dựng Bình An",
            "tax_code": "0401234567",
        }
    )
    assert response.status_code == 201, response.content
    applicant = response.json()["applicant"]
    assert applicant["kind"] == "enterprise" and applicant["kind_label"] == "Doanh nghiệp"
    assert applicant["tax_code"] == "0401234567" and applicant["personal_id"] is None
    assert_error(
        clerk.intake(applicant={"full_name": "An", "tax_code": "0401234567"}),
        422,
        "validation_error",
    )


# --- the whole lifecycle ------------------------------------------------------------------------


def test_the_whole_lifecycle_through_the_api(
    client: Client, clerk: ApiUser, office: Any, permit: Any
) -> None:
    specialist = ApiUser(client, office.specialist)
    head = ApiUser(client, office.head)
    leader = ApiUser(client, office.leader)
    doc_clerk = ApiUser(client, office.doc_clerk)

    created = clerk.intake()
    assert created.status_code == 201
    code = created.json()["code"]
    handler = created.json()["next_handlers"][0]["id"]

    def step(user: ApiUser, action: str, status: str, national: int, **body: Any) -> dict[str, Any]:
        response = user.act(code, action, **body)
        assert response.status_code == 200, (action, response.content)
        data = dict(response.json())
        assert data["status"] == status and data["national_status"] == national, action
        return data

    data = step(clerk, "forward", "in_progress", 4, handler_id=handler, version=1)
    assert data["step"]["handler"]["id"] == office.specialist.pk and data["version"] == 2
    data = step(
        specialist,
        "request_supplement",
        "awaiting_supplement",
        5,
        reason="Thiếu bản vẽ mặt bằng",
        items="Bản vẽ mặt bằng tầng 1",
    )
    assert data["pauses"][0]["reason"] == "Thiếu bản vẽ mặt bằng"
    assert data["pauses"][0]["ended_at"] is None
    data = step(
        clerk,
        "supplement",
        "in_progress",
        4,
        note="Công dân nộp bổ sung",
        components=[{"name": "Bản vẽ mặt bằng tầng 1", "copies": 1}],
    )
    assert_local_moment(data["pauses"][0]["ended_at"])
    assert data["components"][-1]["from_supplement"] is True
    data = step(specialist, "forward", "in_progress", 4, note="Đủ điều kiện cấp phép")
    assert data["step"]["handler"]["id"] == office.head.pk
    data = step(head, "forward", "in_progress", 4)
    assert data["step"]["handler"]["id"] == office.leader.pk
    data = step(leader, "forward", "in_progress", 4)
    assert data["step"]["handler"]["id"] == office.doc_clerk.pk
    data = step(
        doc_clerk,
        "resolve",
        "resolved",
        9,
        results=[
            {"name": "Giấy phép xây dựng", "document_number": "12/GPXD", "signer": "Phạm Ngọc Dũng"}
        ],
    )
    assert data["results"][0]["document_number"] == "12/GPXD"
    assert data["step"]["handler"]["id"] == office.clerk.pk
    assert data["timing"] in ("early", "on_time")
    data = step(clerk, "return_result", "returned", 10, note="Đã trả tại quầy")
    assert data["step"] is None and data["allowed_actions"] == []
    assert_local_moment(data["returned_at"])
    assert [e["action"] for e in data["timeline"]] == [
        "receive",
        "forward",
        "request_supplement",
        "supplement",
        "forward",
        "forward",
        "forward",
        "resolve",
        "return_result",
    ]
    assert all(e["at"].endswith("+07:00") for e in data["timeline"])
    assert data["timeline"][1]["to"] == "Trần Văn Minh"
    assert data["version"] == 9
    control = clerk.get(f"{URL}/{code}/forms/control.pdf")
    assert control.status_code == 200 and control.content.startswith(b"%PDF")


# --- errors: scope, transitions, roles, bodies ------------------------------------------------


def test_out_of_scope_staff_get_404_nothing_changes_and_the_attempt_is_audited(
    client: Client, office: Any, received: dict[str, Any]
) -> None:
    outsider = ApiUser(client, office.clerk_b)
    code = received["code"]
    missing = code[:-4] + "9999"
    unknown = assert_error(outsider.act(missing, "forward"), 404, "dossiers.not_found")
    for response in (
        outsider.act(code, "forward"),
        outsider.act(code, "request_withdrawal", reason="Xin rút"),
        outsider.act(code, "refuse"),  # a bad body tells nothing either
        outsider.act(missing, "refuse"),
        outsider.detail(code),
        outsider.get(f"{URL}/{code}/forms/receipt.pdf"),
    ):
        body = assert_error(response, 404, "dossiers.not_found")
        assert body == unknown  # nothing tells an existing dossier from a missing one
    assert outsider.get(URL, q=code).json()["items"] == []
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RECEIVED and dossier.lock_version == 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == 1
    denied = AuditEvent.objects.filter(
        action="dossiers.access_denied", object_id=str(dossier.pk), actor=office.clerk_b
    )
    assert denied.count() == 3
    assert {e.after["attempted"] for e in denied} == {"forward", "request_withdrawal", "refuse"}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.UNIT_ADMIN])
def test_staff_outside_the_one_stop_roles_read_no_dossier_of_their_commune(
    client: Client, office: Any, received: dict[str, Any], role: str
) -> None:
    """A portal editor or unit admin of commune A: the console refuses them, so does the API."""
    reader = ApiUser(client, make_staff(role, office.pc_a))
    code = received["code"]
    unknown = assert_error(reader.detail(code[:-4] + "9999"), 404, "dossiers.not_found")
    assert assert_error(reader.detail(code), 404, "dossiers.not_found") == unknown
    assert_error(reader.get(f"{URL}/{code}/forms/receipt.pdf"), 404, "dossiers.not_found")
    assert reader.get(URL, q=code).json()["items"] == []


def test_a_forbidden_transition_is_409_with_the_present_state(
    clerk: ApiUser, received: dict[str, Any]
) -> None:
    code = received["code"]
    body = assert_error(clerk.act(code, "return_result"), 409, "dossiers.transition_forbidden")
    assert body["details"]["status"] == "received" and body["details"]["version"] == 1
    assert clerk.act(code, "forward").status_code == 200
    stale = assert_error(
        clerk.act(code, "request_withdrawal", reason="Xin rút", version=1), 409, "dossiers.stale"
    )
    assert stale["details"]["version"] == 2 and stale["details"]["status"] == "in_progress"
    assert stale["details"]["step"]["order"] == 2
    assert "vừa được người khác cập nhật" in stale["message"]
    # Not the holder of the step any more: a conflict, not a permission problem.
    assert_error(clerk.act(code, "forward"), 409, "dossiers.not_your_step")
    assert Dossier.objects.get(code=code).lock_version == 2


def test_a_role_that_may_not_act_is_403(
    client: Client, office: Any, received: dict[str, Any]
) -> None:
    specialist = ApiUser(client, office.specialist)
    body = assert_error(
        specialist.act(received["code"], "request_withdrawal", reason="Xin rút"),
        403,
        "dossiers.role_required",
    )
    assert "Bộ phận Một cửa" in body["message"]
    assert Dossier.objects.get(code=received["code"]).lock_version == 1


@pytest.mark.parametrize(
    ("action", "body", "loc"),
    [
        ("refuse", {}, ["body", "reason"]),
        ("request_withdrawal", {"reason": "   "}, ["body", "reason"]),
        ("forward", {"handler": 3}, ["body", "handler"]),
        ("forward", {"handler_id": "mot"}, ["body", "handler_id"]),
        ("forward", {"version": 0}, ["body", "version"]),
        ("reassign", {"note": "x"}, ["body", "handler_id"]),
        ("reschedule", {"reason": "Trễ", "new_due_at": "ngày mai"}, ["body", "new_due_at"]),
        ("resolve", {"kind": "maybe"}, ["body", "kind"]),
        ("resolve", {"results": [{"document_number": "1"}]}, ["body", "results", 0, "name"]),
        ("transfer", {"hours": 8}, ["body"]),
        ("request_opinions", {"question": "Ý kiến?"}, ["body"]),
        ("supplement", {"components": [{}]}, ["body", "components", 0]),
    ],
)
def test_an_action_with_a_bad_body_is_422(
    clerk: ApiUser, received: dict[str, Any], action: str, body: dict[str, Any], loc: list[Any]
) -> None:
    error = assert_error(clerk.act(received["code"], action, **body), 422, "validation_error")
    assert loc in [d["loc"] for d in error["details"]], error["details"]
    assert Dossier.objects.get(code=received["code"]).lock_version == 1


def test_an_action_refused_by_the_service_is_422_with_the_field(
    clerk: ApiUser, office: Any, received: dict[str, Any]
) -> None:
    body = assert_error(
        clerk.act(received["code"], "forward", handler_id=office.clerk_b.pk),
        422,
        "dossiers.handler_invalid",
    )
    assert body["details"][0]["loc"] == ["body", "handler_id"]
    body = assert_error(
        clerk.act(received["code"], "reschedule", reason="Trễ", new_due_at="2025-01-01T08:00"),
        422,
        "dossiers.date_invalid",
    )
    assert body["details"][0]["loc"] == ["body", "new_due_at"]


def test_unknown_actions_and_unreadable_bodies(clerk: ApiUser, received: dict[str, Any]) -> None:
    code = received["code"]
    assert_error(clerk.act(code, "approve"), 404, "not_found")
    assert_error(clerk.act(code, "sub_completed"), 404, "not_found")
    assert_error(clerk.post_raw(f"{URL}/{code}/actions/forward", b"{oops"), 400, "malformed_json")
    body = assert_error(
        clerk.post(f"{URL}/{code}/actions/forward", [1, 2]), 422, "validation_error"
    )
    assert body["details"][0]["loc"] == ["body"]
    response = clerk.client.get(f"{URL}/{code}/actions/forward", **clerk.headers)
    assert_error(response, 405, "method_not_allowed")
    # An empty body is an empty payload: forward needs nothing more.
    empty = clerk.post_raw(f"{URL}/{code}/actions/forward", b"")
    assert empty.status_code == 200, empty.content


def test_reschedule_once_then_409(
    client: Client, clerk: ApiUser, office: Any, received: dict[str, Any]
) -> None:
    code = received["code"]
    clerk.act(code, "forward")
    specialist = ApiUser(client, office.specialist)
    later = "2099-12-31T16:00:00"
    done = specialist.act(
        code, "reschedule", reason="Cần thêm thời gian thẩm định", new_due_at=later
    )
    assert done.status_code == 200, done.content
    data = done.json()
    assert data["current_due_at"] == "2099-12-31T16:00:00+07:00"
    assert data["due_at"] == received["due_at"]  # the legal date never moves
    assert data["reappointment"]["reason"] == "Cần thêm thời gian thẩm định"
    assert data["reappointment"]["due_before"] == received["due_at"]
    again = specialist.act(code, "reschedule", reason="Lần nữa", new_due_at="2099-12-31T17:00:00")
    assert_error(again, 409, "dossiers.already_reappointed")
    apology = clerk.get(f"{URL}/{code}/forms/apology.pdf")
    assert apology.status_code == 200 and apology["Content-Type"] == "application/pdf"


def test_transfer_and_opinions_take_agency_codes(
    client: Client, clerk: ApiUser, office: Any, received: dict[str, Any]
) -> None:
    code = received["code"]
    clerk.act(code, "forward")
    specialist = ApiUser(client, office.specialist)
    asked = specialist.act(
        code,
        "request_opinions",
        agencies=[office.office_a.code],
        question="Xin ý kiến về quy hoạch",
        hours=8,
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["opinions"][0]["agency"]["code"] == office.office_a.code
    assert asked.json()["opinions"][0]["answered_at"] is None
    unknown = specialist.act(code, "transfer", agency="999.99.99.X00", hours=8)
    assert assert_error(unknown, 422, "dossiers.agency_invalid")["details"][0]["loc"] == [
        "body",
        "agency",
    ]
    moved = specialist.act(code, "transfer", agency=office.pc_b.code, hours=8, note="Phần xác nhận")
    assert moved.status_code == 200, moved.content
    sub = moved.json()["sub_dossiers"][0]
    assert sub["competent_agency"]["code"] == office.pc_b.code and sub["share_hours"] == 8.0
    sub_detail = ApiUser(client, office.specialist_b).detail(sub["code"])
    assert sub_detail.status_code == 200 and sub_detail.json()["parent"] == code


# --- forms -------------------------------------------------------------------------------------


def test_forms_as_pdf(clerk: ApiUser, received: dict[str, Any]) -> None:
    code = received["code"]
    response = clerk.get(f"{URL}/{code}/forms/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{code}.pdf" in response["Content-Disposition"]
    old = clerk.get(f"{URL}/{code}/forms/receipt.pdf", basis="tt01_2018")
    assert old.status_code == 200 and old.content.startswith(b"%PDF")
    assert_error(clerk.get(f"{URL}/{code}/forms/nonsense.pdf"), 404, "dossiers.form_unknown")
    refusal = clerk.get(f"{URL}/{code}/forms/refusal.pdf")
    assert_error(refusal, 409, "dossiers.form_not_applicable")
    stop_tt01 = clerk.get(f"{URL}/{code}/forms/stop.pdf", basis="tt01_2018")
    assert_error(stop_tt01, 409, "dossiers.form_not_in_basis")
    assert_error(
        clerk.get(f"{URL}/{code}/forms/receipt.pdf", basis="tt99"), 422, "validation_error"
    )
    assert_error(clerk.get(f"{URL}/{code}/forms/receipt"), 404, "not_found")


def test_forms_of_refused_and_incomplete_intakes(clerk: ApiUser, permit: Any) -> None:
    refused = clerk.intake(outcome="refuse", reason="Không thuộc thẩm quyền").json()["code"]
    pdf = clerk.get(f"{URL}/{refused}/forms/refusal.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    incomplete = clerk.intake(outcome="incomplete", reason="Thiếu", items="Bản vẽ").json()["code"]
    pdf = clerk.get(f"{URL}/{incomplete}/forms/supplement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# --- OpenAPI -----------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_dossier_api(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = document["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/dossiers"])
    assert "get" in paths["/api/v1/dossiers/{code}"]
    assert "get" in paths["/api/v1/dossiers/{code}/forms/{form}.pdf"]
    action = paths["/api/v1/dossiers/{code}/actions/{action}"]["post"]
    variants = action["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    titles = {v["title"] for v in variants}
    assert {"forward", "resolve", "reschedule", "transfer"} <= titles
    assert "$defs" not in str(variants) and "#/$defs" not in str(variants)
    assert {"409", "403", "404", "422"} <= set(action["responses"])
