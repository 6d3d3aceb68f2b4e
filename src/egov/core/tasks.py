"""Queueing background work after the surrounding transaction commits.

Services never call ``task.delay()`` directly: they call ``enqueue_on_commit`` so that a task
sees the committed rows and a rolled-back change sends nothing.  Without a broker
(``CELERY_BROKER_URL`` unset) Celery runs the task eagerly at that moment, in this process.
"""

from __future__ import annotations

import random
from typing import Any, Protocol


class _Task(Protocol):
    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


def enqueue_on_commit(task: _Task, *args: Any, **kwargs: Any) -> None:
    from django.db import transaction

    # robust: the change is already committed; a broker outage (or an error while a task runs
    # eagerly) must not turn it into a 500.  What was not queued is picked up by the
    # module's dispatcher (notifications_dispatch) and the error is logged.
    transaction.on_commit(lambda: task.delay(*args, **kwargs), robust=True)


#: The longest wait between two attempts of an outbox delivery.
RETRY_CAP_SECONDS = 3600


def retry_delay(attempts: int, base_seconds: float) -> float:
    """Seconds before attempt ``attempts + 1`` of an outbox delivery (notifications, the
    national portal): ``base_seconds`` × 2^(n-1), up to 10 % later so retries spread, at
    most an hour.  Never earlier than the doubling: an outage must not use up the attempts
    sooner than the documented schedule says (an hour's outage leaves attempts in reserve)."""
    wait = base_seconds * 2 ** max(0, attempts - 1)
    jitter = random.uniform(1.0, 1.1)  # noqa: S311 (spreading retries, not security)
    return float(min(RETRY_CAP_SECONDS, wait * jitter))


# --- Periodic: Wagtail's scheduled publishing (portal editorial workflow) ---------------------

from celery import shared_task  # noqa: E402 (this section was appended; tasks below)


@shared_task(name="core.publish_scheduled")
def publish_scheduled_task() -> None:
    """Publish the pages whose approved "go live" time has come and unpublish the expired
    ones: Wagtail's ``manage.py publish_scheduled``, which beat runs every minute."""
    from django.core.management import call_command

    call_command("publish_scheduled", verbosity=0)
