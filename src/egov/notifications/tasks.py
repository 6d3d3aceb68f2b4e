"""Thin Celery tasks: take ids, call one service (STYLE rule 4)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from egov.notifications import digest, services


@shared_task(name="notifications.deliver", bind=True, max_retries=None, acks_late=True)  # type: ignore[untyped-decorator]
def deliver_task(self: Any, message_id: int) -> str:
    """Send one message; on a transient failure or a rate-limit wait, come back later.

    Without a broker (eager mode) a retry is not run inline: the message stays queued with
    its due time and ``notifications_dispatch`` (cron or beat) sends it.
    """
    outcome = services.message_deliver(message_id=message_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="notifications.dispatch")  # type: ignore[untyped-decorator]
def dispatch_task() -> int:
    return services.dispatch_due()


@shared_task(name="notifications.leader_digest")  # type: ignore[untyped-decorator]
def leader_digest_task() -> int:
    return digest.leader_digest_send()
