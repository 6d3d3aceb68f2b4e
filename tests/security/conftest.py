"""Fixtures of the access matrix (``test_access_matrix.py``): one world, built once per module.

The world — two communes, their staff in every role the matrix needs, a citizen's
dossiers, drafts, payment, booking, business, files, messages, sync items — takes seconds
to build with the modules' own services and factories, so it is built once inside a
transaction rolled back when the module ends; each test runs in a savepoint inside it
(pytest-django's ``db``), so nothing a request does survives the test.

Owner of every object: commune A (staff ``motcua``, ``chuyenvien``…) or citizen A
(``congdan``).  The outsiders: commune B's staff, citizen B, and staff of commune A in a
role the page is not for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _act(actor: Any, dossier: Any, action: str, **payload: Any) -> Any:
    from egov.dossiers import services

    dossier.refresh_from_db()
    return services.dossier_act(
        actor=actor,
        code=dossier.code,
        action=action,
        payload=payload,
        expected_version=dossier.lock_version,
    )


def _upload(user: Any, name: str) -> Any:
    from egov.core.attachments.services import attachment_create

    return attachment_create(
        actor=user,
        uploaded_file=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        owner_type="accounts.user",
        owner_id=user.pk,
    )


def build_matrix_world() -> SimpleNamespace:
    from wagtail.models import Page

    from egov.accounts.tests.factories import UserFactory
    from egov.api.services import api_token_issue
    from egov.bookings import services as bookings
    from egov.bookings.tests.conftest import MONDAY, at, weekdays
    from egov.core.audit.models import AuditEvent
    from egov.core.calendar import services as calendar
    from egov.dossiers import services as dossiers
    from egov.dossiers.tests.factories import build_office, building_permit, intake, make_staff
    from egov.dvcqg.constants import InboundStatus, ItemKind, ItemStatus
    from egov.dvcqg.files import signed_url
    from egov.dvcqg.models import InboundDossier, SyncItem
    from egov.eservices.businesses import services as businesses
    from egov.eservices.tests.wizard_helpers import citizen_profile, online_procedure, ready_draft
    from egov.notifications.contracts import Recipient
    from egov.notifications.models import Message
    from egov.notifications.services import notify
    from egov.notifications.tests.factories import CONTEXT, TEST_EVENT
    from egov.notifications.unsubscribe import token_make
    from egov.organizations.constants import Role
    from egov.organizations.models import Position
    from egov.payments.services import payment_start
    from egov.portal.models import PortalHomePage
    from egov.procedures.interchange import services as interchange
    from egov.procedures.models import Fee
    from egov.procedures.tests.interchange_samples import national, package

    w = SimpleNamespace()
    office = build_office()
    w.office = office
    w.admin_a = make_staff(Role.UNIT_ADMIN, office.pc_a, username="qtv_a")
    w.admin_b = make_staff(Role.UNIT_ADMIN, office.pc_b, username="qtv_b")
    w.editor_a = make_staff(Role.EDITOR, office.pc_a, username="btv_a")
    w.editor_b = make_staff(Role.EDITOR, office.pc_b, username="btv_b")
    w.citizen_a = citizen_profile(office)
    w.citizen_b = UserFactory(username="congdan_b", first_name="Bình", last_name="Lê Thị")

    # --- a dossier received at commune A's desk, now waiting for the leader's signature --------
    permit = building_permit()
    option = permit.channel_options.get(channel="online")
    Fee.objects.create(channel_option=option, amount=50000, description="Lệ phí trực tuyến")
    desk = dossiers.dossier_receive(
        actor=office.clerk,
        data=intake(permit, applicant=_applicant("Trịnh Văn Bảo Mật", "049090777001")),
    )
    _act(office.clerk, desk, "forward")
    _act(office.specialist, desk, "forward")
    w.at_leader = _act(office.head, desk, "forward")

    # --- citizen A's online dossiers: one waiting at the desk, one resolved with a result ----
    def online_dossier() -> Any:
        return dossiers.dossier_submit(
            actor=w.citizen_a,
            data=intake(
                permit,
                channel="online",
                receiving_agency_id=office.desk_a.pk,
                fee_paid=False,
                applicant=_applicant("Đoàn Thị Riêng Tư", "049090777002"),
            ),
        )

    w.waiting = waiting = online_dossier()
    resolved = online_dossier()
    _act(office.clerk, resolved, "accept")
    _act(office.clerk, resolved, "forward")
    result_file = _upload(office.specialist, "ket-qua-mat.pdf")
    w.resolved = _act(
        office.specialist,
        resolved,
        "resolve",
        kind="granted",
        results=[
            {
                "name": "Giấy phép xây dựng",
                "document_number": "12/GPXD",
                "attachment_uuids": [str(result_file.uuid)],
            }
        ],
    )
    w.result_file = result_file

    # --- citizen A's draft (with two uploaded files) and payment ------------------------------
    form_procedure = online_procedure(code="1.990612")
    w.draft = ready_draft(office, form_procedure, user=w.citizen_a)
    w.payment, _url = payment_start(
        payer=w.citizen_a,
        purpose="dossier",
        reference=waiting.code,
        amount=50000,
        description="Lệ phí hồ sơ",
        return_url="/dich-vu-cong/ho-so-cua-toi/",
    )

    # --- citizen A's booking at desk A ----------------------------------------------------------
    bookings.desk_schedule_set(
        actor=w.admin_a,
        agency_id=office.desk_a.pk,
        rows=weekdays("07:30", "11:30") + weekdays("13:30", "17:00"),
    )
    bookings.desk_schedule_set(
        actor=w.admin_b, agency_id=office.desk_b.pk, rows=weekdays("07:30", "11:30")
    )
    created = bookings.booking_create(
        actor=w.citizen_a,
        agency=office.desk_a,
        starts_at=at(MONDAY.date() + dt.timedelta(days=1), "09:00"),
        name="Đoàn Thị Riêng Tư",
        phone="0905777002",
        at=MONDAY,
    )
    w.booking, w.booking_token = created.booking, created.token

    # --- citizen A's business ------------------------------------------------------------
    w.business = businesses.business_create(
        actor=w.citizen_a,
        data=businesses.BusinessData(tax_code="0101248141", name="Công ty Kín Đáo"),
    )
    w.business_member = w.business.members.get(user=w.citizen_a)

    # --- messages: an in-app message to commune A's clerk; opt-out link of citizen A ---------
    notify(
        TEST_EVENT.key,
        [Recipient(name="Hà", user_id=office.clerk.pk, channels=frozenset({"inapp"}))],
        CONTEXT,
        dedupe_key="matrix:bell",
    )
    w.bell_message = Message.objects.filter(recipient_user=office.clerk).latest("pk")
    w.log_message = Message.objects.exclude(pk=w.bell_message.pk).order_by("pk").first()
    w.optout_token = token_make("email", "an@example.vn")

    # --- national-portal sync items of commune A ------------------------------------------------
    w.sync_item = SyncItem.objects.create(
        dossier=w.at_leader,
        kind=ItemKind.DOSSIER,
        status=ItemStatus.FAILED,
        last_error="Cổng từ chối",
    )
    w.inbound = InboundDossier.objects.create(
        national_code="G22.99-261127-0001",
        status=InboundStatus.FAILED,
        unit=office.commune_a,
        applicant_name="Đoàn Thị Riêng Tư",
        error="Không có thủ tục",
        payload={},
    )
    w.dvcqg_file_token = signed_url(result_file).rstrip("/").rsplit("/", 1)[-1]

    # --- commune A's unit-admin records ---------------------------------------------------
    w.clerk_position = Position.objects.filter(user=office.clerk).get()
    w.department = office.specialist.positions.get().department
    w.calendar_entry = calendar.calendar_entry_create(
        actor=w.admin_a,
        unit_id=office.commune_a.pk,
        date=dt.date(2026, 12, 24),
        kind="day_off",
        name="Nghỉ bù xã An Phú",
    )
    w.hours = calendar.working_schedule_set(
        actor=w.admin_a,
        unit_id=office.commune_a.pk,
        sessions="07:00-11:00,13:30-17:00",
        effective_from=dt.date(2026, 12, 28),
    )
    w.import_job = interchange.import_job_create(
        actor=w.admin_a,
        uploaded_file=SimpleUploadedFile(
            "goi.json", package(national("1.900001")), content_type="application/json"
        ),
        responsible_agency=office.pc_a,
    )
    w.audit_event = AuditEvent.objects.filter(object_id=str(w.at_leader.pk)).latest("pk")

    # --- the two communes' portals (each editor is put in their own portal's groups) ----------
    root = Page.get_first_root_node()
    w.home_a = root.add_child(instance=PortalHomePage(title="Xã An Phú", unit=office.commune_a))
    w.home_b = root.add_child(instance=PortalHomePage(title="Xã Bình Minh", unit=office.commune_b))

    # --- API tokens (one per actor that talks to the API) --------------------------------------
    issued = {
        name: api_token_issue(user=user, name="matrix")
        for name, user in {
            "citizen_a": w.citizen_a,
            "citizen_b": w.citizen_b,
            "clerk_a": office.clerk,
            "clerk_b": office.clerk_b,
            "specialist_b": office.specialist_b,
            "specialist_a": office.specialist,
            "editor_a": w.editor_a,
            "admin_b": w.admin_b,
        }.items()
    }
    w.tokens = {name: token.raw for name, token in issued.items()}
    w.token_prefix_a = issued["citizen_a"].token.prefix
    return w


def _applicant(name: str, id_number: str) -> Any:
    from egov.dossiers.tests.factories import applicant

    return applicant(full_name=name, id_number=id_number, phone="0905777002", email="an@example.vn")


@pytest.fixture(scope="module")
def matrix_world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[SimpleNamespace]:
    """The matrix's world, rolled back when the module's tests are done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_matrix_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
