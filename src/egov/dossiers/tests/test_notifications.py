"""The one-stop shop talks to citizens and staff through the notifications module.

What a citizen receives and on which channel, what staff see in the bell, that a
rolled-back action or an announcement made twice sends nothing more, that a broken
notification never breaks an action, and the desk form and the API recording the
citizen's choice of channels.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from egov.dossiers import messages, notify, services
from egov.dossiers.constants import Action
from egov.dossiers.intake_forms import IntakeForm
from egov.dossiers.models import Dossier
from egov.dossiers.tests.api_helpers import ApiUser
from egov.dossiers.tests.factories import applicant, make_staff, receive
from egov.dossiers.tests.intake_helpers import form_url
from egov.notifications.constants import Audience, Channel, MessageStatus
from egov.notifications.models import Message
from egov.notifications.registry import event_get
from egov.notifications.rendering import render, sample_context, template_errors
from egov.notifications.sms import sms_ascii, sms_info
from egov.organizations.constants import Role

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# Monday 07/12/2026, 09:00 (a working day); 5 working days later: Monday 14/12/2026 09:00.
MONDAY = dt.datetime(2026, 12, 7, 9, 0, tzinfo=VN)


def act(actor: Any, dossier: Dossier, action: str, **payload: Any) -> Dossier:
    return services.dossier_act(
        actor=actor, code=dossier.code, action=action, payload=payload, at=MONDAY
    )


def messages_of(dossier: Dossier, **filters: Any) -> list[Message]:
    return list(
        Message.objects.filter(
            related_kind="dossier", related_ref=dossier.code, **filters
        ).order_by("id")
    )


def citizen_messages(dossier: Dossier, **filters: Any) -> list[Message]:
    return messages_of(dossier, channel__in=[Channel.SMS, Channel.EMAIL], **filters)


def console_url(dossier: Dossier) -> str:
    return settings.EGOV_BASE_URL + reverse("egov_dossiers:detail", kwargs={"code": dossier.code})


# --- citizens -------------------------------------------------------------------------------


def test_receiving_at_the_desk_sends_the_appointment_by_sms_and_email(
    office, permit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(office, permit, at=MONDAY)
    sms = Message.objects.get(related_ref=dossier.code, channel=Channel.SMS)
    assert sms.event == messages.RECEIVED
    assert sms.address == "+84905123456"  # the normalised phone
    assert dossier.code in sms.body and "09:00 14/12/2026" in sms.body
    assert sms.body.startswith("Ho so ")  # folded to GSM-7 (EGOV_SMS_ASCII)
    assert sms.encoding == "GSM-7" and sms.segments == 1
    assert f"/tra-cuu-ho-so/?ma={dossier.code}" in sms.body
    email = Message.objects.get(related_ref=dossier.code, channel=Channel.EMAIL)
    assert email.address == "an@example.vn"
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Cấp giấy phép xây dựng nhà ở riêng lẻ" in email.body
    assert "Hẹn trả kết quả: 09:00 14/12/2026" in email.body
    assert "Bộ phận Một cửa xã An Phú" in email.body
    # Delivered after commit: the console SMS provider and the test mailbox.
    sms.refresh_from_db()
    assert sms.status == MessageStatus.SENT
    assert [m.subject for m in mail.outbox] == [email.subject]
    # The clerk holds the first step themselves: no bell for their own action.
    assert not messages_of(dossier, channel=Channel.INAPP)


def test_the_citizens_choice_of_channels_is_honoured(office, permit):
    dossier = receive(office, permit, at=MONDAY, notify_sms=False)
    assert not dossier.notify_sms and dossier.notify_email
    assert [m.channel for m in citizen_messages(dossier)] == [Channel.EMAIL]
    nothing = receive(office, permit, at=MONDAY, notify_sms=False, notify_email=False)
    assert citizen_messages(nothing) == []


def test_no_phone_means_no_sms_and_no_error(office, permit, caplog):
    caplog.set_level(logging.ERROR, logger="egov.dossiers.notify")
    dossier = receive(office, permit, at=MONDAY, applicant=applicant(phone=""))
    assert dossier.notify_sms  # the choice is kept; there is simply nowhere to send
    assert [m.channel for m in citizen_messages(dossier)] == [Channel.EMAIL]
    no_address = receive(office, permit, at=MONDAY, applicant=applicant(phone="", email=""))
    assert citizen_messages(no_address) == []
    assert not caplog.records


def test_refusal_at_the_desk_sends_the_reason(office, permit):
    reason = "Thửa đất không thuộc địa bàn xã An Phú; đề nghị nộp tại UBND xã Bình Minh"
    dossier = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(procedure_code=permit.procedure.code, applicant=applicant()),
        outcome="refuse",
        reason=reason,
        at=MONDAY,
    )
    sms = Message.objects.get(related_ref=dossier.code, channel=Channel.SMS)
    assert sms.event == messages.REFUSED
    assert "Ly do: Thua dat khong thuoc dia ban xa An Phu" in sms.body
    assert sms.segments <= 2
    email = Message.objects.get(related_ref=dossier.code, channel=Channel.EMAIL)
    assert f"Lý do: {reason}" in email.body


def test_supplement_at_intake_says_what_is_missing(office, permit):
    dossier = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(procedure_code=permit.procedure.code, applicant=applicant()),
        outcome="incomplete",
        reason="Hồ sơ chưa đủ thành phần",
        items="Bản vẽ mặt bằng móng",
        at=MONDAY,
    )
    email = Message.objects.get(related_ref=dossier.code, channel=Channel.EMAIL)
    assert email.event == messages.SUPPLEMENT_REQUESTED
    assert "Hồ sơ chưa đủ thành phần: Bản vẽ mặt bằng móng" in email.body


def test_payment_reschedule_result_and_return_reach_the_citizen(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "request_payment", reason="Lệ phí trước bạ", amount=1250000)
    email = citizen_messages(d, event=messages.PAYMENT_REQUESTED, channel=Channel.EMAIL)[0]
    assert "Số tiền: 1.250.000 đồng" in email.body
    d = act(office.clerk, d, "confirm_payment", receipt_number="BL-01")
    d = act(
        office.specialist,
        d,
        "reschedule",
        reason="Chờ kết quả đo đạc",
        new_due_at="2026-12-18T16:00:00+07:00",
    )
    sms = citizen_messages(d, event=messages.RESCHEDULED, channel=Channel.SMS)[0]
    assert "hen tra lai 16:00 18/12/2026" in sms.body and sms.body.startswith("Xin loi")
    for actor in (office.specialist, office.head, office.leader):
        d = act(actor, d, "forward")
    d = act(office.doc_clerk, d, "resolve", results=[{"name": "Giấy phép xây dựng"}])
    ready = citizen_messages(d, event=messages.RESULT_READY, channel=Channel.EMAIL)[0]
    assert "Hình thức nhận kết quả: Trả tại Bộ phận Một cửa" in ready.body
    d = act(office.clerk, d, "return_result")
    assert citizen_messages(d, event=messages.RETURNED)
    # Forwarding, confirming a payment: internal, nothing to the citizen.
    events = {m.event for m in citizen_messages(d)}
    assert events == {
        messages.RECEIVED,
        messages.PAYMENT_REQUESTED,
        messages.RESCHEDULED,
        messages.RESULT_READY,
        messages.RETURNED,
    }


def test_stop_sends_the_reason(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.clerk, d, "request_withdrawal", reason="Người nộp xin rút hồ sơ")
    assert citizen_messages(d) == citizen_messages(d, event=messages.RECEIVED)
    d = act(office.head, d, "stop", reason="Người nộp đề nghị dừng giải quyết")
    sms = citizen_messages(d, event=messages.STOPPED, channel=Channel.SMS)[0]
    assert "Nguoi nop de nghi dung giai quyet" in sms.body


def test_a_lien_thong_sub_dossier_never_messages_the_citizen(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(office.specialist, d, "transfer", agency_id=office.pc_b.pk, hours=8, note="Xác minh")
    sub = d.sub_dossiers.get()
    # The sub-dossier's handler is told in the bell; the master's line adds nothing.
    bell = messages_of(sub, channel=Channel.INAPP)
    assert [(m.event, m.recipient_user_id) for m in bell] == [
        (messages.ASSIGNED, office.specialist_b.pk)
    ]
    master_line = d.events.get(action=Action.TRANSFER)
    assert not Message.objects.filter(dedupe_key__startswith=f"dossier-event:{master_line.pk}")
    services.dossier_act(actor=office.specialist_b, code=sub.code, action="resolve", at=MONDAY)
    assert citizen_messages(sub) == []


# --- staff ----------------------------------------------------------------------------------


def test_forward_puts_the_dossier_in_the_next_handlers_bell(office, permit):
    d = receive(office, permit, at=MONDAY)
    d = act(office.clerk, d, "forward", handler_id=office.specialist.pk, note="Hồ sơ đủ")
    bell = Message.objects.get(related_ref=d.code, channel=Channel.INAPP)
    assert bell.event == messages.ASSIGNED
    assert bell.recipient_user_id == office.specialist.pk
    assert bell.address == f"user:{office.specialist.pk}"
    assert bell.status == MessageStatus.SENT and bell.read_at is None
    assert bell.subject == f"Hồ sơ {d.code} chuyển đến ông/bà"
    task = d.tasks.get(handler=office.specialist, state="active")
    due = task.due_at.astimezone(VN).strftime("%H:%M %d/%m/%Y")
    assert f"Bước “{task.name}”, hạn xử lý {due}" in bell.body
    assert "Người chuyển: Nguyễn Thị Hà" in bell.body and "Hồ sơ đủ" in bell.body
    assert bell.link == console_url(d)
    assert citizen_messages(d, event=messages.ASSIGNED) == []


def test_reassign_and_send_back_tell_the_new_holder(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    other = make_staff(Role.SPECIALIST, office.pc_a, username="chuyenvien2")
    d = act(office.leader, d, "reassign", handler_id=other.pk, task_order=2)
    assert messages_of(d, channel=Channel.INAPP, recipient_user=other)[0].event == (
        messages.ASSIGNED
    )
    d = act(other, d, "forward")
    d = act(office.head, d, "send_back", reason="Bổ sung ý kiến thẩm định")
    back = messages_of(d, channel=Channel.INAPP, event=messages.SENT_BACK)
    assert [m.recipient_user_id for m in back] == [other.pk]
    assert "Lý do: Bổ sung ý kiến thẩm định" in back[0].body


def test_a_request_for_opinions_reaches_the_asked_agencys_leaders(office, permit):
    leader_b = make_staff(Role.LEADER, office.pc_b, username="lanhdao_b")
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    d = act(
        office.specialist,
        d,
        "request_opinions",
        agency_ids=[office.pc_b.pk],
        question="Xin ý kiến về lộ giới.",
    )
    bell = messages_of(d, channel=Channel.INAPP, event=messages.OPINION_REQUESTED)
    # The leader of the asked agency, not its specialist (leaders hand the question on).
    assert [m.recipient_user_id for m in bell] == [leader_b.pk]
    assert "Xin ý kiến về lộ giới." in bell[0].body
    assert "Ủy ban nhân dân xã Bình Minh" in bell[0].body


def test_resolve_tells_the_desk_that_the_result_is_back(office, permit):
    d = act(office.clerk, receive(office, permit, at=MONDAY), "forward")
    for actor in (office.specialist, office.head, office.leader):
        d = act(actor, d, "forward")
    d = act(office.doc_clerk, d, "resolve", results=[{"name": "Giấy phép xây dựng"}])
    bell = messages_of(d, channel=Channel.INAPP, recipient_user=office.clerk)
    assert [m.event for m in bell] == [messages.ASSIGNED]
    # One action, two events: each has its own dedupe key.
    keys = {m.dedupe_key for m in messages_of(d)}
    event = d.events.get(action=Action.RESOLVE)
    assert f"dossier-event:{event.pk}:{messages.RESULT_READY}" in keys
    assert f"dossier-event:{event.pk}:{messages.ASSIGNED}" in keys


# --- the outbox -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing(office, permit):
    with pytest.raises(RuntimeError), transaction.atomic():
        receive(office, permit, at=MONDAY)
        assert Message.objects.exists()
        raise RuntimeError("the desk's transaction fails after the dossier was written")
    assert not Dossier.objects.exists()
    assert not Message.objects.exists()
    assert not mail.outbox


def test_the_same_event_announced_twice_sends_once(office, permit):
    dossier = receive(office, permit, at=MONDAY)
    before = len(messages_of(dossier))
    notify.announce(dossier.events.get())
    assert len(messages_of(dossier)) == before == 2


def test_a_broken_notification_never_breaks_the_action(office, permit, monkeypatch, caplog):
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("template engine down")

    monkeypatch.setattr(notify, "notify", broken)
    caplog.set_level(logging.ERROR, logger="egov.dossiers.notify")
    dossier = receive(office, permit, at=MONDAY)
    d = act(office.clerk, dossier, "forward", handler_id=office.specialist.pk)
    assert d.handler == office.specialist
    assert not Message.objects.exists()
    assert "could not queue dossiers.received" in caplog.text
    assert "could not queue dossiers.assigned" in caplog.text


def test_every_mapped_action_points_to_a_declared_event():
    mapped = set()
    for action in Action:
        for key in notify.event_keys(action):
            spec = event_get(key)
            assert spec is not None, f"{action} → {key} is not declared"
            mapped.add(key)
            if key in notify.CITIZEN_EVENTS.values():
                assert spec.audience == Audience.CITIZEN
                assert set(spec.channels) == {Channel.SMS, Channel.EMAIL}
            else:
                assert spec.audience == Audience.STAFF and spec.channels == (Channel.INAPP,)
    assert mapped == set(messages.EVENTS)
    assert notify.event_keys(Action.SUBMIT) == []
    assert notify.event_keys(Action.SUB_COMPLETED) == []


def test_sms_defaults_fit_two_segments_and_most_fit_one():
    one_segment = set()
    for key in messages.EVENTS:
        spec = event_get(key)
        assert spec is not None
        for (channel, language), text in spec.defaults.items():
            assert set(spec.placeholders) >= {"code"}
            if channel != Channel.SMS:
                continue
            body = sms_ascii(" ".join(render(text.body, sample_context(spec)).split()))
            info = sms_info(body)
            assert info.encoding == "GSM-7"
            assert info.segments <= 2, (key, language, body)
            if info.segments == 1:
                one_segment.add(key)
    # A reason (refusal, supplement, stop) needs the second segment; the rest fit in one.
    assert one_segment == {
        messages.RECEIVED,
        messages.PAYMENT_REQUESTED,
        messages.RESCHEDULED,
        messages.RESULT_READY,
        messages.RETURNED,
    }


def test_every_default_text_passes_the_template_editor():
    for key in messages.EVENTS:
        spec = event_get(key)
        assert spec is not None
        for (channel, language), text in spec.defaults.items():
            errors = template_errors(spec, channel, text.subject, text.body)
            assert errors == {}, (key, channel, language, errors)


def test_a_long_reason_is_cut_for_the_sms_but_not_for_the_email(office, permit):
    reason = "Thiếu giấy tờ: " + ", ".join(f"bản sao giấy tờ số {n}" for n in range(1, 30))
    dossier = services.dossier_receive(
        actor=office.clerk,
        data=services.IntakeData(procedure_code=permit.procedure.code, applicant=applicant()),
        outcome="refuse",
        reason=reason,
        at=MONDAY,
    )
    sms = Message.objects.get(related_ref=dossier.code, channel=Channel.SMS)
    assert sms.segments == 2 and sms.body.count("...") == 1
    email = Message.objects.get(related_ref=dossier.code, channel=Channel.EMAIL)
    assert reason in email.body


# --- recording the choice -------------------------------------------------------------------


def test_the_api_intake_records_the_channels(client: Client, office, permit):
    cache.clear()  # the token endpoint's throttle counts in the cache
    clerk = ApiUser(client, office.clerk)
    response = clerk.intake(notify_sms=False)
    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    assert (dossier.notify_sms, dossier.notify_email) == (False, True)
    assert [m.channel for m in citizen_messages(dossier)] == [Channel.EMAIL]
    default = clerk.intake()
    assert Dossier.objects.get(code=default.json()["code"]).notify_sms is True
    bad = clerk.intake(notify_email="không")
    assert bad.status_code == 422
    assert "notify_email" in str(bad.json())
    cache.clear()


def test_an_online_submission_takes_the_choice(office, permit):
    dossier = services.dossier_submit(
        actor=office.citizen,
        data=services.IntakeData(
            procedure_code=permit.procedure.code,
            applicant=applicant(),
            receiving_agency_id=office.desk_a.pk,
            notify_email=False,
        ),
        at=MONDAY,
    )
    assert (dossier.notify_sms, dossier.notify_email) == (True, False)
    assert citizen_messages(dossier) == []  # submitting is the citizen's own act
    d = act(office.clerk, dossier, "accept")
    assert [m.channel for m in citizen_messages(d)] == [Channel.SMS]


def test_the_desk_form_offers_the_channels_and_hints_a_missing_address(client, office, permit):
    client.force_login(office.clerk)
    body = client.get(form_url(permit)).content.decode()
    assert "Nhận thông báo qua:" in body
    assert 'name="notify_sms"' in body and 'name="notify_email"' in body
    assert body.count("checked") >= 2  # both ticked by default
    assert "sẽ không gửi SMS" not in body  # no hint on a blank form

    form = IntakeForm(
        {
            "channel": "direct",
            "applicant_kind": "citizen",
            "applicant_name": "Nguyễn Văn An",
            "applicant_phone": "",
            "applicant_email": "an@example.vn",
            "sets": "1",
            "return_method": "desk",
            "notify_sms": "on",
        }
    )
    assert form.is_valid(), form.errors
    assert form.notify_choice() == {"notify_sms": True, "notify_email": False}
    assert form.notify_hints() == [
        "Đã chọn nhận thông báo qua SMS nhưng chưa có số điện thoại: sẽ không gửi SMS."
    ]
    readonly = IntakeForm(readonly=True)
    assert readonly.notify_fields() == [] and readonly.notify_hints() == []
