"""The working-calendar engine: pure Python, no database, no settings.

A ``WorkingCalendar`` knows

* the **public holidays** (a mapping ``date → name``, or a function ``year → mapping`` that
  is called lazily, once per year the calendar touches);
* the **make-up working days** the government announced (``package_working_days``: the
  Saturdays worked in exchange for a weekday off, from the same package, also lazy);
* the **days off** and **make-up working days** entered by admins (``date → reason``);
* the **working sessions** of a day (e.g. 07:30–11:30 and 13:30–17:30).

Precedence, strongest first: an admin's make-up day → an admin's day off → a package
make-up day → a package holiday → the weekly rest (Saturday, Sunday).  An admin entry
therefore overrides anything the package says about its date (that is how an admin turns a
package holiday back into a working day, or cancels a package make-up Saturday).

All arithmetic runs on wall-clock time in ``Asia/Ho_Chi_Minh`` (UTC+7, no daylight saving
time, so naive local arithmetic is exact).  Every method takes aware datetimes in any zone
and returns aware datetimes in the calendar's zone; a naive datetime is refused
(``ValueError``) because its meaning would be a guess.

Conventions (documented once here, tested in ``tests/test_engine.py``):

* sessions are half-open: 07:30 is working time, 11:30 is not;
* ``add_working_*`` first normalises the start forwards (``next_working_start``, T7) and
  returns the **earliest** instant at which the requested working time has run out, so a
  result can be a session's end (07:30 + 4 h → 11:30 the same day, not 13:30);
* ``add_working_days`` with ``DueDatePolicy.SAME_TIME_OF_DAY`` returns the same time of
  day on the N-th working day (Monday 07:30 + 3 days → Thursday 07:30, the vendor rule);
  one working day is the configured day length (8 h for 07:30–11:30 + 13:30–17:30);
* ``working_minutes_between(a, b)`` is antisymmetric: negative when ``a > b``; it
  truncates towards zero to whole minutes (``working_time_between`` is exact);
* ``working_days_between(d1, d2)`` counts the working days ``d`` with ``d1 < d ≤ d2``
  (negative when ``d2 < d1``), so ``working_days_between(d, working_day_offset(d, n)) == n``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from egov.core.calendar.constants import DayKind, DueDatePolicy

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_WORKING_HOURS = "07:30-11:30,13:30-17:30"
# No real calendar has this many non-working days in a row: past it the input is broken.
MAX_CONSECUTIVE_NON_WORKING_DAYS = 366

HolidaySource = Callable[[int], Mapping[date, str]]
DateNames = Mapping[date, str] | Iterable[date]
#: A static mapping of dates, or a function ``year → mapping`` called once per year.
DatesOrSource = DateNames | HolidaySource

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)
_SESSION_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True, order=True)
class WorkingSession:
    """One working period of a day, ``[start, end)`` in local time."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Working session times must be naive local times.")
        if self.start >= self.end:
            raise ValueError(f"A working session must end after it starts: {self}.")

    @property
    def length(self) -> timedelta:
        return datetime.combine(date.min, self.end) - datetime.combine(date.min, self.start)

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


def parse_working_hours(value: str) -> tuple[WorkingSession, ...]:
    """Parse ``"07:30-11:30,13:30-17:30"`` into sessions; ``ValueError`` says what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("no working session given (expected e.g. '07:30-11:30,13:30-17:30')")
    sessions: list[WorkingSession] = []
    for part in value.split(","):
        match = _SESSION_RE.match(part)
        if match is None:
            raise ValueError(f"{part.strip()!r} is not a session of the form HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"{part.strip()!r} is not a valid time range")
        start, end = time(h1, m1), time(h2, m2)
        if start >= end:
            raise ValueError(f"{part.strip()!r} ends before it starts")
        sessions.append(WorkingSession(start, end))
    for previous, following in itertools.pairwise(sessions):
        if following.start < previous.end:
            raise ValueError(
                f"sessions must be in order and must not overlap: {previous} then {following}"
            )
    return tuple(sessions)


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one date, and why."""

    date: date
    is_working: bool
    kind: DayKind
    name: str = ""


def _date_names(value: DateNames, label: str) -> dict[date, str]:
    items: Iterable[tuple[date, str]]
    if isinstance(value, Mapping):
        items = ((d, str(name)) for d, name in value.items())
    else:
        items = ((d, "") for d in value)
    result: dict[date, str] = {}
    for d, name in items:
        if isinstance(d, datetime) or not isinstance(d, date):
            raise TypeError(f"{label}: expected dates, got {d!r}")
        result[d] = name
    return result


class _YearlyDates:
    """Dates with names, either given at once or loaded lazily one year at a time."""

    def __init__(self, value: DatesOrSource, label: str) -> None:
        self._source: HolidaySource | None = None
        self._names: dict[date, str] = {}
        self._years: set[int] = set()
        if callable(value):
            self._source = value
        else:
            self._names = _date_names(value, label)

    def get(self, d: date) -> str | None:
        if self._source is not None and d.year not in self._years:
            for day, name in self._source(d.year).items():
                self._names.setdefault(day, str(name))
            self._years.add(d.year)
        return self._names.get(d)


class WorkingCalendar:
    """Working days and working time for one place (see the module docstring)."""

    def __init__(
        self,
        *,
        holidays: DatesOrSource = (),
        package_working_days: DatesOrSource = (),
        days_off: DateNames = (),
        working_days: DateNames = (),
        sessions: Sequence[WorkingSession] | str = DEFAULT_WORKING_HOURS,
        tz: tzinfo = VN_TZ,
    ) -> None:
        self._holidays = _YearlyDates(holidays, "holidays")
        self._package_working_days = _YearlyDates(package_working_days, "package_working_days")
        self._days_off = _date_names(days_off, "days_off")
        self._working_days = _date_names(working_days, "working_days")
        both = sorted(set(self._days_off) & set(self._working_days))
        if both:
            listed = ", ".join(f"{d:%d/%m/%Y}" for d in both[:5])
            raise ValueError(f"A date cannot be both a day off and a make-up day: {listed}.")
        parsed = parse_working_hours(sessions) if isinstance(sessions, str) else tuple(sessions)
        if not parsed:
            raise ValueError("A working calendar needs at least one working session.")
        ordered = tuple(sorted(parsed))
        for previous, following in itertools.pairwise(ordered):
            if following.start < previous.end:
                raise ValueError(f"Working sessions overlap: {previous} and {following}.")
        self._sessions = ordered
        self._day_length = sum((s.length for s in ordered), _ZERO)
        self._tz = tz

    def __repr__(self) -> str:
        hours = ", ".join(str(s) for s in self._sessions)
        return (
            f"<WorkingCalendar {hours}; {len(self._days_off)} days off, "
            f"{len(self._working_days)} make-up days>"
        )

    # --- configuration --------------------------------------------------------------------

    @property
    def sessions(self) -> tuple[WorkingSession, ...]:
        return self._sessions

    @property
    def day_length(self) -> timedelta:
        """Working time in one working day (the sum of the sessions): "1 working day"."""
        return self._day_length

    @property
    def day_minutes(self) -> int:
        return int(self._day_length.total_seconds() // 60)

    @property
    def tz(self) -> tzinfo:
        return self._tz

    # --- days -----------------------------------------------------------------------------

    def _holiday_name(self, d: date) -> str | None:
        return self._holidays.get(d)

    def _as_date(self, d: date) -> date:
        if isinstance(d, datetime):
            return self._local(d).date()
        return d

    def day_info(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day, and the reason (make-up day, holiday, ...)."""
        d = self._as_date(d)
        if d in self._working_days:
            return DayInfo(d, True, DayKind.MAKE_UP, self._working_days[d])
        if d in self._days_off:
            return DayInfo(d, False, DayKind.DAY_OFF, self._days_off[d])
        make_up = self._package_working_days.get(d)
        if make_up is not None:
            return DayInfo(d, True, DayKind.MAKE_UP, make_up)
        holiday = self._holiday_name(d)
        if holiday is not None:
            return DayInfo(d, False, DayKind.HOLIDAY, holiday)
        if d.weekday() < 5:
            return DayInfo(d, True, DayKind.WEEKDAY)
        return DayInfo(d, False, DayKind.WEEKEND)

    def is_working_day(self, d: date) -> bool:
        """Monday–Friday minus holidays and days off, plus make-up days."""
        d = self._as_date(d)
        if d in self._working_days:
            return True
        if d in self._days_off:
            return False
        if self._package_working_days.get(d) is not None:
            return True
        if self._holiday_name(d) is not None:
            return False
        return d.weekday() < 5

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        d = self._as_date(d)
        for _ in range(MAX_CONSECUTIVE_NON_WORKING_DAYS):
            d += _ONE_DAY
            if self.is_working_day(d):
                return d
        raise ValueError(f"No working day within a year after {d:%d/%m/%Y}.")

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        d = self._as_date(d)
        for _ in range(MAX_CONSECUTIVE_NON_WORKING_DAYS):
            d -= _ONE_DAY
            if self.is_working_day(d):
                return d
        raise ValueError(f"No working day within a year before {d:%d/%m/%Y}.")

    def working_day_offset(self, d: date, n: int) -> date:
        """The ``n``-th working day after ``d`` (before it when ``n < 0``); ``d`` itself for 0."""
        d = self._as_date(d)
        step = self.next_working_day if n > 0 else self.previous_working_day
        for _ in range(abs(n)):
            d = step(d)
        return d

    def working_days_between(self, d1: date, d2: date) -> int:
        """Working days ``d`` with ``d1 < d ≤ d2``; negative when ``d2 < d1``."""
        d1, d2 = self._as_date(d1), self._as_date(d2)
        if d2 < d1:
            return -self.working_days_between(d2, d1)
        count = 0
        d = d1 + _ONE_DAY
        while d <= d2:
            if self.is_working_day(d):
                count += 1
            d += _ONE_DAY
        return count

    def working_days_in_year(self, year: int) -> int:
        return self.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))

    def special_days(self, year: int) -> list[DayInfo]:
        """Every date of ``year`` that is not an ordinary weekday or weekend, in order.

        That is the holidays (also those that fall on a weekend), the days off and the
        make-up working days: what an admin checks before the year starts.
        """
        result = []
        d = date(year, 1, 1)
        while d.year == year:
            info = self.day_info(d)
            if info.kind not in (DayKind.WEEKDAY, DayKind.WEEKEND):
                result.append(info)
            d += _ONE_DAY
        return result

    # --- times ----------------------------------------------------------------------------

    def _local(self, dt: datetime) -> datetime:
        if not isinstance(dt, datetime):
            raise TypeError(f"Expected a datetime, got {dt!r}.")
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"A time-zone-aware datetime is required, got {dt!r}.")
        return dt.astimezone(self._tz).replace(tzinfo=None)

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self._tz)

    def opening_time(self, d: date) -> datetime:
        """The start of the first session on ``d`` (whether or not ``d`` is a working day)."""
        return self._aware(datetime.combine(self._as_date(d), self._sessions[0].start))

    def closing_time(self, d: date) -> datetime:
        """The end of the last session on ``d``: the due time of a same-day procedure."""
        return self._aware(datetime.combine(self._as_date(d), self._sessions[-1].end))

    def is_working_time(self, dt: datetime) -> bool:
        local = self._local(dt)
        if not self.is_working_day(local.date()):
            return False
        t = local.time()
        return any(s.start <= t < s.end for s in self._sessions)

    def _next_start(self, cur: datetime) -> datetime:
        d, t = cur.date(), cur.time()
        if self.is_working_day(d):
            for s in self._sessions:
                if t < s.end:
                    return cur if t >= s.start else datetime.combine(d, s.start)
        return datetime.combine(self.next_working_day(d), self._sessions[0].start)

    def _previous_end(self, cur: datetime) -> datetime:
        d, t = cur.date(), cur.time()
        if self.is_working_day(d):
            for s in reversed(self._sessions):
                if t > s.start:
                    return cur if t <= s.end else datetime.combine(d, s.end)
        return datetime.combine(self.previous_working_day(d), self._sessions[-1].end)

    def next_working_start(self, dt: datetime) -> datetime:
        """``dt`` itself during working time; else the next session start (T7).

        Before opening → that day's opening; at lunch → the afternoon opening; after
        closing or on a non-working day → the next working day's opening.
        """
        return self._aware(self._next_start(self._local(dt)))

    def previous_working_end(self, dt: datetime) -> datetime:
        """``dt`` itself during working time or at a session end; else the last session end."""
        return self._aware(self._previous_end(self._local(dt)))

    def _forward(self, cur: datetime, remaining: timedelta) -> datetime:
        cur = self._next_start(cur)
        if remaining <= _ZERO:
            return cur
        d = cur.date()
        while True:
            for s in self._sessions:
                s_end = datetime.combine(d, s.end)
                if s_end <= cur:
                    continue
                s_start = max(cur, datetime.combine(d, s.start))
                available = s_end - s_start
                if remaining <= available:
                    return s_start + remaining
                remaining -= available
            # The rest of this day is used up: skip whole working days, then finish inside one.
            d = self.next_working_day(d)
            while remaining > self._day_length:
                remaining -= self._day_length
                d = self.next_working_day(d)
            cur = datetime.combine(d, self._sessions[0].start)

    def _backward(self, cur: datetime, remaining: timedelta) -> datetime:
        cur = self._previous_end(cur)
        d = cur.date()
        while True:
            for s in reversed(self._sessions):
                s_start = datetime.combine(d, s.start)
                if s_start >= cur:
                    continue
                s_end = min(cur, datetime.combine(d, s.end))
                available = s_end - s_start
                if remaining <= available:
                    return s_end - remaining
                remaining -= available
            d = self.previous_working_day(d)
            while remaining > self._day_length:
                remaining -= self._day_length
                d = self.previous_working_day(d)
            cur = datetime.combine(d, self._sessions[-1].end)

    def add_working_time(self, dt: datetime, delta: timedelta) -> datetime:
        """Move ``delta`` of working time from ``dt`` (backwards when ``delta`` is negative).

        Forwards, the start is first normalised with ``next_working_start``; the result is
        the earliest instant at which ``delta`` of working time has passed.  Backwards, the
        start is normalised with ``previous_working_end``.
        """
        local = self._local(dt)
        if delta < _ZERO:
            return self._aware(self._backward(local, -delta))
        return self._aware(self._forward(local, delta))

    def add_working_minutes(self, dt: datetime, minutes: float) -> datetime:
        return self.add_working_time(dt, timedelta(minutes=minutes))

    def add_working_hours(self, dt: datetime, hours: float) -> datetime:
        """Hour-based limits (T3, T8): run inside the sessions, skip lunch, nights, days off."""
        return self.add_working_time(dt, timedelta(hours=hours))

    def add_working_days(
        self,
        dt: datetime,
        n: int,
        policy: DueDatePolicy | str = DueDatePolicy.SAME_TIME_OF_DAY,
    ) -> datetime:
        """The due date-time of an ``n``-working-day limit starting at ``dt``.

        The start is normalised first (T7); ``n == 0`` returns the normalised start under
        either policy.  See ``DueDatePolicy`` for the two policies.
        """
        policy = DueDatePolicy(policy)
        if n < 0:
            raise ValueError("add_working_days needs n >= 0 (use add_working_time to go back).")
        start = self._next_start(self._local(dt))
        if n == 0:
            return self._aware(start)
        if policy == DueDatePolicy.SAME_TIME_OF_DAY:
            target = self.working_day_offset(start.date(), n)
            return self._aware(datetime.combine(target, start.time()))
        starts_at_opening = start.time() == self._sessions[0].start
        target = self.working_day_offset(start.date(), n - 1 if starts_at_opening else n)
        return self._aware(datetime.combine(target, self._sessions[-1].end))

    def working_time_between(self, a: datetime, b: datetime) -> timedelta:
        """Working time from ``a`` to ``b`` (negative when ``a > b``), exact."""
        start, end = self._local(a), self._local(b)
        if end < start:
            return -self._between(end, start)
        return self._between(start, end)

    def _between(self, start: datetime, end: datetime) -> timedelta:
        total = _ZERO
        first, last = start.date(), end.date()
        d = first
        while d <= last:
            if self.is_working_day(d):
                if first < d < last:
                    total += self._day_length
                else:
                    for s in self._sessions:
                        lo = max(start, datetime.combine(d, s.start))
                        hi = min(end, datetime.combine(d, s.end))
                        if hi > lo:
                            total += hi - lo
            d += _ONE_DAY
        return total

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Whole working minutes from ``a`` to ``b``, truncated towards zero (negative if a > b)."""
        seconds = self.working_time_between(a, b).total_seconds()
        minutes = int(abs(seconds) // 60)
        return -minutes if seconds < 0 else minutes
