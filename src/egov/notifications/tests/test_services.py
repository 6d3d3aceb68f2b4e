"""The outbox: notify writes rows once, delivers after commit, retries, fails, resends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from egov.notifications import services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.errors import NotificationError, SendError
from egov.notifications.models import DeliveryAttempt, Message
from egov.notifications.providers.base import SendResult
from egov.notifications.providers.console import ConsoleProvider
from egov.notifications.tests.factories import CONTEXT, citizen

pytestmark = pytest.mark.django_db(transaction=True)


def test_notify_queues_one_message_per_channel_and_delivers_after_commit() -> None:
    with transaction.atomic():
        result = services.notify(
            "tests.hello", [citizen()], CONTEXT, dedupe_key="t:1", link="https://x.vn/h"
        )
        assert Message.objects.filter(status=MessageStatus.QUEUED).count() == 2
    # No account, so no bell: SMS and e-mail only.
    assert len(result.queued) == 2
    sms = Message.objects.get(channel=Channel.SMS)
    assert sms.address == "+84905123456"
    assert sms.status == MessageStatus.SENT
    assert sms.body == "Ho so 000.00.13.H49-261127-0001 da duoc tiep nhan, hen tra 02/12/2026."
    assert sms.encoding == "GSM-7" and sms.segments == 1
    assert Message.objects.get(channel=Channel.EMAIL).status == MessageStatus.SENT
    assert mail.outbox[0].subject == "Hồ sơ 000.00.13.H49-261127-0001 đã được tiếp nhận"
    assert "https://x.vn/h" in mail.outbox[0].body


def test_a_rolled_back_change_sends_nothing() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notify("tests.hello", [citizen()], CONTEXT, dedupe_key="t:2")
        raise RuntimeError
    assert not Message.objects.exists()
    assert not mail.outbox


def test_the_same_event_never_sends_twice() -> None:
    services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:3")
    again = services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:3")
    assert again.queued == [] and len(again.existing) == 1
    assert Message.objects.filter(channel=Channel.SMS).count() == 1


@override_settings(EGOV_SMS_ASCII=False)
def test_sms_keeps_diacritics_when_asked_and_counts_ucs2() -> None:
    services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:4")
    sms = Message.objects.get(channel=Channel.SMS)
    assert sms.body.startswith("Hồ sơ")
    assert len(sms.body) == 70
    assert sms.encoding == "UCS-2" and sms.segments == 1


def test_unknown_event_is_refused() -> None:
    with pytest.raises(NotificationError):
        services.notify("tests.nope", [citizen()], CONTEXT, dedupe_key="t:5")


def test_transient_failure_is_retried_then_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: ConsoleProvider, sms: object) -> SendResult:
        raise SendError("Hết thời gian chờ", transient=True)

    monkeypatch.setattr(ConsoleProvider, "send", boom)
    with override_settings(EGOV_NOTIFY_MAX_ATTEMPTS=3):
        services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:6")
        message = Message.objects.get(channel=Channel.SMS)
        assert message.status == MessageStatus.QUEUED and message.attempts == 1
        assert message.next_attempt_at is not None
        for _ in range(2):
            Message.objects.filter(pk=message.pk).update(
                next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
            )
            assert services.dispatch_due() == 1
        message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert DeliveryAttempt.objects.filter(message=message).count() == 3
    monkeypatch.undo()
    copy = services.message_resend(message_id=message.pk, actor=None)
    copy.refresh_from_db()
    assert copy.status == MessageStatus.SENT and copy.resent_from_id == message.pk


def test_sensitive_body_leaves_the_log_once_sent() -> None:
    services.notify("tests.code", [citizen(email="")], {"code": "482913"}, dedupe_key="t:7")
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert "482913" not in message.body
    with pytest.raises(NotificationError):
        services.message_resend(message_id=message.pk, actor=None)


def test_opt_out_skips_but_mandatory_still_sends() -> None:
    services.optout_add(channel=Channel.SMS, address="0905123456")
    services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:8")
    services.notify("tests.code", [citizen(email="")], {"code": "1"}, dedupe_key="t:9")
    assert Message.objects.get(event="tests.hello").status == MessageStatus.SKIPPED
    assert Message.objects.get(event="tests.code").status == MessageStatus.SENT


def test_the_dedupe_and_opt_out_checks_are_one_query_each() -> None:
    """Two recipients on two channels: one dedupe query and one opt-out query in all, the
    same messages (the opted-out address skipped, a repeated address written once)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.optout_add(channel=Channel.EMAIL, address="dao.nguyen@example.vn")
    services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="t:q")
    people = [citizen(), citizen(name="Trần Văn Bình", phone="0905 654 321", email="")]
    with CaptureQueriesContext(connection) as queries:
        result = services.notify("tests.hello", people, CONTEXT, dedupe_key="t:q")
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert len([q for q in selects if '"notifications_optout"' in q]) == 1
    # (the other reads of a message are its delivery, run eagerly here after commit)
    assert len([q for q in selects if '"notifications_message"."dedupe_key" =' in q]) == 1
    assert len(result.existing) == 1  # the first one's SMS
    assert len(result.skipped) == 1  # the e-mail opted out
    assert len(result.queued) == 1  # the second one's SMS
    again = services.notify("tests.hello", people + people, CONTEXT, dedupe_key="t:q")
    assert len(again.existing) == 6 and again.queued == [] and again.skipped == []
    assert Message.objects.filter(dedupe_key="t:q").count() == 3


def test_the_checks_read_many_recipients_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "CHECK_BATCH", 2)
    services.optout_add(channel=Channel.SMS, address="0905000003")
    people = [citizen(phone=f"0905 00000{n}", email=f"p{n}@example.vn") for n in range(1, 5)]
    services.notify("tests.hello", people[:2], CONTEXT, dedupe_key="t:slices")
    result = services.notify("tests.hello", people, CONTEXT, dedupe_key="t:slices")
    assert len(result.existing) == 4  # both channels of the first two
    assert len(result.skipped) == 1  # the SMS of the third, opted out
    assert len(result.queued) == 3
    assert Message.objects.filter(dedupe_key="t:slices").count() == 8
