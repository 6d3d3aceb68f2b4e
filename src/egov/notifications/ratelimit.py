"""Per-channel rate limits shared by every node and worker: a fixed-window counter row.

``EGOV_SMS_RATE = "30/s"`` lets at most 30 SMS start per second over the whole
deployment: each delivery takes a ticket with one ``INSERT … ON CONFLICT DO UPDATE …
RETURNING`` (PostgreSQL and SQLite ≥ 3.35) in its own short transaction; a delivery over
the limit waits for the next window, which does not count as an attempt.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from egov.core.ratelimit import Rate
from egov.core.ratelimit import parse_rate as parse_any_rate
from egov.notifications.constants import Channel
from egov.notifications.models import RateWindow

#: Longest window a channel's counter row may cover (per hour at most).
MAX_PERIOD = 3600


def parse_rate(value: str) -> Rate | None:
    """``"30/s"`` → Rate(30, 1); ``""`` → no limit; anything else (a daily rate included) is
    a configuration error.  The syntax is the one of every limit (``core.ratelimit``)."""
    if not value.strip():
        return None
    rate = parse_any_rate(value)
    if rate.period > MAX_PERIOD:
        raise ImproperlyConfigured(
            f"rate {value!r}: a channel's rate is per second, minute or hour, e.g. '30/s'"
        )
    return rate


def channel_rate(channel: str) -> Rate | None:
    setting = {Channel.SMS: settings.EGOV_SMS_RATE, Channel.EMAIL: settings.EGOV_EMAIL_RATE}
    return parse_rate(setting.get(channel, ""))  # type: ignore[call-overload]


def rate_acquire(channel: str, now: float | None = None) -> float:
    """Take a ticket for one message; 0 when allowed, else the seconds until the next window."""
    rate = channel_rate(channel)
    if rate is None:
        return 0.0
    now = time.time() if now is None else now
    start = int(now // rate.period) * rate.period
    table = connection.ops.quote_name(RateWindow._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (counter, slot, used) VALUES (%s, %s, 1) "  # noqa: S608  # nosec B608  # table name from Model._meta, values bound
            f"ON CONFLICT (counter, slot) DO UPDATE SET used = {table}.used + 1 "
            "RETURNING used",
            [channel, start],
        )
        row = cursor.fetchone()
    assert row is not None
    if int(row[0]) <= rate.limit:
        return 0.0
    return max(0.05, start + rate.period - now)


def rate_windows_prune(before: float | None = None) -> int:
    """Delete counters of windows older than an hour (the dispatcher calls it)."""
    cutoff = (time.time() if before is None else before) - 3600
    deleted, _ = RateWindow.objects.filter(slot__lt=int(cutoff)).delete()
    return int(deleted)
