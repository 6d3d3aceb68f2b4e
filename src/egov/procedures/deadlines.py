"""The due-date engine: when a dossier is due, and why (onestop.md §3, rules T1–T16).

Pure functions over ``contracts.DeadlineRules`` and a ``WorkingCalendar``: no database
access (build the calendar once with ``calendar_for_unit(unit_id, on=received_at)`` and
pass it in).  The rules are documented, with the decisions taken where the sources are
silent or disagree, in ``DEADLINES.md`` beside this file; in short:

1. **Start** (T2): the time the complete dossier was received, or the time the fee was
   paid when the procedure starts the clock only after payment (the later of the two).
   Times count in whole minutes (the receipt slip shows hours and minutes).
2. **Out of hours** (T7): before opening → opening; at lunch → the afternoon opening;
   after closing or on a day off → the next working morning.
3. **Cut-offs**: ``SAME_DAY_15H`` (T5): received after 15:00 (``cutoff_time``) → settled on
   the next working day; the limit ends at the closing time of its last day (1 working
   day = the intake day itself).  ``LAST_WORKING_HOUR`` (T6): received within the last
   working hour before closing → counted from the next working morning.
4. **Limits**: working days keep the time of day (T8, ``DueDatePolicy.SAME_TIME_OF_DAY``)
   or end at closing time (``END_OF_DAY``, Q6); hours run inside working hours; calendar
   days and months count every day and, when the last day is not a working day, move to
   the next working day at the same time of day (or its closing time with ``END_OF_DAY``).
5. **Pauses** (T10): the due date moves by the working time of the pause.
6. **Online acceptance** (T15, Q7): 8 working hours after submission (or payment).
7. **Early / on time / late** (T14, Q5): by date-time and by date, both kept.
"""

from __future__ import annotations

import calendar as month_calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.conf import settings
from django.utils.translation import gettext as _

from egov.core.calendar.facade import (
    DEFAULT_ONLINE_ACCEPTANCE_HOURS,
    VN_TZ,
    WEEKDAY_NAMES,
    DayInfo,
    DayKind,
    DueDatePolicy,
    WorkingCalendar,
    due_date_policy,
    parse_due_date_policy,
)
from egov.procedures.constants import (
    DEFAULT_CUTOFF_HOUR,
    HOURS_PER_WORKING_DAY,
    CompletionTiming,
    CutoffRule,
    TimeUnit,
)
from egov.procedures.contracts import DeadlineRules, DueDate, TimeLimit

#: The default same-day cut-off (T5): received after 15:00 → the next working day.
DEFAULT_CUTOFF_TIME = time(DEFAULT_CUTOFF_HOUR, 0)
#: T6: the last working hour of the day counts from the next working day.
LAST_WORKING_HOUR = timedelta(hours=1)
#: Limits longer than this are refused as input errors (no real procedure comes close).
MAX_LIMIT = {
    TimeUnit.WORKING_DAYS: 2000,
    TimeUnit.CALENDAR_DAYS: 3660,
    TimeUnit.HOURS: 16000,
    TimeUnit.MONTHS: 120,
}


# --- errors ------------------------------------------------------------------------------------


class DeadlineError(ValueError):
    """A due date that cannot be computed; ``code`` is stable, ``message`` is Vietnamese."""

    code = "deadlines.error"

    def __init__(self, message: str) -> None:
        self.message = str(message)
        super().__init__(self.message)


class DeadlineNotPaid(DeadlineError):
    """The clock starts only after payment, and the fee is not paid yet."""

    code = "deadlines.not_paid"


class DeadlineRulesInvalid(DeadlineError):
    """An unknown unit of time, a negative or absurd limit, shares over the limit."""

    code = "deadlines.rules_invalid"


# --- formatting ------------------------------------------------------------------------------


def weekday_name(d: date) -> str:
    """``thứ Sáu``, ``Chủ nhật``: the weekday as written inside a sentence."""
    name = str(WEEKDAY_NAMES[d.weekday()])
    if name.startswith("Thứ "):
        return "thứ " + name[len("Thứ ") :]
    return name


def format_day(d: date) -> str:
    """``thứ Sáu 27/11/2026``."""
    return f"{weekday_name(d)} {d:%d/%m/%Y}"


def format_moment(dt: datetime) -> str:
    """``16:30 thứ Sáu 27/11/2026`` (local time)."""
    local = dt.astimezone(VN_TZ)
    return f"{local:%H:%M} {format_day(local.date())}"


def _format_runs(days: list[DayInfo]) -> list[str]:
    """Consecutive days with the same name → ``Quốc khánh 01/09–02/09/2026``."""
    runs: list[list[DayInfo]] = []
    for info in days:
        last = runs[-1][-1] if runs else None
        if last is not None and last.name == info.name and info.date - last.date == _ONE_DAY:
            runs[-1].append(info)
        else:
            runs.append([info])
    parts = []
    for run in runs:
        first, last_day = run[0].date, run[-1].date
        name = run[0].name or str(run[0].kind.label)
        if first == last_day:
            parts.append(f"{name} {first:%d/%m/%Y}")
        elif first.year == last_day.year:
            parts.append(f"{name} {first:%d/%m}–{last_day:%d/%m/%Y}")
        else:
            parts.append(f"{name} {first:%d/%m/%Y}–{last_day:%d/%m/%Y}")
    return parts


_ONE_DAY = timedelta(days=1)


def _skipped(calendar: WorkingCalendar, first: date, last: date) -> list[str]:
    """Clauses naming the non-working days ``first <= d < last`` (weekends, then days off)."""
    weekend_days: set[int] = set()
    days_off: list[DayInfo] = []
    for info in skipped_days(calendar, first, last):
        if info.kind == DayKind.WEEKEND:
            weekend_days.add(info.date.weekday())
        else:
            days_off.append(info)
    clauses = []
    if weekend_days:
        names = ", ".join(weekday_name(date(2026, 3, 2 + w)) for w in sorted(weekend_days))
        clauses.append(_("bỏ qua %(days)s") % {"days": names})
    if days_off:
        clauses.append(
            _("bỏ qua các ngày nghỉ: %(days)s") % {"days": ", ".join(_format_runs(days_off))}
        )
    return clauses


def _make_up_used(calendar: WorkingCalendar, first: date, last: date) -> list[str]:
    """A clause naming the make-up working days ``first <= d <= last``, if any."""
    used = []
    d = first
    while d <= last:
        info = calendar.day_info(d)
        if info.is_working and info.kind == DayKind.MAKE_UP:
            used.append(format_day(d))
        d += _ONE_DAY
    if not used:
        return []
    return [_("tính cả ngày làm việc bù %(days)s") % {"days": ", ".join(used)}]


# --- helpers ---------------------------------------------------------------------------------


def _local_minute(dt: datetime, label: str) -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"{label}: expected a datetime, got {dt!r}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{label}: a time-zone-aware datetime is required, got {dt!r}")
    return dt.astimezone(VN_TZ).replace(second=0, microsecond=0)


def _policy(policy: DueDatePolicy | str | None) -> DueDatePolicy:
    if policy is None:
        return due_date_policy()
    try:
        return parse_due_date_policy(policy)
    except ValueError as exc:
        raise DeadlineRulesInvalid(
            _("Cách tính ngày hẹn trả “%(value)s” không hợp lệ.") % {"value": policy}
        ) from exc


def _clean_limit(limit: TimeLimit) -> tuple[int, TimeUnit]:
    try:
        unit = TimeUnit(limit.unit)
    except ValueError as exc:
        raise DeadlineRulesInvalid(
            _(
                "Không tính được hạn giải quyết với đơn vị thời gian “%(unit)s”: chỉ tính được "
                "ngày làm việc, ngày, giờ làm việc và tháng."
            )
            % {"unit": limit.unit}
        ) from exc
    value = limit.value
    if isinstance(value, bool) or not isinstance(value, int):
        raise DeadlineRulesInvalid(
            _("Thời hạn giải quyết phải là một số nguyên, không phải “%(value)s”.")
            % {"value": value}
        )
    if value < 0:
        raise DeadlineRulesInvalid(_("Thời hạn giải quyết không được là số âm."))
    if value > MAX_LIMIT[unit]:
        raise DeadlineRulesInvalid(
            _("Thời hạn giải quyết %(value)d %(unit)s dài quá mức cho phép (%(max)d).")
            % {"value": value, "unit": str(unit.label).lower(), "max": MAX_LIMIT[unit]}
        )
    return value, unit


def _at(calendar: WorkingCalendar, day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=calendar.tz)


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months; a missing day is the month's last (31/01 + 1 → 28/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _roll_forward(calendar: WorkingCalendar, day: date) -> date:
    return day if calendar.is_working_day(day) else calendar.next_working_day(day)


def _limit_label(value: int, unit: TimeUnit) -> str:
    labels = {
        TimeUnit.WORKING_DAYS: _("%(n)d ngày làm việc"),
        TimeUnit.HOURS: _("%(n)d giờ làm việc (chỉ tính trong giờ làm việc)"),
        TimeUnit.CALENDAR_DAYS: _("%(n)d ngày tính cả ngày nghỉ"),
        TimeUnit.MONTHS: _("%(n)d tháng theo lịch"),
    }
    return labels[unit] % {"n": value}


# --- the due date ----------------------------------------------------------------------------


@dataclass
class _Start:
    at: datetime
    steps: list[str]


def _start(
    *,
    received: datetime,
    rules: DeadlineRules,
    calendar: WorkingCalendar,
    paid_at: datetime | None,
) -> _Start:
    steps = [_("Nhận lúc %(when)s") % {"when": format_moment(received)}]
    clock_from = received
    if rules.start_after_payment:
        if paid_at is None:
            raise DeadlineNotPaid(
                _(
                    "Thủ tục này chỉ bắt đầu tính thời hạn giải quyết sau khi nộp phí, lệ phí; "
                    "hồ sơ chưa nộp phí, lệ phí nên chưa có ngày hẹn trả."
                )
            )
        paid = _local_minute(paid_at, "paid_at")
        if paid > received:
            clock_from = paid
            steps.append(
                _("tính từ khi nộp phí, lệ phí lúc %(when)s") % {"when": format_moment(paid)}
            )
        else:
            steps.append(
                _("đã nộp phí, lệ phí lúc %(when)s, trước khi tiếp nhận")
                % {"when": format_moment(paid)}
            )
    start = calendar.next_working_start(clock_from)
    if start != clock_from:
        steps.append(_("ngoài giờ làm việc nên tính từ %(when)s") % {"when": format_moment(start)})
    return _Start(start, steps)


def _apply_cutoff(start: _Start, rules: DeadlineRules, calendar: WorkingCalendar) -> _Start:
    at = start.at
    if rules.cutoff == CutoffRule.SAME_DAY_15H:
        cutoff = rules.cutoff_time or DEFAULT_CUTOFF_TIME
        if at.time() > cutoff:
            next_day = calendar.next_working_day(at.date())
            start.steps.append(
                _("nhận sau %(cutoff)s nên giải quyết từ ngày làm việc tiếp theo, %(day)s")
                % {"cutoff": f"{cutoff:%H:%M}", "day": format_day(next_day)}
            )
            start.at = calendar.opening_time(next_day)
    elif rules.cutoff == CutoffRule.LAST_WORKING_HOUR:
        closing = calendar.closing_time(at.date())
        threshold = calendar.add_working_time(closing, -LAST_WORKING_HOUR)
        if at >= threshold:
            next_day = calendar.next_working_day(at.date())
            start.at = calendar.opening_time(next_day)
            start.steps.append(
                _(
                    "nhận trong giờ làm việc cuối cùng của ngày (từ %(threshold)s) nên tính từ "
                    "ngày làm việc tiếp theo, %(when)s"
                )
                % {"threshold": f"{threshold:%H:%M}", "when": format_moment(start.at)}
            )
    return start


def compute_due(
    *,
    received_at: datetime,
    rules: DeadlineRules,
    calendar: WorkingCalendar,
    paid_at: datetime | None = None,
    policy: DueDatePolicy | str | None = None,
) -> DueDate:
    """The legal due date-time of a dossier received at ``received_at``, explained.

    ``calendar``: the receiving unit's calendar (``calendar_for_unit(unit, on=received_at)``).
    ``paid_at``: when the fee was paid (required when ``rules.start_after_payment``).
    ``policy``: how N working days end (default ``settings.EGOV_DUE_DATE_POLICY``).

    Raises ``DeadlineNotPaid`` (unpaid with ``start_after_payment``) and
    ``DeadlineRulesInvalid`` (unknown unit, negative or absurd limit, unknown policy), both
    with a Vietnamese ``message``; ``ValueError`` for a naive datetime.
    """
    chosen = _policy(policy)
    value, unit = _clean_limit(rules.limit)
    received = _local_minute(received_at, "received_at")
    start = _apply_cutoff(
        _start(received=received, rules=rules, calendar=calendar, paid_at=paid_at),
        rules,
        calendar,
    )
    steps = start.steps
    begin = start.at
    end_of_day = chosen == DueDatePolicy.END_OF_DAY

    if unit == TimeUnit.WORKING_DAYS and rules.cutoff == CutoffRule.SAME_DAY_15H:
        # Same-day procedures: the intake day is day 1; due at the closing time of day N.
        last_day = calendar.working_day_offset(begin.date(), max(value - 1, 0))
        due = calendar.closing_time(last_day)
        if value <= 1:
            steps.append(_("giải quyết trong ngày"))
        else:
            steps.append(
                _("%(n)d ngày làm việc kể cả ngày tiếp nhận, trả trong giờ làm việc của ngày cuối")
                % {"n": value}
            )
        steps += _skipped(calendar, received.date(), due.date())
        steps += _make_up_used(calendar, begin.date(), due.date())
    elif unit in (TimeUnit.WORKING_DAYS, TimeUnit.HOURS):
        if unit == TimeUnit.WORKING_DAYS:
            due = calendar.add_working_days(begin, value, chosen)
            label = _limit_label(value, unit)
            if end_of_day and value:
                label = _("%(limit)s, hẹn trả cuối ngày làm việc") % {"limit": label}
        else:
            due = calendar.add_working_hours(begin, value)
            label = _limit_label(value, unit)
        steps.append(label)
        steps += _skipped(calendar, received.date(), due.date())
        steps += _make_up_used(calendar, begin.date(), due.date())
    else:
        if unit == TimeUnit.CALENDAR_DAYS:
            last_day = begin.date() + timedelta(days=value)
        else:
            last_day = add_months(begin.date(), value)
        label = _("%(limit)s, đến %(day)s") % {
            "limit": _limit_label(value, unit),
            "day": format_day(last_day),
        }
        if unit == TimeUnit.MONTHS and last_day.day != begin.day:
            label = _(
                "%(label)s (tháng %(month)s không có ngày %(day)d nên lấy ngày cuối tháng)"
            ) % {
                "label": label,
                "month": f"{last_day:%m/%Y}",
                "day": begin.day,
            }
        if end_of_day:
            label = _("%(limit)s, hẹn trả cuối ngày làm việc") % {"limit": label}
        steps.append(label)
        due_day = _roll_forward(calendar, last_day)
        if due_day != last_day:
            steps.append(
                _("ngày đó không phải ngày làm việc nên chuyển sang ngày làm việc tiếp theo")
            )
            steps += _skipped(calendar, last_day, due_day)
        steps += _make_up_used(calendar, due_day, due_day)
        due = calendar.closing_time(due_day) if end_of_day else _at(calendar, due_day, begin.time())
    due = due.astimezone(VN_TZ)
    steps.append(_("hẹn trả %(when)s") % {"when": format_moment(due)})
    return DueDate(
        due_at=due,
        starts_at=begin.astimezone(VN_TZ),
        explanation="; ".join(steps),
        steps=tuple(steps),
    )


# --- pauses and online acceptance ---------------------------------------------------------


def pause_extend(
    due_at: datetime,
    paused_from: datetime,
    paused_until: datetime,
    calendar: WorkingCalendar,
) -> datetime:
    """The due date after a pause (T10): moved by the whole working minutes of the pause.

    A pause that holds no working time (over a weekend, at night) leaves the due date as it
    was.  ``DeadlineError`` when the pause ends before it starts.
    """
    start = _local_minute(paused_from, "paused_from")
    end = _local_minute(paused_until, "paused_until")
    if end < start:
        raise DeadlineError(
            _("Thời điểm tiếp tục (%(end)s) không được trước thời điểm tạm dừng (%(start)s).")
            % {"end": format_moment(end), "start": format_moment(start)}
        )
    minutes = calendar.working_minutes_between(start, end)
    if minutes <= 0:
        return due_at.astimezone(VN_TZ)
    return calendar.add_working_minutes(due_at, minutes)


def online_acceptance_hours() -> int:
    """``settings.EGOV_ONLINE_ACCEPTANCE_HOURS`` (default 8 working hours, onestop.md Q7)."""
    return int(getattr(settings, "EGOV_ONLINE_ACCEPTANCE_HOURS", DEFAULT_ONLINE_ACCEPTANCE_HOURS))


def online_acceptance_due(
    submitted_at: datetime,
    calendar: WorkingCalendar,
    hours: float | None = None,
    *,
    paid_at: datetime | None = None,
) -> datetime:
    """By when an online dossier must be accepted or refused (T15): N working hours.

    Counted from the submission, or from the payment when it came later; ``hours``
    defaults to ``settings.EGOV_ONLINE_ACCEPTANCE_HOURS``.
    """
    start = _local_minute(submitted_at, "submitted_at")
    if paid_at is not None:
        start = max(start, _local_minute(paid_at, "paid_at"))
    amount = online_acceptance_hours() if hours is None else hours
    if amount < 0:
        raise DeadlineRulesInvalid(_("Số giờ làm việc không được là số âm."))
    return calendar.add_working_hours(start, amount)


# --- early, on time, late ------------------------------------------------------------------


class CompletionClassification(TypedDict):
    """Both readings of "on time" (onestop.md Q5), and the KPI 2.1 verdict (QĐ 766)."""

    by_datetime: str
    by_date: str
    kpi_766: str


def classify_completion(
    completed_at: datetime, due_at: datetime, *, supplement_requests: int = 0
) -> CompletionClassification:
    """Early / on time / late, by date-time and by date (T14, Q5: keep both).

    * ``by_date`` (vendor): an earlier local date is early, the same date on time, a later
      date late;
    * ``by_datetime`` (QĐ 766): ``completed_at <= due_at`` is on time, and early when it is
      also on an earlier date; after the due date-time is late (even on the same day);
    * ``kpi_766``: ``by_datetime``, except that a dossier asked to supplement more than once
      is late whatever the dates (KPI 2.1; ``supplement_requests`` counts the requests made
      during processing, not at intake).
    """
    done = completed_at.astimezone(VN_TZ)
    due = due_at.astimezone(VN_TZ)
    if done.date() < due.date():
        by_date = CompletionTiming.EARLY
    elif done.date() == due.date():
        by_date = CompletionTiming.ON_TIME
    else:
        by_date = CompletionTiming.LATE
    if done > due:
        by_datetime = CompletionTiming.LATE
    elif done.date() < due.date():
        by_datetime = CompletionTiming.EARLY
    else:
        by_datetime = CompletionTiming.ON_TIME
    kpi = CompletionTiming.LATE if supplement_requests > 1 else by_datetime
    return CompletionClassification(
        by_datetime=str(by_datetime), by_date=str(by_date), kpi_766=str(kpi)
    )


# --- shares of a limit (T13) -----------------------------------------------------------------


def limit_in_working_hours(limit: TimeLimit) -> int | None:
    """Working hours in a limit (T3: 1 working day = 8 hours); ``None`` for calendar units.

    Calendar days and months hold a number of working hours that depends on the dates.
    """
    value, unit = _clean_limit(limit)
    if unit == TimeUnit.WORKING_DAYS:
        return value * HOURS_PER_WORKING_DAY
    if unit == TimeUnit.HOURS:
        return value
    return None


def check_shares_within_limit(*, limit: TimeLimit, share_hours: Mapping[str, float]) -> None:
    """T13 / onestop.md §3.3 case 10: the agencies' shares may not exceed the legal total.

    ``share_hours``: agency name → its share in working hours.  ``DeadlineRulesInvalid``
    names every share when their sum is over the limit; limits in calendar days or months
    cannot be checked in advance and pass.
    """
    total_hours = limit_in_working_hours(limit)
    if total_hours is None:
        return
    for name, hours in share_hours.items():
        if hours < 0:
            raise DeadlineRulesInvalid(
                _("Thời gian của “%(name)s” không được là số âm.") % {"name": name}
            )
    total = sum(share_hours.values())
    if total > total_hours:
        listed = ", ".join(f"{name} {hours:g} giờ" for name, hours in share_hours.items())
        raise DeadlineRulesInvalid(
            _(
                "Tổng thời gian của các cơ quan là %(total)s giờ làm việc (%(listed)s), vượt "
                "thời hạn giải quyết %(limit)s (%(hours)d giờ làm việc)."
            )
            % {
                "total": f"{total:g}",
                "listed": listed,
                "limit": _limit_label(*_clean_limit(limit)),
                "hours": total_hours,
            }
        )


def skipped_days(calendar: WorkingCalendar, first: date, last: date) -> list[DayInfo]:
    """The non-working days ``first <= d < last``, with their reasons (for screens)."""
    result = []
    d = first
    while d < last:
        info = calendar.day_info(d)
        if not info.is_working:
            result.append(info)
        d += _ONE_DAY
    return result
