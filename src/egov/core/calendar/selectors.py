"""Reads: the working calendar that applies to a unit, and the entries admins see.

``calendar_for`` combines, from the weakest to the strongest rule:

1. the weekly rest (Saturday, Sunday);
2. the public holidays of the ``holidays`` package (``country_holidays("VN")``);
3. the make-up working days of the package (``weekend_workdays``: the Saturdays worked in
   exchange for a weekday off, e.g. Saturday 22/08/2026 for Monday 31/08/2026);
4. nationwide entries (``unit`` is null);
5. entries of the given units, the **first id winning** (pass the unit first, then its
   parent, grandparent, ...: a commune's entry beats its province's for the same date).

The working hours are those of the nearest unit (the same order) that has a
``WorkingSchedule`` in force on the given date, else the default schedule (``unit`` null),
else ``settings.EGOV_WORKING_HOURS``.

Package data is static, so it is cached per year in process memory.  Database rows are
never kept in process memory (several web nodes share them): ``calendar_for`` reads them
on every call; ``calendar_for_unit`` keeps a unit's rows (lineage, entries, schedules, in
plain values) in the **shared cache** (``egov.core.calendar.cache``, ADR 0023), invalidated
by a generation token that every committed write of an entry, a schedule or a unit's
parent replaces, with a TTL (``EGOV_CALENDAR_CACHE_SECONDS``, 0 = off) as a bound for
writes that send no signal.  Scoping (who may see which unit) is the caller's job:
``egov.core`` knows no user roles.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType
from typing import Any, NamedTuple

import holidays as holidays_package
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet
from django.utils import timezone

from egov.core.calendar import cache as calendar_cache
from egov.core.calendar.constants import (
    DEFAULT_DUE_DATE_POLICY,
    CalendarEntryKind,
    DueDatePolicy,
    parse_due_date_policy,
)
from egov.core.calendar.engine import (
    DEFAULT_WORKING_HOURS,
    VN_TZ,
    WorkingCalendar,
    WorkingSession,
    parse_working_hours,
)
from egov.core.calendar.errors import (
    CalendarEntryNotFound,
    CalendarUnitAmbiguous,
    CalendarUnitNotFound,
    WorkingScheduleNotFound,
)
from egov.core.calendar.models import CalendarEntry, WorkingSchedule

HOLIDAY_COUNTRY = "VN"
HOLIDAY_LANGUAGE = "vi"
#: The unit-code scheme preferred by ``unit_id_for_code`` (today's two-level list).
CURRENT_UNIT_SCHEME = "2025"
_MAX_UNIT_DEPTH = 10
# A unit's parent, grandparent and great-grandparent ids, read in one query.
_ANCESTOR_FIELDS = ("parent_id", "parent__parent_id", "parent__parent__parent_id")
# The package names a swapped day off "Ngày nghỉ (thay cho ngày 22/08/2026)".
_SUBSTITUTED_FROM = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
# Vietnamese on purpose, like the package's holiday names (cached once per process).
_VI_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
MAKE_UP_DAY_NAME = "Làm việc bù (theo quy định)"
MAKE_UP_DAY_NAME_FOR = "Làm việc bù cho ngày nghỉ {weekday} {day:%d/%m/%Y} (theo quy định)"


@lru_cache(maxsize=512)
def package_holidays(year: int) -> Mapping[date, str]:
    """Public holidays (and package-known swapped days off) of ``year``, in Vietnamese."""
    data = holidays_package.country_holidays(HOLIDAY_COUNTRY, years=year, language=HOLIDAY_LANGUAGE)
    return MappingProxyType({d: str(name) for d, name in sorted(data.items()) if d.year == year})


@lru_cache(maxsize=512)
def package_make_up_days(year: int) -> Mapping[date, str]:
    """The package's make-up working days of ``year`` (``weekend_workdays``), named in Vietnamese.

    Each is named after the weekday it was swapped for when the package says so (its
    substituted day off is called "Ngày nghỉ (thay cho ngày 22/08/2026)"): Saturday
    22/08/2026 → "Làm việc bù cho ngày nghỉ Thứ Hai 31/08/2026 (theo quy định)".  A swap
    can cross New Year (Saturday 27/12/2014 for Friday 02/01/2015), so the neighbouring
    years are loaded too.
    """
    data = holidays_package.country_holidays(
        HOLIDAY_COUNTRY, years=[year - 1, year, year + 1], language=HOLIDAY_LANGUAGE
    )
    make_up = sorted(d for d in getattr(data, "weekend_workdays", ()) if d.year == year)
    replaced: dict[date, date] = {}
    for day_off, name in data.items():
        for dd, mm, yyyy in _SUBSTITUTED_FROM.findall(str(name)):
            replaced[date(int(yyyy), int(mm), int(dd))] = day_off
    names: dict[date, str] = {}
    for day in make_up:
        swapped = replaced.get(day)
        if swapped is None:
            names[day] = MAKE_UP_DAY_NAME
        else:
            names[day] = MAKE_UP_DAY_NAME_FOR.format(
                weekday=_VI_WEEKDAYS[swapped.weekday()], day=swapped
            )
    return MappingProxyType(names)


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


def due_date_policy() -> DueDatePolicy:
    """``settings.EGOV_DUE_DATE_POLICY`` ("same_time" or "end_of_day"); see ``DueDatePolicy``."""
    value = getattr(settings, "EGOV_DUE_DATE_POLICY", DEFAULT_DUE_DATE_POLICY)
    try:
        return parse_due_date_policy(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"EGOV_DUE_DATE_POLICY={value!r} is invalid: {exc}.") from exc


def _unit_model() -> Any:
    return CalendarEntry._meta.get_field("unit").related_model


def unit_lineage(unit_id: int) -> list[int]:
    """``[unit_id, parent id, grandparent id, ...]``: what ``calendar_for`` expects.

    Follows the ``parent`` link of the unit model that ``CalendarEntry.unit`` points to
    (read through the foreign key, so ``core`` imports nothing from ``organizations``).
    One query (joins on the primary key) reads three levels and whether there are more,
    so province → (district) → commune needs one query; a deeper tree, one per three
    levels.
    """
    manager = _unit_model()._default_manager
    lineage: list[int] = []
    current: int | None = unit_id
    while current is not None:
        rows = list(manager.filter(pk=current).values_list(*_ANCESTOR_FIELDS))
        if not rows:
            if not lineage:
                raise CalendarUnitNotFound()
            break
        ancestors: tuple[int | None, ...] = tuple(rows[0])
        chain, current = (current, *ancestors[:-1]), ancestors[-1]
        for pk in chain:
            if pk is None or pk in lineage or len(lineage) >= _MAX_UNIT_DEPTH:
                return lineage
            lineage.append(pk)
    return lineage


def unit_id_for_code(code: str) -> int:
    """The id of the administrative unit with this code (e.g. ``"00004"``, ``"legacy:20845"``).

    Codes are unique only inside one official list (``scheme``) and level: a bare code
    prefers the current list (``"2025"``) and then any other list; ``"scheme:code"`` picks the
    list.  ``CalendarUnitNotFound`` when none matches, ``CalendarUnitAmbiguous`` when several
    do in the chosen list.  Read through the foreign key: ``core`` imports no
    ``organizations``.
    """
    raw = (code or "").strip()
    scheme, _, bare = raw.rpartition(":")
    bare = bare.strip()
    if not bare:
        raise CalendarUnitNotFound()
    rows = list(
        _unit_model()
        ._default_manager.filter(code=bare, **({"scheme": scheme.strip()} if scheme else {}))
        .values_list("pk", "scheme")
    )
    if not scheme and len(rows) > 1:
        current = [row for row in rows if row[1] == CURRENT_UNIT_SCHEME]
        rows = current or rows
    if not rows:
        raise CalendarUnitNotFound()
    if len(rows) > 1:
        raise CalendarUnitAmbiguous()
    return int(rows[0][0])


@dataclass(frozen=True)
class ScheduleInForce:
    """The working hours that apply to a unit on a date, and where they come from."""

    sessions: tuple[WorkingSession, ...]
    #: The ``WorkingSchedule`` row, or ``None`` for ``settings.EGOV_WORKING_HOURS``.
    schedule: WorkingSchedule | None
    #: Whether the row belongs to the unit asked about (not to an ancestor or the default).
    is_own: bool = False

    @property
    def text(self) -> str:
        return ",".join(f"{s.start:%H:%M}-{s.end:%H:%M}" for s in self.sessions)


def _as_local_date(on: date | datetime | None) -> date:
    if on is None:
        return timezone.localdate()
    if isinstance(on, datetime):
        if on.tzinfo is None or on.utcoffset() is None:
            raise ValueError(f"A time-zone-aware datetime is required, got {on!r}.")
        return on.astimezone(VN_TZ).date()
    return on


def _latest_rows(unit_ids: Collection[int], day: date) -> dict[int | None, WorkingSchedule]:
    """The newest row in force on ``day`` of each unit (and of the default, key ``None``)."""
    rows = (
        WorkingSchedule.objects.filter(
            Q(unit_id__in=list(unit_ids)) | Q(unit__isnull=True), effective_from__lte=day
        )
        .select_related("unit")
        .order_by("-effective_from", "-pk")
    )
    latest: dict[int | None, WorkingSchedule] = {}
    for row in rows:
        latest.setdefault(row.unit_id, row)
    return latest


def _pick(lineage: Sequence[int], latest: Mapping[int | None, WorkingSchedule]) -> ScheduleInForce:
    for position, unit_id in enumerate(lineage):
        if unit_id in latest:
            row = latest[unit_id]
            return ScheduleInForce(_row_sessions(row), row, is_own=position == 0)
    if None in latest:
        row = latest[None]
        return ScheduleInForce(_row_sessions(row), row, is_own=not lineage)
    return ScheduleInForce(working_sessions(), None)


def schedule_in_force(
    *, unit_ids: Sequence[int] = (), on: date | datetime | None = None
) -> ScheduleInForce:
    """The working hours on ``on`` (default today) for the units, nearest first (one query).

    The nearest unit with a schedule in force wins, then the default schedule, then the
    setting.  A schedule is in force from its ``effective_from`` until the next one of the
    same unit starts.
    """
    ids = list(dict.fromkeys(unit_ids))
    return _pick(ids, _latest_rows(ids, _as_local_date(on)))


def schedules_in_force(
    *, lineages: Mapping[int, Sequence[int]], on: date | datetime | None = None
) -> dict[int, ScheduleInForce]:
    """``schedule_in_force`` of several units at once (one query): unit id → its hours.

    ``lineages``: unit id → ``[unit id, parent id, ...]`` (as ``unit_lineage`` returns).
    """
    ids = {unit_id for lineage in lineages.values() for unit_id in lineage}
    latest = _latest_rows(ids, _as_local_date(on))
    return {unit_id: _pick(lineage, latest) for unit_id, lineage in lineages.items()}


def _row_sessions(row: WorkingSchedule) -> tuple[WorkingSession, ...]:
    return _parse_row_sessions(row.pk, row.sessions)


def _parse_row_sessions(pk: int, text: str) -> tuple[WorkingSession, ...]:
    try:
        return parse_working_hours(text)
    except ValueError as exc:  # only possible if the row was written around the service
        raise ImproperlyConfigured(
            f"Working schedule #{pk} has invalid sessions {text!r}: {exc}."
        ) from exc


def working_schedule_get(
    *, schedule_id: int, scope_unit_ids: Collection[int | None] | None = None
) -> WorkingSchedule:
    """One schedule row; with ``scope_unit_ids`` (``None`` inside = default), only from those."""
    row = WorkingSchedule.objects.select_related("unit").filter(pk=schedule_id).first()
    if row is None or (scope_unit_ids is not None and row.unit_id not in scope_unit_ids):
        raise WorkingScheduleNotFound()
    return row


def working_schedules_for(
    *, unit_ids: Sequence[int], include_default: bool = True
) -> QuerySet[WorkingSchedule]:
    """Every schedule row of the units (and the default ones), newest first per unit."""
    condition = Q(unit_id__in=list(unit_ids))
    if include_default:
        condition |= Q(unit__isnull=True)
    return (
        WorkingSchedule.objects.filter(condition)
        .select_related("unit", "created_by")
        .order_by("unit_id", "-effective_from")
    )


#: A schedule row as ``CalendarRows`` keeps it: (rank, effective_from, pk, sessions).
ScheduleRow = tuple[int, date, int, str]


class CalendarRows(NamedTuple):
    """What a calendar reads from the database, in plain values (cached as a plain tuple).

    The entries are already resolved (the nearest unit wins); ``schedules`` holds every
    working-hours row of the units and the default ones, whatever their date, sorted by
    rank (the position of the row's unit, nearest first; the default last) and then newest
    first, so the hours in force on any date are found without the database.
    """

    days_off: dict[date, str]
    working_days: dict[date, str]
    schedules: tuple[ScheduleRow, ...]


def _read_rows(*, unit_ids: Sequence[int], include_national: bool) -> CalendarRows:
    """The entries and the schedule rows of the units, nearest first (two queries)."""
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
    schedule_rows = WorkingSchedule.objects.filter(
        Q(unit_id__in=ids) | Q(unit__isnull=True)
    ).values_list("unit_id", "effective_from", "pk", "sessions")
    schedules = sorted(
        (
            (national_rank if unit_id is None else rank[unit_id], effective_from, pk, text)
            for unit_id, effective_from, pk, text in schedule_rows
        ),
        key=lambda row: (row[0], -row[1].toordinal(), -row[2]),
    )
    return CalendarRows(days_off, working_days, tuple(schedules))


def _sessions_on(rows: CalendarRows, day: date) -> tuple[WorkingSession, ...]:
    """``schedule_in_force(...).sessions`` from the rows: the first row in force wins."""
    for _rank, effective_from, pk, text in rows.schedules:
        if effective_from <= day:
            return _parse_row_sessions(pk, text)
    return working_sessions()


def _calendar_from_rows(rows: CalendarRows, day: date) -> WorkingCalendar:
    return WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        days_off=rows.days_off,
        working_days=rows.working_days,
        sessions=_sessions_on(rows, day),
    )


def calendar_for(
    *,
    unit_ids: Sequence[int] = (),
    include_national: bool = True,
    on: date | datetime | None = None,
) -> WorkingCalendar:
    """The calendar for a unit: pass the unit and its ancestors, nearest first (see above).

    With no ids, the nationwide calendar; ``include_national=False`` leaves out the
    nationwide entries.  The working hours are those in force on ``on`` (a date, or an
    aware datetime such as the time a dossier was received; default today): a due date
    is computed with the hours that applied when the clock started.  Two queries, every
    call (services use it to judge a write against the database); other modules use
    ``calendar_for_unit``, which is cached.
    """
    day = _as_local_date(on)
    return _calendar_from_rows(
        _read_rows(unit_ids=unit_ids, include_national=include_national), day
    )


def calendar_for_unit(unit_id: int | None, *, on: date | datetime | None = None) -> WorkingCalendar:
    """``calendar_for`` the unit and all its ancestors (``None``: the nationwide calendar).

    The rows come from the shared cache when they are there and current (one cache round
    trip, no query), else from the database (three queries: lineage, entries, schedules)
    and are then stored (``egov.core.calendar.cache``).  The key is the unit alone: the
    rows hold the hours in force on every date, so any ``on`` is served from one entry.
    ``CalendarUnitNotFound`` for an unknown unit (never cached).
    """
    day = _as_local_date(on)

    def read() -> tuple[Any, ...]:
        lineage = unit_lineage(unit_id) if unit_id is not None else []
        return tuple(_read_rows(unit_ids=lineage, include_national=True))

    return _calendar_from_rows(CalendarRows(*calendar_cache.load(unit_id, read)), day)


def package_calendar() -> WorkingCalendar:
    """Weekly rest, package holidays and make-up days only, without any database row."""
    return WorkingCalendar(
        holidays=package_holidays,
        package_working_days=package_make_up_days,
        sessions=working_sessions(),
    )


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
