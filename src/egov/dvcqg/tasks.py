"""Thin Celery tasks: take ids, call one service (STYLE rule 4)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from egov.dvcqg import services


@shared_task(name="dvcqg.deliver", bind=True, max_retries=None, acks_late=True)  # type: ignore[untyped-decorator]
def deliver_task(self: Any, item_id: int) -> str:
    """Push one item; after a failure, come back when it is due again.

    Without a broker (eager mode) a retry is not run inline: the item stays pending with
    its due time and ``dvcqg_dispatch`` (cron or beat) sends it.
    """
    outcome = services.item_deliver(item_id=item_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status


@shared_task(name="dvcqg.timeline", acks_late=True)  # type: ignore[untyped-decorator]
def timeline_task(dossier_id: int) -> str:
    return services.timeline_deliver(dossier_id=dossier_id).status


@shared_task(name="dvcqg.dispatch")  # type: ignore[untyped-decorator]
def dispatch_task() -> int:
    if not settings.EGOV_DVCQG_ENABLED:
        return 0
    return services.dispatch_due()


@shared_task(name="dvcqg.pull")  # type: ignore[untyped-decorator]
def pull_task() -> int:
    if not (settings.EGOV_DVCQG_ENABLED and settings.EGOV_DVCQG_PULL_ENABLED):
        return 0
    return services.pull_inbound().created
