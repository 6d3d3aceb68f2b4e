"""The bookable slots of a desk: its weekly schedule laid over the working calendar.

Pure computation on what ``selectors`` loads (schedule rows, the unit's calendar, the slot
counters); no writes.  Times are Hà Nội local; ``starts_at`` values are aware datetimes.

* Only **working days** of the desk's unit (``egov.core.calendar``: public holidays, days
  off and make-up working days of the unit and the units above it) have slots.
* The window is the next ``EGOV_BOOKINGS_DAYS_AHEAD`` working days from today; today
  counts only while one of its slots can still be booked.
* A slot can be booked until ``EGOV_BOOKINGS_MIN_LEAD_MINUTES`` before it starts.
* A make-up working day on a weekend without rows of its own follows the first weekday
  (Monday, else Tuesday, …) that has rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.bookings.constants import MAX_SCAN_DAYS, Weekday
from egov.bookings.errors import BookingError, ErrorCode
from egov.core.calendar.facade import VN_TZ, WorkingCalendar


@dataclass(frozen=True)
class SessionRow:
    """One schedule row as the computation needs it (a ``DeskSchedule`` or a form row)."""

    weekday: int
    start_time: dt.time
    end_time: dt.time
    slot_minutes: int
    capacity: int


@dataclass(frozen=True)
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    booked: int = 0

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def available(self) -> bool:
        return self.remaining > 0

    @property
    def key(self) -> str:
        """The slot in URLs and forms: local ``YYYY-MM-DDTHH:MM``."""
        return self.starts_at.astimezone(VN_TZ).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class SlotDay:
    day: dt.date
    slots: list[Slot]

    @property
    def remaining(self) -> int:
        return sum(s.remaining for s in self.slots)


def day_label(day: dt.date) -> str:
    """ "Thứ Hai, 30/11/2026"."""
    return f"{Weekday(day.weekday()).label}, {day:%d/%m/%Y}"


def by_weekday(rows: Iterable[SessionRow]) -> dict[int, list[SessionRow]]:
    result: dict[int, list[SessionRow]] = {}
    for row in rows:
        result.setdefault(row.weekday, []).append(row)
    for sessions in result.values():
        sessions.sort(key=lambda r: r.start_time)
    return result


def rows_for_day(schedule: Mapping[int, Sequence[SessionRow]], day: dt.date) -> list[SessionRow]:
    rows = schedule.get(day.weekday())
    if rows:
        return list(rows)
    if day.weekday() >= 5:
        for weekday in range(5):
            if schedule.get(weekday):
                return list(schedule[weekday])
    return []


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=VN_TZ)


def day_slots(schedule: Mapping[int, Sequence[SessionRow]], day: dt.date) -> list[Slot]:
    """Every slot of ``day`` by the schedule (nothing booked, past ones included)."""
    slots: list[Slot] = []
    for row in rows_for_day(schedule, day):
        step = dt.timedelta(minutes=row.slot_minutes)
        start = _local(day, row.start_time)
        end = _local(day, row.end_time)
        while start + step <= end:
            slots.append(Slot(starts_at=start, ends_at=start + step, capacity=row.capacity))
            start += step
    slots.sort(key=lambda s: s.starts_at)
    return slots


def bookable_from(now: dt.datetime, lead_minutes: int) -> dt.datetime:
    """The earliest start a booking made at ``now`` may take."""
    return now + dt.timedelta(minutes=max(lead_minutes, 0))


def window_days(
    calendar: WorkingCalendar,
    schedule: Mapping[int, Sequence[SessionRow]],
    *,
    now: dt.datetime,
    days: int,
    lead_minutes: int,
) -> list[dt.date]:
    """The working days citizens may book on: ``days`` of them from today (see above)."""
    earliest = bookable_from(now, lead_minutes)
    today = now.astimezone(VN_TZ).date()
    result: list[dt.date] = []
    day = today
    for _i in range(MAX_SCAN_DAYS):
        if len(result) >= days:
            break
        if calendar.is_working_day(day) and (
            day != today or any(s.starts_at >= earliest for s in day_slots(schedule, day))
        ):
            result.append(day)
        day += dt.timedelta(days=1)
    return result


def slot_days(
    calendar: WorkingCalendar,
    schedule: Mapping[int, Sequence[SessionRow]],
    booked: Mapping[dt.datetime, int],
    *,
    now: dt.datetime,
    days: int,
    lead_minutes: int,
) -> list[SlotDay]:
    """The window's days with their future slots and the places left in each."""
    earliest = bookable_from(now, lead_minutes)
    result = []
    for day in window_days(calendar, schedule, now=now, days=days, lead_minutes=lead_minutes):
        slots = [
            Slot(s.starts_at, s.ends_at, s.capacity, booked.get(s.starts_at, 0))
            for s in day_slots(schedule, day)
            if s.starts_at >= earliest
        ]
        if slots:
            result.append(SlotDay(day=day, slots=slots))
    return result


def parse_slot_key(value: str) -> dt.datetime:
    """``YYYY-MM-DDTHH:MM`` (Hà Nội time) or an ISO datetime with an offset → aware datetime."""
    text = (value or "").strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise BookingError(
            _("Giờ hẹn không hợp lệ. Hãy chọn một giờ trong lịch tiếp nhận."),
            code=ErrorCode.SLOT_INVALID,
            field="starts_at",
        ) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed


def check_slot(
    calendar: WorkingCalendar,
    schedule: Mapping[int, Sequence[SessionRow]],
    starts_at: dt.datetime,
    *,
    now: dt.datetime,
    days: int,
    lead_minutes: int,
) -> Slot:
    """The slot starting at ``starts_at`` if it can be booked now, else a ``BookingError``."""
    local = starts_at.astimezone(VN_TZ)
    day = local.date()
    if starts_at < bookable_from(now, lead_minutes):
        message = (
            _("Giờ hẹn %(time)s đã qua. Hãy chọn một giờ khác.")
            if starts_at <= now
            else _(
                "Giờ hẹn %(time)s quá sát: chỉ đặt được trước giờ hẹn ít nhất %(lead)s phút. "
                "Hãy chọn một giờ khác."
            )
        )
        raise BookingError(
            message % {"time": local.strftime("%H:%M %d/%m/%Y"), "lead": lead_minutes},
            code=ErrorCode.SLOT_PAST,
            field="starts_at",
        )
    if not calendar.is_working_day(day):
        raise BookingError(
            _("Ngày %(day)s là ngày nghỉ, Bộ phận Một cửa không tiếp nhận. Hãy chọn ngày khác.")
            % {"day": day.strftime("%d/%m/%Y")},
            code=ErrorCode.SLOT_DAY_OFF,
            field="starts_at",
        )
    allowed = window_days(calendar, schedule, now=now, days=days, lead_minutes=lead_minutes)
    if day not in allowed:
        raise BookingError(
            _("Chỉ đặt lịch hẹn được trong %(days)s ngày làm việc tới (đến ngày %(last)s).")
            % {
                "days": days,
                "last": allowed[-1].strftime("%d/%m/%Y") if allowed else "—",
            },
            code=ErrorCode.SLOT_TOO_FAR,
            field="starts_at",
        )
    for slot in day_slots(schedule, day):
        if slot.starts_at == starts_at:
            return slot
    raise BookingError(
        _("Không có lượt tiếp nhận nào bắt đầu lúc %(time)s. Hãy chọn một giờ trong lịch.")
        % {"time": local.strftime("%H:%M %d/%m/%Y")},
        code=ErrorCode.SLOT_INVALID,
        field="starts_at",
    )
