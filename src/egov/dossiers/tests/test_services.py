"""The dossier services: intake, the whole lifecycle, pauses, re-appointment, liên thông."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from egov.core.audit.models import AuditEvent
from egov.dossiers import services
from egov.dossiers.constants import Status, TaskState
from egov.dossiers.errors import (
    DossierConflict,
    DossierInvalid,
    DossierNotFound,
    DossierPermissionDenied,
    ErrorCode,
)
from egov.dossiers.models import Dossier, DossierEvent
from egov.dossiers.tests.factories import applicant, intake, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 07/12/2026, 09:00 (a working day).
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)

pytestmark = pytest.mark.django_db


def act(actor, dossier, action, at=None, **payload):
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=at or MONDAY
    )


def test_receive_at_the_desk_gives_a_code_due_dates_and_the_first_step(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    assert re.fullmatch(r"000\.21\.03\.T99-261207-0001", dossier.code)
    assert dossier.status == Status.RECEIVED
    assert dossier.national_status == 2
    # 5 working days at the same time of day: Monday 14/12/2026 09:00.
    assert dossier.due_at == dt.datetime(2026, 12, 14, 9, 0, tzinfo=VN)
    assert dossier.current_due_at == dossier.due_at
    assert dossier.handler == office.clerk
    assert dossier.competent_agency == office.pc_a
    assert dossier.fee_total == 150000 and dossier.fee_paid
    assert (
        list(dossier.tasks.values_list("state", flat=True))
        == [TaskState.ACTIVE] + [TaskState.PENDING] * 5
    )
    event = dossier.events.get()
    assert event.action == "receive" and event.actor == office.clerk
    assert AuditEvent.objects.filter(action="dossiers.receive", object_id=str(dossier.pk)).exists()
    second = receive(office, permit, at=MONDAY)
    assert second.code.endswith("-261207-0002")


def test_the_whole_path_from_desk_to_return(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    d = act(office.clerk, dossier, "forward", handler_id=office.specialist.pk)
    assert d.status == Status.IN_PROGRESS and d.handler == office.specialist
    assert d.current_step_name.startswith("Thẩm định")
    d = act(office.specialist, d, "forward", note="Đủ điều kiện")
    assert d.handler == office.head
    d = act(office.head, d, "forward")
    assert d.handler == office.leader
    d = act(office.leader, d, "forward")
    assert d.handler == office.doc_clerk
    d = act(
        office.doc_clerk,
        d,
        "resolve",
        results=[
            {"name": "Giấy phép xây dựng", "document_number": "12/GPXD", "signer": "Phạm Ngọc Dũng"}
        ],
    )
    assert d.status == Status.RESOLVED and d.national_status == 9
    assert d.handler == office.clerk  # back to the desk for the return
    assert d.timing == "early"
    d = act(office.clerk, d, "return_result")
    assert d.status == Status.RETURNED and d.national_status == 10
    assert d.handler is None
    actions = list(d.events.values_list("action", flat=True))
    assert actions == [
        "receive",
        "forward",
        "forward",
        "forward",
        "forward",
        "resolve",
        "return_result",
    ]
    assert d.results.get().document_number == "12/GPXD"


def test_only_the_handler_moves_a_step_and_others_get_a_conflict(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    with pytest.raises(DossierConflict) as exc:
        act(office.specialist, dossier, "forward")
    assert exc.value.error_code == ErrorCode.NOT_YOUR_STEP
    d = act(office.clerk, dossier, "forward")
    with pytest.raises(DossierConflict):
        act(office.clerk, d, "forward")


def test_out_of_scope_staff_get_not_found_and_the_attempt_is_audited(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    with pytest.raises(DossierNotFound):
        act(office.clerk_b, dossier, "forward")
    with pytest.raises(DossierNotFound):
        services.dossier_act(
            actor=office.clerk_b, code="000.21.03.T99-261207-9999", action="forward"
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED and dossier.lock_version == 1
    assert AuditEvent.objects.filter(
        action="dossiers.access_denied", object_id=str(dossier.pk), actor=office.clerk_b
    ).exists()


def test_forbidden_transition_is_a_conflict_and_wrong_role_is_forbidden(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    with pytest.raises(DossierConflict) as exc:
        act(office.clerk, dossier, "return_result")
    assert exc.value.error_code == ErrorCode.TRANSITION_FORBIDDEN
    with pytest.raises(DossierPermissionDenied):
        act(office.specialist, dossier, "request_withdrawal", reason="Xin rút")


def test_stale_version_is_a_conflict(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    act(office.clerk, dossier, "forward")
    with pytest.raises(DossierConflict) as exc:
        services.dossier_act(
            actor=office.clerk,
            code=dossier.code,
            action="request_withdrawal",
            payload={"reason": "x"},
            expected_version=1,
        )
    assert exc.value.error_code == ErrorCode.STALE


def test_supplement_pauses_the_clock_and_moves_the_due_date(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    d = act(office.clerk, dossier, "forward")
    d = act(
        office.specialist, d, "request_supplement", reason="Thiếu bản vẽ", items="Bản vẽ mặt bằng"
    )
    assert d.status == Status.AWAITING_SUPPLEMENT and d.national_status == 5
    assert d.supplement_requests == 1
    # Supplemented on Wednesday 09:00: two working days (16 h) later.
    wednesday = MONDAY + dt.timedelta(days=2)
    d = act(
        office.clerk,
        d,
        "supplement",
        at=wednesday,
        note="Đã nộp bản vẽ",
        components=[{"name": "Bản vẽ mặt bằng", "copies": 1}],
    )
    assert d.status == Status.IN_PROGRESS
    assert d.due_at == dt.datetime(2026, 12, 14, 9, 0, tzinfo=VN)
    assert d.current_due_at == dt.datetime(2026, 12, 16, 9, 0, tzinfo=VN)
    pause = d.pauses.get()
    assert pause.working_minutes == 16 * 60
    assert d.components.filter(from_supplement=True).count() == 1


def test_reschedule_is_allowed_once(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    d = act(office.clerk, dossier, "forward")
    new = dt.datetime(2026, 12, 18, 16, 0, tzinfo=VN)
    d = act(
        office.specialist,
        d,
        "reschedule",
        reason="Cần xác minh thực địa",
        new_due_at=new.isoformat(),
    )
    assert d.current_due_at == new and d.due_at == dt.datetime(2026, 12, 14, 9, 0, tzinfo=VN)
    assert d.due_before_reappointment == d.due_at
    with pytest.raises(DossierConflict) as exc:
        act(office.head, d, "reschedule", reason="Lần hai", new_due_at="2026-12-25T16:00:00+07:00")
    assert exc.value.error_code == ErrorCode.ALREADY_REAPPOINTED
    assert "chỉ được hẹn lại một lần" in exc.value.text
    assert "reschedule" not in services.allowed_actions(actor=office.specialist, dossier=d)


def test_reschedule_needs_a_later_date(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    with pytest.raises(DossierInvalid):
        act(office.specialist, d, "reschedule", reason="x", new_due_at="2026-12-01T10:00:00+07:00")
    with pytest.raises(DossierInvalid):
        act(office.specialist, d, "reschedule", reason="x", new_due_at="không phải ngày")


def test_send_back_returns_to_the_previous_handler(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "forward")
    d = act(office.head, d, "send_back", reason="Bổ sung ý kiến thẩm định")
    assert d.handler == office.specialist
    assert d.events.last().action == "send_back"


def test_withdrawal_then_stop(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.clerk, d, "request_withdrawal", reason="Công dân xin rút")
    assert d.status == Status.WITHDRAWAL_REQUESTED and d.national_status == 7
    d = act(office.clerk, d, "stop", reason="Rút theo yêu cầu")
    assert d.status == Status.STOPPED and d.national_status == 8 and d.handler is None


def test_withdrawal_declined_goes_back(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.clerk, d, "request_withdrawal", reason="Công dân xin rút")
    d = act(office.leader, d, "decline_withdrawal", reason="Đã ký quyết định")
    assert d.status == Status.IN_PROGRESS


def test_payment_pauses_the_clock(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "request_payment", reason="Nộp lệ phí trước bạ", amount=500000)
    assert d.status == Status.AWAITING_PAYMENT and d.national_status == 6
    d = act(
        office.clerk, d, "confirm_payment", at=MONDAY + dt.timedelta(days=1), receipt_number="BL01"
    )
    assert d.status == Status.IN_PROGRESS
    assert d.current_due_at == dt.datetime(2026, 12, 15, 9, 0, tzinfo=VN)
    assert d.fees.filter(paid=False).count() == 0


def test_online_submission_accept_and_refuse(office, permit):
    data = intake(permit, channel="online", receiving_agency_id=office.desk_a.pk)
    d = services.dossier_submit(actor=office.citizen, data=data, at=MONDAY)
    assert d.status == Status.SUBMITTED and d.national_status == 1
    assert d.acceptance_due_at == dt.datetime(2026, 12, 8, 9, 0, tzinfo=VN)
    assert d.due_at is None
    d = act(office.clerk, d, "accept", at=MONDAY + dt.timedelta(hours=2))
    assert d.status == Status.RECEIVED and d.received_at == MONDAY + dt.timedelta(hours=2)
    other = services.dossier_submit(actor=office.citizen, data=data, at=MONDAY)
    other = act(office.clerk, other, "request_supplement", reason="Thiếu đơn", items="Đơn đề nghị")
    assert other.status == Status.INTAKE_INCOMPLETE and other.pauses.count() == 0
    other = act(office.clerk, other, "refuse", reason="Không thuộc thẩm quyền")
    assert other.status == Status.REFUSED and other.national_status == 3


def test_intake_outcomes_incomplete_and_refuse(office, permit):
    d = services.dossier_receive(
        actor=office.clerk,
        data=intake(permit),
        outcome="incomplete",
        reason="Thiếu bản vẽ",
        items="Bản vẽ",
        at=MONDAY,
    )
    assert d.status == Status.INTAKE_INCOMPLETE and d.due_at is None
    r = services.dossier_receive(
        actor=office.clerk,
        data=intake(permit),
        outcome="refuse",
        reason="Ngoài thẩm quyền",
        at=MONDAY,
    )
    assert r.status == Status.REFUSED
    with pytest.raises(DossierInvalid):
        services.dossier_receive(
            actor=office.clerk, data=intake(permit), outcome="refuse", at=MONDAY
        )


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"full_name": ""}, "applicant.full_name"),
        ({"id_number": "12345"}, "applicant.id_number"),
        ({"phone": "12"}, "applicant.phone"),
        ({"email": "khong-phai-email"}, "applicant.email"),
    ],
)
def test_bad_applicant_data_is_refused_and_nothing_is_saved(office, permit, override, field):
    with pytest.raises(DossierInvalid) as exc:
        receive(office, permit, at=MONDAY, applicant=applicant(**override))
    assert exc.value.field == field
    assert Dossier.objects.count() == 0
    assert DossierEvent.objects.count() == 0


def test_unknown_procedure_and_non_desk_staff(office, permit):
    with pytest.raises(DossierInvalid) as exc:
        receive(office, permit, at=MONDAY, procedure_code="9.999999")
    assert exc.value.error_code == ErrorCode.PROCEDURE_UNKNOWN
    with pytest.raises(DossierPermissionDenied):
        services.dossier_receive(actor=office.specialist, data=intake(permit), at=MONDAY)


def test_boundary_free_intake_needs_a_boundary_free_procedure(office, permit):
    with pytest.raises(DossierInvalid) as exc:
        receive(office, permit, at=MONDAY, competent_agency_id=office.pc_b.pk)
    assert exc.value.field == "competent_agency"
    from egov.dossiers.tests.factories import building_permit

    free = building_permit(code="1.009995", boundary_free=True)
    d = receive(office, free, at=MONDAY, competent_agency_id=office.pc_b.pk)
    assert d.competent_agency == office.pc_b and d.unit == office.commune_a
    # The desk of A received it; B's specialist settles it.
    d = act(office.clerk, d, "forward")
    assert d.handler == office.specialist_b


def test_transfer_creates_a_sub_dossier_and_shares_are_checked(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "transfer", agency_id=office.pc_b.pk, hours=16, note="Xác minh")
    sub = d.sub_dossiers.get()
    assert sub.parent == d and sub.handler == office.specialist_b
    assert sub.code.startswith("000.22.01.T99-")
    with pytest.raises(DossierInvalid) as exc:
        act(office.specialist, d, "transfer", agency_id=office.desk_b.pk, hours=30)
    assert exc.value.error_code == ErrorCode.SHARES_OVER_LIMIT
    assert "vượt thời hạn giải quyết" in exc.value.text
    assert d.sub_dossiers.count() == 1


def test_resolve_waits_for_sub_dossiers_and_opinions(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(
        office.specialist,
        d,
        "request_opinions",
        agency_ids=[office.pc_b.pk],
        question="Xin ý kiến về lộ giới",
    )
    with pytest.raises(DossierConflict) as exc:
        act(office.specialist, d, "forward")
    assert exc.value.error_code == ErrorCode.OPINIONS_PENDING
    d = act(office.specialist_b, d, "give_opinion", answer="Thống nhất")
    d = act(office.specialist, d, "transfer", agency_id=office.pc_b.pk, hours=8)
    sub = d.sub_dossiers.get()
    with pytest.raises(DossierConflict) as exc:
        act(office.specialist, d, "resolve")
    assert exc.value.error_code == ErrorCode.SUB_DOSSIERS_OPEN
    sub = services.dossier_act(
        actor=office.specialist_b, code=sub.code, action="resolve", at=MONDAY
    )
    assert sub.status == Status.RETURNED
    d.refresh_from_db()
    assert d.events.filter(action="sub_completed").exists()
    d = act(office.specialist, d, "resolve", kind="refused", note="Không đủ điều kiện")
    assert d.status == Status.RESOLVED and d.result_kind == "refused"


def test_due_soon_and_overdue(office, permit):
    d = receive(office, permit, at=MONDAY)
    assert not services.is_due_soon(d, MONDAY)
    assert services.is_due_soon(d, dt.datetime(2026, 12, 11, 10, 0, tzinfo=VN))
    assert services.is_overdue(d, dt.datetime(2026, 12, 14, 9, 1, tzinfo=VN))


def test_unknown_action_and_bad_payload(office, permit):
    d = receive(office, permit, at=MONDAY)
    with pytest.raises(DossierNotFound):
        act(office.clerk, d, "fly")
    with pytest.raises(DossierInvalid):
        act(office.clerk, d, "forward", handler_id="abc")
    with pytest.raises(DossierInvalid):
        act(office.clerk, d, "forward", handler_id=office.clerk_b.pk)


def test_handlers_come_from_the_competent_unit_not_from_child_units(office, permit):
    # A district committee is the parent of its communes' committees in the agency tree.
    office.pc_b.parent = office.pc_a
    office.pc_b.save(update_fields=["parent"])
    d = receive(office, permit, at=MONDAY)
    choices = dict(services.handler_choices(dossier=d))
    assert office.specialist.pk in choices
    assert office.specialist_b.pk not in choices
    with pytest.raises(DossierInvalid):
        act(office.clerk, d, "forward", handler_id=office.specialist_b.pk)
