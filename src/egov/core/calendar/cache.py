"""The database rows of working calendars, kept in the shared cache (ADR 0023).

``selectors.calendar_for_unit`` reads a unit's lineage, calendar entries and working-hours
rows (three queries) through ``load``: on a hit, one cache round trip and no query.

* **Where**: Django's ``caches["default"]`` only (Redis in production, the database cache
  of the embedded topology, locmem in tests), never process memory: every web node and
  worker sees the same entries and the same generation.
* **What**: per unit (``None``: the nationwide calendar), the rows in plain values
  (``selectors.CalendarRows``: dates, names, schedule tuples; no model instance), together
  with the generation token read *before* the database was.  They do not depend on the
  date asked about: the schedule rows in force on any date are all there, and the
  ``WorkingCalendar`` is rebuilt from them on every call (microseconds).
* **Invalidation**: one generation token for every calendar, a random string in the shared
  cache.  Saving or deleting a ``CalendarEntry``, a ``WorkingSchedule`` or an
  administrative unit (created, deleted, or saved without ``update_fields`` that leave out
  ``parent``: its lineage) gives it a new value once the transaction commits; a cached
  value carrying another token is stale and read again.  A token, not a counter: a lost
  key (eviction, a Redis restart) can never come back to an old value.  Writes that send
  no signal (``QuerySet.update()``, ``bulk_create``, ``bulk_update``, raw SQL) must call
  ``calendar_cache_invalidate()`` (``transaction.on_commit``); the TTL bounds anything
  missed.
* **Read your own writes**: until the transaction that wrote a calendar row commits, the
  connection that wrote it reads the database directly and stores nothing (the shared
  cache must never hold rows another transaction may roll back).
* **TTL** ``EGOV_CALENDAR_CACHE_SECONDS`` (600; 0 turns the cache off).
* **Outage**: an unreachable cache (``CACHE_ERRORS``) is logged as a warning and the
  calendar is read from the database, as without a cache.
"""

from __future__ import annotations

import logging
import uuid
import weakref
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections, router, transaction
from django.db.models.signals import post_delete, post_save

from egov.core.calendar.models import CalendarEntry, WorkingSchedule

logger = logging.getLogger(__name__)

#: ``EGOV_CALENDAR_CACHE_SECONDS`` default: 10 minutes.
DEFAULT_CACHE_SECONDS = 600
#: Bump the version when the cached value's shape changes (old entries are then ignored).
KEY_PREFIX = "egov:calendar:v1"
GENERATION_KEY = f"{KEY_PREFIX}:generation"
#: What a cache backend raises when its server is unreachable: Redis, the database cache.
CACHE_ERRORS: tuple[type[Exception], ...] = (redis.RedisError, DatabaseError, OSError)

_Rows = TypeVar("_Rows")
# Connections inside a transaction that wrote a calendar row not yet committed.  Not shared
# state: a connection belongs to one thread, and the mark only lives until that
# transaction ends (see ``_write_pending``).
_pending: weakref.WeakSet[Any] = weakref.WeakSet()


def cache_seconds() -> int:
    """``settings.EGOV_CALENDAR_CACHE_SECONDS``; 0 (or less) turns the cache off."""
    return int(getattr(settings, "EGOV_CALENDAR_CACHE_SECONDS", DEFAULT_CACHE_SECONDS))


def unit_key(unit_id: int | None) -> str:
    return f"{KEY_PREFIX}:unit:{'national' if unit_id is None else int(unit_id)}"


def _new_token() -> str:
    return uuid.uuid4().hex


def _warn(action: str, exc: Exception) -> None:
    logger.warning(
        "working calendar: the shared cache failed to %s (%s: %s); reading the database",
        action,
        type(exc).__name__,
        exc,
    )


def _write_pending(alias: str) -> bool:
    """Whether this connection's open transaction wrote a calendar row (not yet committed)."""
    connection = connections[alias]
    if connection not in _pending:
        return False
    if not connection.in_atomic_block:
        # That transaction is over: committed (the generation was bumped) or rolled back.
        _pending.discard(connection)
        return False
    return True


def load(unit_id: int | None, read: Callable[[], _Rows]) -> _Rows:
    """The cached rows of ``unit_id``, or ``read()`` (then stored with the generation read first).

    One ``get_many`` (generation and entry) on a hit.  ``read`` may raise (an unknown
    unit): nothing is stored then.
    """
    seconds = cache_seconds()
    if seconds <= 0 or _write_pending(router.db_for_read(CalendarEntry)):
        return read()
    cache = caches["default"]
    key = unit_key(unit_id)
    try:
        found = cache.get_many([GENERATION_KEY, key])
        token = found.get(GENERATION_KEY)
        if token is None:
            token = _new_token()
            if not cache.add(GENERATION_KEY, token, timeout=None):
                token = cache.get(GENERATION_KEY)
        else:
            hit = found.get(key)
            if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == token:
                return hit[1]  # type: ignore[no-any-return]
    except CACHE_ERRORS as exc:
        _warn("read", exc)
        return read()
    rows = read()
    if token is not None:  # None: the new token was evicted at once; store nothing
        try:
            cache.set(key, (token, rows), seconds)
        except CACHE_ERRORS as exc:
            _warn("store", exc)
    return rows


def calendar_cache_invalidate() -> None:
    """Make every cached calendar stale now (call it on commit after a write without signals)."""
    try:
        caches["default"].set(GENERATION_KEY, _new_token(), timeout=None)
    except CACHE_ERRORS as exc:
        logger.warning(
            "working calendar: the shared cache failed to take a new generation (%s: %s); "
            "cached calendars may stay stale for up to EGOV_CALENDAR_CACHE_SECONDS",
            type(exc).__name__,
            exc,
        )


def _committed(connection: Any) -> None:
    _pending.discard(connection)
    calendar_cache_invalidate()


def calendar_rows_changed(*, using: str) -> None:
    """A calendar row changed on ``using``: stale on commit; until then this connection reads
    the database."""
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        _pending.add(connection)
    transaction.on_commit(partial(_committed, connection), using=using, robust=True)


def _on_row_changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    calendar_rows_changed(using=using)


def _on_unit_saved(
    sender: Any,
    created: bool = False,
    update_fields: Any = None,
    using: str = "default",
    **kwargs: Any,
) -> None:
    if (
        not created
        and update_fields is not None
        and not {"parent", "parent_id"} & set(update_fields)
    ):
        return  # a name or a status: the lineage is unchanged
    calendar_rows_changed(using=using)


def connect_signals() -> None:
    """Connect the invalidation receivers (``WorkCalendarConfig.ready``).

    The unit model is the one ``CalendarEntry.unit`` points to: ``core`` imports nothing
    from ``organizations``.
    """
    unit_model = CalendarEntry._meta.get_field("unit").related_model
    for model in (CalendarEntry, WorkingSchedule):
        name = model._meta.label_lower
        post_save.connect(_on_row_changed, sender=model, dispatch_uid=f"{__name__}.{name}.save")
        post_delete.connect(_on_row_changed, sender=model, dispatch_uid=f"{__name__}.{name}.delete")
    post_save.connect(_on_unit_saved, sender=unit_model, dispatch_uid=f"{__name__}.unit.save")
    post_delete.connect(_on_row_changed, sender=unit_model, dispatch_uid=f"{__name__}.unit.delete")
