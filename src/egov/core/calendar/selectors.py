"""Reads: the working calendar that applies to a unit, and the entries admins see.

``calendar_for`` combines, from the weakest to the strongest rule:

1. the weekly rest (Saturday, Sunday);
2. the public holidays of the ``holidays`` package (``country_holidays("VN")``);
3. nationwide entries (``unit`` is null);
4. entries of the given units, the **first id winning** (pass the unit first, then its
   parent, grandparent, ...: a commune's entry beats its province's for the same date).

Package holidays are static, so they are cached per year in process memory.  Database
entries are read on every call and never cached in memory: several web nodes share them.
Scoping (who may see which unit) is the caller's job: ``egov.core`` knows no user roles.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays as holidays_package
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from egov.core.calendar.constants import CalendarEntryKind
from egov.core.calendar.engine import (
    DEFAULT_WORKING_HOURS,
    WorkingCalendar,
    WorkingSession,
    parse_working_hours,
)
from egov.core.calendar.errors import CalendarEntryNotFound, CalendarUnitNotFound
from egov.core.calendar.models import CalendarEntry

HOLIDAY_COUNTRY = "VN"
HOLIDAY_LANGUAGE = "vi"
_MAX_UNIT_DEPTH = 10


@lru_cache(maxsize=512)
def package_holidays(year: int) -> Mapping[date, str]:
    """Public holidays (and package-known swapped days off) of ``year``, in Vietnamese."""
    data = holidays_package.country_holidays(HOLIDAY_COUNTRY, years=year, language=HOLIDAY_LANGUAGE)
    return MappingProxyType({d: str(name) for d, name in sorted(data.items()) if d.year == year})


def working_sessions() -> tuple[WorkingSession, ...]:
    """The sessions of ``settings.EGOV_WORKING_HOURS``; ``ImproperlyConfigured`` when invalid."""
    value = getattr(settings, "EGOV_WORKING_HOURS", DEFAULT_WORKING_HOURS)
    try:
        return parse_working_hours(value)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"EGOV_WORKING_HOURS={value!r} is invalid: {exc}. Expected comma-separated "
            f"sessions HH:MM-HH:MM in order, e.g. {DEFAULT_WORKING_HOURS!r}."
        ) from exc


def unit_lineage(unit_id: int) -> list[int]:
    """``[unit_id, parent id, grandparent id, ...]``: what ``calendar_for`` expects.

    Follows the ``parent`` link of the unit model that ``CalendarEntry.unit`` points to
    (read through the foreign key, so ``core`` imports nothing from ``organizations``).
    """
    unit_model = CalendarEntry._meta.get_field("unit").related_model
    manager = unit_model._default_manager
    lineage: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in lineage and len(lineage) < _MAX_UNIT_DEPTH:
        rows = list(manager.filter(pk=current).values_list("parent_id", flat=True))
        if not rows:
            if not lineage:
                raise CalendarUnitNotFound()
            break
        lineage.append(current)
        current = rows[0]
    return lineage


def _build_calendar(*, unit_ids: Sequence[int], include_national: bool) -> WorkingCalendar:
    ids = list(dict.fromkeys(unit_ids))
    rank = {unit_id: position for position, unit_id in enumerate(ids)}
    national_rank = len(ids)
    chosen: dict[date, tuple[int, str, str]] = {}
    condition = Q(unit_id__in=ids) if ids else Q(pk__in=[])
    if include_national:
        condition |= Q(unit__isnull=True)
    rows = CalendarEntry.objects.filter(condition).values_list("unit_id", "date", "kind", "name")
    for unit_id, day, kind, name in rows:
        entry_rank = national_rank if unit_id is None else rank[unit_id]
        if day not in chosen or entry_rank < chosen[day][0]:
            chosen[day] = (entry_rank, kind, name)
    days_off = {
        d: name for d, (_, kind, name) in chosen.items() if kind == CalendarEntryKind.DAY_OFF
    }
    working_days = {
        d: name for d, (_, kind, name) in chosen.items() if kind == CalendarEntryKind.WORKING_DAY
    }
    return WorkingCalendar(
        holidays=package_holidays,
        days_off=days_off,
        working_days=working_days,
        sessions=working_sessions(),
    )


def calendar_for(*, unit_ids: Sequence[int] = (), include_national: bool = True) -> WorkingCalendar:
    """The calendar for a unit: pass the unit and its ancestors, nearest first (see above).

    With no ids, the nationwide calendar; ``include_national=False`` leaves out the
    nationwide entries.  One query; build it once per request and reuse it.
    """
    return _build_calendar(unit_ids=unit_ids, include_national=include_national)


def calendar_for_unit(unit_id: int | None) -> WorkingCalendar:
    """``calendar_for`` the unit and all its ancestors (``None``: the nationwide calendar)."""
    return calendar_for(unit_ids=unit_lineage(unit_id) if unit_id is not None else ())


def package_calendar() -> WorkingCalendar:
    """Weekly rest and package holidays only, without any entry (what admins start from)."""
    return _build_calendar(unit_ids=(), include_national=False)


def calendar_entries_for_year(
    *, year: int, unit_ids: Sequence[int] = (), include_national: bool = True
) -> QuerySet[CalendarEntry]:
    """The entries of ``year`` for the given units (and the nationwide ones), by date."""
    condition = Q(unit_id__in=list(unit_ids)) if unit_ids else Q(pk__in=[])
    if include_national:
        condition |= Q(unit__isnull=True)
    return (
        CalendarEntry.objects.filter(
            condition, date__gte=date(year, 1, 1), date__lte=date(year, 12, 31)
        )
        .select_related("unit", "created_by")
        .order_by("date", "unit_id")
    )


def calendar_entry_get(
    *, entry_id: int, scope_unit_ids: Collection[int | None] | None = None
) -> CalendarEntry:
    """One entry; with ``scope_unit_ids`` (``None`` inside = nationwide), only from those units."""
    entry = CalendarEntry.objects.select_related("unit", "created_by").filter(pk=entry_id).first()
    if entry is None or (scope_unit_ids is not None and entry.unit_id not in scope_unit_ids):
        raise CalendarEntryNotFound()
    return entry
