"""A desk with a weekly schedule, its clerk and unit admin, a neighbour desk, a citizen.

``office`` is the dossier tests' office (``dossiers.tests.factories.build_office``): desk A
in commune A (clerk ``motcua``), desk B in commune B (clerk ``motcua_b``).  Each commune gets
a unit admin; desk A opens Monday–Friday 07:30–11:30 and 13:30–17:00 in 30-minute slots of
two people, desk B the mornings only.  ``MONDAY`` (07/12/2026 08:00, Hà Nội) is the "now"
of the service tests.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache

from egov.bookings import services
from egov.core.calendar.facade import VN_TZ
from egov.dossiers.tests.factories import build_office, make_staff
from egov.organizations.constants import Role

MONDAY = dt.datetime(2026, 12, 7, 8, 0, tzinfo=VN_TZ)


def weekdays(
    start: str, end: str, *, slot: int = 30, capacity: int = 2, days: range = range(5)
) -> list[services.ScheduleRow]:
    return [
        services.ScheduleRow(
            weekday=d,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
            slot_minutes=slot,
            capacity=capacity,
        )
        for d in days
    ]


def at(day: dt.date, hhmm: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.fromisoformat(hhmm), tzinfo=VN_TZ)


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(db: Any) -> Any:
    o = build_office()
    o.admin_a = make_staff(Role.UNIT_ADMIN, o.pc_a, username="qtv_a")
    o.admin_b = make_staff(Role.UNIT_ADMIN, o.pc_b, username="qtv_b")
    services.desk_schedule_set(
        actor=o.admin_a,
        agency_id=o.desk_a.pk,
        rows=weekdays("07:30", "11:30") + weekdays("13:30", "17:00"),
    )
    services.desk_schedule_set(
        actor=o.admin_b, agency_id=o.desk_b.pk, rows=weekdays("07:30", "11:30", capacity=1)
    )
    return o


def book(office: Any, starts_at: dt.datetime, phone: str = "0912345678", **kw: Any) -> Any:
    kw.setdefault("actor", None)
    kw.setdefault("agency", office.desk_a)
    kw.setdefault("name", "Nguyễn Văn An")
    kw.setdefault("at", MONDAY)
    return services.booking_create(starts_at=starts_at, phone=phone, **kw)


@pytest.fixture
def ns() -> SimpleNamespace:
    return SimpleNamespace()
