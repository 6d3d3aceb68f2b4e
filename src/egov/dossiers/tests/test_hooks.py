"""What modules built on top of dossiers plug into: listeners, applicant groups, online
payment, form data and electronic result files."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from egov.accounts.tests.factories import UserFactory
from egov.core.attachments.services import attachment_create
from egov.dossiers import facade, hooks, services
from egov.dossiers.constants import Status
from egov.dossiers.errors import DossierConflict, DossierInvalid, DossierNotFound
from egov.dossiers.models import DossierEvent
from egov.dossiers.tests.factories import intake, receive

VN = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(actor, dossier, action, at=None, **payload):
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=at or MONDAY
    )


@pytest.fixture
def seen():
    lines: list[DossierEvent] = []
    hooks.event_listener_register("test", lines.append)
    yield lines
    hooks.event_listener_unregister("test")


def test_listeners_see_every_timeline_line_inside_the_transaction(office, permit, seen):
    d = receive(office, permit, at=MONDAY)
    act(office.clerk, d, "forward")
    assert [e.action for e in seen] == ["receive", "forward"]
    assert all(e.pk for e in seen)


def test_a_failing_listener_rolls_the_action_back(office, permit):
    d = receive(office, permit, at=MONDAY)

    def boom(event: DossierEvent) -> None:
        raise RuntimeError("outbox unavailable")

    hooks.event_listener_register("boom", boom)
    try:
        with pytest.raises(RuntimeError):
            act(office.clerk, d, "forward")
    finally:
        hooks.event_listener_unregister("boom")
    d.refresh_from_db()
    assert d.status == Status.RECEIVED
    assert d.events.count() == 1


def test_an_applicant_group_member_sees_and_acts_as_the_applicant(office, permit):
    member = UserFactory(username="thanhvien")
    stranger = UserFactory(username="nguoila")
    hooks.applicant_groups_register(
        "test", lambda user: ["business:7"] if user.pk == member.pk else []
    )
    try:
        data = intake(permit, channel="online", receiving_agency_id=office.desk_a.pk)
        data.applicant_group = "business:7"
        d = services.dossier_submit(actor=office.citizen, data=data, at=MONDAY)
        assert facade.visible_dossiers(member).filter(pk=d.pk).exists()
        assert not facade.visible_dossiers(stranger).filter(pk=d.pk).exists()
        assert facade.Actor.APPLICANT in facade.capacities(member, d)
        d = act(member, d, "request_withdrawal", reason="Nộp nhầm thủ tục")
        assert d.status == Status.WITHDRAWAL_REQUESTED
        with pytest.raises(DossierNotFound):
            act(stranger, d, "request_withdrawal", reason="x")
    finally:
        hooks._group_resolvers.pop("test", None)


def test_form_data_is_kept_with_the_online_dossier(office, permit):
    data = intake(permit, channel="online", receiving_agency_id=office.desk_a.pk)
    data.form_data = {"dien_tich": 120, "muc_dich": "Nhà ở"}
    d = services.dossier_submit(actor=office.citizen, data=data, at=MONDAY)
    d.refresh_from_db()
    assert d.form_data == {"dien_tich": 120, "muc_dich": "Nhà ở"}


def _in_payment(office, permit, amount=500_000):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    return act(office.specialist, d, "request_payment", reason="Lệ phí cấp phép", amount=amount)


def test_online_payment_pays_the_fees_and_resumes_the_dossier(office, permit):
    d = _in_payment(office, permit)
    assert services.unpaid_amount(d) == 500_000
    d = services.dossier_pay_online(
        code=d.code,
        amount=500_000,
        reference="DEMO-0001",
        provider="demo",
        at=MONDAY + dt.timedelta(days=1),
    )
    assert d.status == Status.IN_PROGRESS and d.fee_paid
    assert services.unpaid_amount(d) == 0
    paid_online = d.fees.get(receipt_number="DEMO-0001")
    assert paid_online.amount == 500_000 and paid_online.paid_at is not None
    line = d.events.latest("id")
    assert line.action == "confirm_payment" and line.actor is None
    assert line.data["online"] is True and line.data["amount"] == 500_000
    assert d.pauses.get().ended_at is not None


def test_online_payment_refuses_a_wrong_amount_and_a_second_payment(office, permit):
    d = _in_payment(office, permit)
    with pytest.raises(DossierInvalid):
        services.dossier_pay_online(code=d.code, amount=1, reference="X", provider="demo")
    d.refresh_from_db()
    assert d.status == Status.AWAITING_PAYMENT and services.unpaid_amount(d) == 500_000
    services.dossier_pay_online(code=d.code, amount=500_000, reference="X", provider="demo")
    with pytest.raises(DossierConflict):
        services.dossier_pay_online(code=d.code, amount=500_000, reference="Y", provider="demo")
    with pytest.raises(DossierNotFound):
        services.dossier_pay_online(code="KHONG-CO", amount=1, reference="Z", provider="demo")


def _resolved_with_file(office, permit):
    d = receive(office, permit, at=MONDAY)
    d = act(office.clerk, d, "forward")
    for who in (office.specialist, office.head, office.leader):
        d = act(who, d, "forward")
    upload = attachment_create(
        actor=office.doc_clerk,
        uploaded_file=SimpleUploadedFile("giay-phep.pdf", PDF, "application/pdf"),
        owner_type="accounts.user",
        owner_id=office.doc_clerk.pk,
    )
    d = act(
        office.doc_clerk,
        d,
        "resolve",
        results=[{"name": "Giấy phép xây dựng", "attachment_uuids": [str(upload.uuid)]}],
    )
    return d, upload


def test_resolve_keeps_the_electronic_result_files(office, permit):
    d, upload = _resolved_with_file(office, permit)
    result = d.results.get()
    assert list(result.attachments.values_list("uuid", flat=True)) == [upload.uuid]
    upload.refresh_from_db()
    assert upload.owner_type == "dossiers.dossier" and upload.owner_id == str(d.pk)


def test_resolve_refuses_someone_elses_file_and_saves_nothing(office, permit):
    d = receive(office, permit, at=MONDAY)
    d = act(office.clerk, d, "forward")
    for who in (office.specialist, office.head, office.leader):
        d = act(who, d, "forward")
    foreign = attachment_create(
        actor=office.clerk,
        uploaded_file=SimpleUploadedFile("khac.pdf", PDF, "application/pdf"),
        owner_type="accounts.user",
        owner_id=office.clerk.pk,
    )
    with pytest.raises(DossierInvalid) as exc:
        act(
            office.doc_clerk,
            d,
            "resolve",
            results=[{"name": "Giấy phép", "attachment_uuids": [str(foreign.uuid)]}],
        )
    assert exc.value.field == "results[0].attachments"
    d.refresh_from_db()
    assert d.status == Status.IN_PROGRESS and not d.results.exists()


@pytest.mark.django_db(transaction=True)
def test_listener_rows_roll_back_with_the_action(office, permit, seen):
    d = receive(office, permit, at=MONDAY)
    seen.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        act(office.clerk, d, "forward")
        raise RuntimeError("later failure in the same transaction")
    d.refresh_from_db()
    assert d.status == Status.RECEIVED


def test_online_payment_is_refused_once_the_dossier_is_closed(office, permit):
    d = _in_payment(office, permit)
    d = act(office.clerk, d, "request_withdrawal", reason="Người nộp rút hồ sơ")
    d = act(office.clerk, d, "stop", reason="Rút theo yêu cầu")
    with pytest.raises(DossierConflict):
        services.dossier_pay_online(code=d.code, amount=500_000, reference="Z", provider="demo")
    d.refresh_from_db()
    assert d.status == Status.STOPPED and services.unpaid_amount(d) == 500_000
