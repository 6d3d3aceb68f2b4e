"""The SMS gateway down for an hour: nothing lost, nothing failed early, the backlog drains.

A real HTTP gateway on loopback (``gateway.Gateway``) answers 500 for an hour of a
controlled clock (``django.utils.timezone.now`` patched); the dispatcher runs every minute
of that clock as beat would.  Then the gateway comes back and every message is sent once,
in the order the messages became due.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from unittest import mock

import pytest
from conftest import Clock  # the suite-wide "clock" fixture's type
from django.test import override_settings

from egov.core.tasks import RETRY_CAP_SECONDS
from egov.notifications import services
from egov.notifications.constants import Channel, MessageStatus
from egov.notifications.models import DeliveryAttempt, Message
from egov.notifications.tests.factories import CONTEXT, citizen
from egov.notifications.tests.gateway import Gateway

pytestmark = pytest.mark.django_db(transaction=True)

#: The documented defaults (conf/base.py, docs/operations/env-vars.md).
DEFAULTS = {"EGOV_NOTIFY_MAX_ATTEMPTS": 9, "EGOV_NOTIFY_RETRY_SECONDS": 30}
HOUR = dt.timedelta(hours=1)
MESSAGES = 12


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    with Gateway(default="500") as gw:
        yield gw


def _settings(url: str) -> override_settings:
    return override_settings(
        EGOV_SMS_BACKEND="http",
        EGOV_SMS_FALLBACK_BACKEND="",
        EGOV_SMS_RATE="",
        EGOV_SMS_HTTP={
            "url": url,
            "method": "POST",
            "content_type": "json",
            "body": '{"to": "{phone}", "text": "{text}", "ref": "{ref}"}',
            "auth": "",
            "success": "json:code=0",
            "message_id": "message_id",
            "timeout": 2,
        },
        **DEFAULTS,
    )


def test_the_default_schedule_outlasts_an_hour_even_with_the_shortest_jitter() -> None:
    with override_settings(**DEFAULTS), mock.patch("random.uniform", return_value=0.9):
        waits = [services.retry_delay(n) for n in range(1, DEFAULTS["EGOV_NOTIFY_MAX_ATTEMPTS"])]
    assert max(waits) <= RETRY_CAP_SECONDS
    # The last attempt comes this long after the first: well over an hour.
    assert sum(waits) >= 1.5 * HOUR.total_seconds()


def test_an_hour_of_gateway_failures_loses_nothing_and_the_backlog_drains_in_order(
    clock: Clock, gateway: Gateway
) -> None:
    with _settings(gateway.url):
        start = clock.now
        for i in range(MESSAGES):
            services.notify(
                "tests.hello",
                [citizen(phone=f"09051234{i:02d}", email="")],
                CONTEXT,
                dedupe_key=f"outage:{i}",
            )
            clock.tick(5)
        assert Message.objects.filter(channel=Channel.SMS).count() == MESSAGES
        # The gateway is down for an hour; beat runs the dispatcher every minute.
        while clock.now < start + HOUR:
            clock.tick(60)
            services.dispatch_due()
            assert not Message.objects.filter(status=MessageStatus.FAILED).exists()
        tried = len(gateway.requests)
        assert tried >= MESSAGES * 5  # each was retried several times in the hour
        assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.QUEUED}

        # The gateway is back: the backlog drains as the waits run out.
        gateway.default = "ok"
        due_order = list(
            Message.objects.order_by("next_attempt_at", "id").values_list("uuid", flat=True)
        )
        latest = max(Message.objects.values_list("next_attempt_at", flat=True))
        assert latest <= clock.now + dt.timedelta(seconds=RETRY_CAP_SECONDS)
        while Message.objects.filter(status=MessageStatus.QUEUED).exists():
            assert clock.now <= latest + dt.timedelta(minutes=2), "the backlog did not drain"
            clock.tick(60)
            services.dispatch_due()

    messages = list(Message.objects.all())
    assert {m.status for m in messages} == {MessageStatus.SENT}
    accepted = [r.data["ref"] for r in gateway.requests[tried:]]
    assert Counter(accepted) == Counter(str(m.uuid) for m in messages)  # each exactly once
    assert accepted == [str(u) for u in due_order]  # in the order they became due
    # Every try is in the delivery log: the failed ones of the hour and the one that worked.
    assert DeliveryAttempt.objects.count() == len(gateway.requests)
    assert max(m.attempts for m in messages) < DEFAULTS["EGOV_NOTIFY_MAX_ATTEMPTS"]


def test_a_message_whose_worker_died_while_sending_is_failed_as_uncertain_not_resent(
    clock: Clock, gateway: Gateway
) -> None:
    """The worker claimed it and died: the gateway may have it.  After the lease the
    dispatcher fails it visibly instead of sending it a second time."""
    gateway.default = "ok"
    with _settings(gateway.url):
        services.notify("tests.hello", [citizen(email="")], CONTEXT, dedupe_key="lost:1")
        message = Message.objects.get()
        assert message.status == MessageStatus.SENT
        # Imitate the dead worker: claimed, handed over, never recorded.
        Message.objects.filter(pk=message.pk).update(
            status=MessageStatus.SENDING,
            claimed_until=clock.now + services.CLAIM_LEASE,
            attempts=2,
        )
        clock.tick(60)
        services.dispatch_due()
        assert Message.objects.get().status == MessageStatus.SENDING  # the lease still runs
        clock.tick(services.CLAIM_LEASE.total_seconds())
        services.dispatch_due()
        services.dispatch_due()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.error.startswith("Không rõ đã gửi được hay chưa")
    assert message.failed_at == clock.now and message.claimed_until is None
    assert len(gateway.requests) == 1  # not sent again on its own
    # The interrupted try is in the delivery log too, with the same explanation.
    last = DeliveryAttempt.objects.filter(message=message).order_by("id").last()
    assert last is not None and last.number == 2 and last.outcome == "permanent"
    assert last.error == message.error
    copy = services.message_resend(message_id=message.pk, actor=None)  # an admin may
    assert copy.resent_from_id == message.pk
