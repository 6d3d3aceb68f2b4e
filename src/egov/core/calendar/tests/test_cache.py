"""``calendar_for_unit`` through the shared cache (ADR 0023): hits, invalidation, outages.

The test settings' cache is locmem: shared by the whole test process, like Redis between
web nodes.  ``committed`` runs the writes' ``on_commit`` callbacks as a commit would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from egov.core.calendar import cache as calendar_cache
from egov.core.calendar.constants import CalendarEntryKind
from egov.core.calendar.errors import CalendarUnitNotFound
from egov.core.calendar.models import CalendarEntry, WorkingSchedule
from egov.core.calendar.selectors import calendar_for_unit
from egov.core.calendar.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
)
from egov.core.calendar.tests.conftest import at

pytestmark = pytest.mark.django_db

OFF = CalendarEntryKind.DAY_OFF
WORK = CalendarEntryKind.WORKING_DAY
WEDNESDAY = date(2026, 3, 11)
ON = at(2026, 3, 10, 9, 0)

Committed = Callable[[], AbstractContextManager[Any]]
# A database of its own on the local Redis (other tests use 9 and 13); only this test's
# keys are deleted, never the whole database.
REDIS_URL = "redis://127.0.0.1:6379/11"


def _redis_cache(location: str) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "test-calendar",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Committed:
    """``with committed(): ...``: the block's writes are committed (callbacks run)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def empty_cache(committed: Committed) -> Iterator[None]:
    """An empty shared cache, and no write of an earlier (rolled back) test still pending."""
    caches["default"].clear()
    with committed():
        calendar_cache.calendar_rows_changed(using="default")
    yield
    caches["default"].clear()


@pytest.fixture
def tree(make_unit: Callable[..., Any], committed: Committed) -> dict[str, Any]:
    with committed():
        province = make_unit("Tỉnh Một", level="province")
        other = make_unit("Tỉnh Hai", level="province")
        commune = make_unit("Xã Một", parent=province)
    return {"province": province, "other": other, "commune": commune}


def queries(call: Callable[[], Any]) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        result = call()
    return result, len(captured)


def token() -> Any:
    return caches["default"].get(calendar_cache.GENERATION_KEY)


def test_a_warm_call_runs_no_query_for_any_date(tree: dict[str, Any]) -> None:
    commune = tree["commune"]
    cold, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
    assert count == 3  # lineage, entries, schedules
    warm, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
    assert count == 0
    assert warm.sessions == cold.sessions
    assert warm.add_working_days(ON, 30) == cold.add_working_days(ON, 30)
    # The rows hold the hours of every date: another day is a hit too.
    _, count = queries(lambda: calendar_for_unit(commune.pk, on=date(2027, 1, 4)))
    assert count == 0
    # The nationwide calendar has its own entry (two queries: no lineage).
    _, count = queries(lambda: calendar_for_unit(None))
    assert count == 2
    _, count = queries(lambda: calendar_for_unit(None))
    assert count == 0


def test_a_new_changed_or_deleted_entry_is_seen_at_once(
    tree: dict[str, Any], admin_user: Any, committed: Committed
) -> None:
    commune, province = tree["commune"], tree["province"]
    assert calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)
    with committed():
        entry = calendar_entry_create(
            actor=admin_user, unit_id=province.pk, date=WEDNESDAY, kind=OFF, name="Lễ hội"
        )
    cal, count = queries(lambda: calendar_for_unit(commune.pk))
    assert count == 3 and not cal.is_working_day(WEDNESDAY)
    assert cal.day_info(WEDNESDAY).name == "Lễ hội"
    with committed():
        calendar_entry_update(actor=admin_user, entry_id=entry.pk, date=date(2026, 3, 12))
    cal = calendar_for_unit(commune.pk)
    assert cal.is_working_day(WEDNESDAY) and not cal.is_working_day(date(2026, 3, 12))
    with committed():
        calendar_entry_delete(actor=admin_user, entry_id=entry.pk)
    assert calendar_for_unit(commune.pk).is_working_day(date(2026, 3, 12))
    # A nationwide entry written with the ORM alone (no service) makes it stale too.
    with committed():
        CalendarEntry.objects.create(unit=None, date=WEDNESDAY, kind=OFF, name="Toàn quốc")
    assert not calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)
    assert not calendar_for_unit(None).is_working_day(WEDNESDAY)


def test_the_writing_transaction_reads_its_own_write_and_stores_nothing(
    tree: dict[str, Any],
) -> None:
    commune = tree["commune"]
    assert calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)
    before = token()
    # Not committed yet (no callback has run): this connection bypasses the cache.
    CalendarEntry.objects.create(unit=commune, date=WEDNESDAY, kind=OFF, name="Chưa lưu")
    cal, count = queries(lambda: calendar_for_unit(commune.pk))
    assert count == 3 and not cal.is_working_day(WEDNESDAY)
    stored_token, stored_rows = caches["default"].get(calendar_cache.unit_key(commune.pk))
    assert stored_token == before == token()
    assert WEDNESDAY not in stored_rows[0]  # the shared cache never holds uncommitted rows


def test_new_working_hours_are_seen_at_once(tree: dict[str, Any], committed: Committed) -> None:
    commune, province = tree["commune"], tree["province"]
    assert calendar_for_unit(commune.pk, on=ON).closing_time(date(2026, 3, 10)) == at(
        2026, 3, 10, 17, 30
    )
    with committed():
        WorkingSchedule.objects.create(
            unit=province, sessions="07:00-11:00,13:00-17:00", effective_from=date(2026, 3, 1)
        )
    cal, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
    assert count == 3 and cal.closing_time(date(2026, 3, 10)) == at(2026, 3, 10, 17, 0)
    # Before the row's date the old hours apply, from the same cached rows.
    earlier, count = queries(lambda: calendar_for_unit(commune.pk, on=date(2026, 2, 27)))
    assert count == 0 and earlier.closing_time(date(2026, 2, 27)) == at(2026, 2, 27, 17, 30)
    # The commune's own hours beat its province's; the newest row of a unit wins.
    with committed():
        WorkingSchedule.objects.create(
            unit=commune, sessions="08:00-12:00", effective_from=date(2026, 3, 5)
        )
        WorkingSchedule.objects.create(
            unit=commune, sessions="08:00-11:00", effective_from=date(2026, 3, 9)
        )
    assert calendar_for_unit(commune.pk, on=ON).closing_time(date(2026, 3, 10)) == at(
        2026, 3, 10, 11, 0
    )
    assert calendar_for_unit(commune.pk, on=date(2026, 3, 6)).sessions[-1].end.hour == 12
    assert calendar_for_unit(commune.pk, on=date(2026, 3, 2)).sessions[-1].end.hour == 17


def test_moving_a_unit_to_another_parent_is_seen_at_once(
    tree: dict[str, Any], committed: Committed
) -> None:
    commune, province, other = tree["commune"], tree["province"], tree["other"]
    with committed():
        CalendarEntry.objects.create(unit=province, date=WEDNESDAY, kind=OFF, name="Tỉnh Một")
    assert not calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)
    # Renaming (update_fields without the parent) keeps the cached calendars.
    before = token()
    with committed():
        commune.name = "Xã Một (tên mới)"
        commune.save(update_fields=["name"])
    assert token() == before
    _, count = queries(lambda: calendar_for_unit(commune.pk))
    assert count == 0
    with committed():
        commune.parent = other
        commune.save()
    cal, count = queries(lambda: calendar_for_unit(commune.pk))
    assert count == 3 and cal.is_working_day(WEDNESDAY)
    with committed():
        commune.parent = province
        commune.save(update_fields=["parent"])
    assert not calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)


def test_a_deleted_unit_is_not_found_any_more(
    make_unit: Callable[..., Any], committed: Committed
) -> None:
    with committed():
        unit = make_unit()
    unit_id = unit.pk
    calendar_for_unit(unit_id)
    with committed():
        unit.delete()
    for _ in range(2):  # an unknown unit is never cached
        with pytest.raises(CalendarUnitNotFound):
            calendar_for_unit(unit_id)


@pytest.mark.parametrize("failing", ["get_many", "set", "add"])
def test_a_failing_cache_falls_back_to_the_database(
    tree: dict[str, Any],
    committed: Committed,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    failing: str,
) -> None:
    commune = tree["commune"]
    with committed():
        CalendarEntry.objects.create(unit=commune, date=WEDNESDAY, kind=OFF, name="Nghỉ")
    if failing == "add":
        caches["default"].delete(calendar_cache.GENERATION_KEY)

    def down(*args: Any, **kwargs: Any) -> Any:
        raise redis.ConnectionError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(caches["default"], failing, down)
    with caplog.at_level(logging.WARNING, logger="egov.core.calendar.cache"):
        cal, count = queries(lambda: calendar_for_unit(commune.pk))
    assert count == 3 and not cal.is_working_day(WEDNESDAY)
    assert "shared cache failed" in caplog.text
    assert not calendar_for_unit(commune.pk).is_working_day(WEDNESDAY)


def test_a_write_succeeds_when_the_cache_cannot_take_a_new_generation(
    tree: dict[str, Any],
    admin_user: Any,
    committed: Committed,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise redis.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(caches["default"], "set", down)
    with caplog.at_level(logging.WARNING, logger="egov.core.calendar.cache"), committed():
        calendar_entry_create(
            actor=None, unit_id=tree["commune"].pk, date=WEDNESDAY, kind=OFF, name="Nghỉ"
        )
    assert "new generation" in caplog.text
    assert CalendarEntry.objects.filter(date=WEDNESDAY).exists()


def test_a_zero_ttl_turns_the_cache_off(tree: dict[str, Any], settings: Any) -> None:
    settings.EGOV_CALENDAR_CACHE_SECONDS = 0
    commune = tree["commune"]
    for _ in range(2):
        _, count = queries(lambda: calendar_for_unit(commune.pk))
        assert count == 3
    assert caches["default"].get(calendar_cache.unit_key(commune.pk)) is None


def test_rows_read_while_the_generation_changed_are_stale_at_once() -> None:
    """A node that read the rows before another node's commit never serves them as current."""
    reads: list[int] = []

    def read_during_a_commit() -> tuple[int]:
        reads.append(1)
        if len(reads) == 1:
            calendar_cache.calendar_cache_invalidate()  # another node commits meanwhile
        return (len(reads),)

    assert calendar_cache.load(1, read_during_a_commit) == (1,)
    assert calendar_cache.load(1, read_during_a_commit) == (2,)  # stored under the old token
    assert calendar_cache.load(1, read_during_a_commit) == (2,)  # now current: a hit
    # A lost generation (eviction, a restart) never brings an old entry back.
    caches["default"].delete(calendar_cache.GENERATION_KEY)
    assert calendar_cache.load(1, read_during_a_commit) == (3,)


def test_the_cached_value_is_plain_data(tree: dict[str, Any], committed: Committed) -> None:
    commune = tree["commune"]
    with committed():
        CalendarEntry.objects.create(unit=commune, date=WEDNESDAY, kind=WORK, name="Làm bù")
        WorkingSchedule.objects.create(
            unit=None, sessions="07:30-11:30,13:30-17:00", effective_from=date(2026, 1, 1)
        )
    calendar_for_unit(commune.pk)
    stored_token, stored = caches["default"].get(calendar_cache.unit_key(commune.pk))
    assert stored_token == token()
    assert type(stored) is tuple
    days_off, working_days, schedules = stored
    assert days_off == {} and working_days == {WEDNESDAY: "Làm bù"}
    assert [row[1:2] + row[3:] for row in schedules] == [
        (date(2026, 1, 1), "07:30-11:30,13:30-17:00")
    ]


@pytest.mark.django_db(transaction=True)
def test_real_commits_and_rollbacks(make_unit: Callable[..., Any]) -> None:
    """Autocommit and ``atomic`` as in production, without the test's wrapping transaction."""
    unit = make_unit()
    assert calendar_for_unit(unit.pk).is_working_day(WEDNESDAY)
    CalendarEntry.objects.create(unit=unit, date=WEDNESDAY, kind=OFF, name="Nghỉ")  # commits
    assert not calendar_for_unit(unit.pk).is_working_day(WEDNESDAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarEntry.objects.filter(unit=unit).delete()
        assert calendar_for_unit(unit.pk).is_working_day(WEDNESDAY)  # its own write
        raise RuntimeError("rolled back")
    cal, count = queries(lambda: calendar_for_unit(unit.pk))
    assert count == 0 and not cal.is_working_day(WEDNESDAY)


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_with_redis(tree: dict[str, Any], committed: Committed) -> None:
    commune = tree["commune"]
    keys = [calendar_cache.GENERATION_KEY, calendar_cache.unit_key(commune.pk)]
    with override_settings(CACHES=_redis_cache(REDIS_URL)):
        caches["default"].delete_many(keys)
        try:
            _, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
            assert count == 3
            cal, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
            assert count == 0 and cal.is_working_day(WEDNESDAY)
            with committed():
                CalendarEntry.objects.create(unit=commune, date=WEDNESDAY, kind=OFF, name="Nghỉ")
            assert not calendar_for_unit(commune.pk, on=ON).is_working_day(WEDNESDAY)
        finally:
            caches["default"].delete_many(keys)


def test_with_redis_unreachable(
    tree: dict[str, Any], committed: Committed, caplog: pytest.LogCaptureFixture
) -> None:
    """Nothing listens on port 1: every cache call fails, the calendar is still right."""
    commune = tree["commune"]
    with override_settings(CACHES=_redis_cache("redis://127.0.0.1:1/0")):
        with caplog.at_level(logging.WARNING, logger="egov.core.calendar.cache"), committed():
            CalendarEntry.objects.create(unit=commune, date=WEDNESDAY, kind=OFF, name="Nghỉ")
        assert "new generation" in caplog.text
        with caplog.at_level(logging.WARNING, logger="egov.core.calendar.cache"):
            cal, count = queries(lambda: calendar_for_unit(commune.pk, on=ON))
        assert count == 3 and not cal.is_working_day(WEDNESDAY)
        assert "ConnectionError" in caplog.text
