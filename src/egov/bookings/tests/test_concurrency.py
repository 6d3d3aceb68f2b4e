"""Real concurrent bookings on PostgreSQL: the capacity and the per-phone limit hold.

Each thread has its own database connection (Django's connections are per thread), the
data is committed (``transaction=True``) and a barrier releases the bookings together.
SQLite serialises every writer, so there is nothing to race there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import override_settings

from egov.bookings.errors import BookingError, ErrorCode
from egov.bookings.models import Booking, PhoneDayCounter, SlotCounter
from egov.bookings.tests.conftest import MONDAY, at, book

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

TUESDAY = MONDAY.date().replace(day=8)


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=60)
            results[index] = call()
        except BaseException as exc:
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_five_people_racing_for_two_places_two_get_them(office: Any) -> None:
    slot = at(TUESDAY, "09:00")
    calls = [(lambda n=n: book(office, slot, phone=f"09120000{n:02d}")) for n in range(5)]
    results = together(calls)
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 2, results
    assert all(isinstance(e, BookingError) and e.error_code == ErrorCode.SLOT_FULL for e in lost)
    assert Booking.objects.filter(starts_at=slot).count() == 2
    assert SlotCounter.objects.get(agency=office.desk_a, starts_at=slot).booked == 2
    codes = sorted(r.booking.code for r in won)
    assert codes == ["LH-261207-0001", "LH-261207-0002"]


@override_settings(EGOV_BOOKINGS_PER_PHONE_PER_DAY=2)
def test_one_phone_racing_for_five_slots_gets_two(office: Any) -> None:
    slots = [at(TUESDAY, t) for t in ("08:00", "08:30", "09:00", "09:30", "10:00")]
    results = together([(lambda s=s: book(office, s)) for s in slots])
    won = [r for r in results if not isinstance(r, BaseException)]
    assert len(won) == 2, results
    lost = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(e, BookingError) and e.error_code == ErrorCode.PHONE_LIMIT for e in lost)
    assert PhoneDayCounter.objects.get(phone="+84912345678").active == 2
    assert sum(SlotCounter.objects.values_list("booked", flat=True)) == 2


def test_double_click_books_once(office: Any) -> None:
    slot = at(TUESDAY, "10:30")
    results = together([lambda: book(office, slot) for _ in range(4)])
    won = [r for r in results if not isinstance(r, BaseException)]
    assert len(won) == 1, results
    for error in results:
        if isinstance(error, BaseException):
            assert isinstance(error, BookingError)
            assert error.error_code in (
                ErrorCode.DUPLICATE,
                ErrorCode.SLOT_FULL,
                ErrorCode.PHONE_LIMIT,
            )
    assert Booking.objects.filter(starts_at=slot).count() == 1
    assert SlotCounter.objects.get(agency=office.desk_a, starts_at=slot).booked == 1
