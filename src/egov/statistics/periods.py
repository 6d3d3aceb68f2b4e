"""Reporting periods: inclusive local dates, turned into half-open instants for queries."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from egov.core.calendar.facade import VN_TZ
from egov.statistics.errors import ErrorCode, StatisticsError
from egov.statistics.types import Period

#: The longest period one report may cover (a larger one is refused as bad input).
MAX_DAYS = 366 * 5


#: Dates typed on the pages (dd/mm/yyyy) or sent to the API (YYYY-MM-DD): both, everywhere.
DATE_INPUTS = ("%d/%m/%Y", "%Y-%m-%d")


def read_date(text: str) -> dt.date | None:
    """The date in ``text`` (dd/mm/yyyy or YYYY-MM-DD), or None."""
    value = (text or "").strip()
    for pattern in DATE_INPUTS:
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


def _date(value: str | dt.date | None, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = (value or "").strip()
    found = read_date(text)
    if found is None:
        raise StatisticsError(
            ErrorCode.PERIOD_INVALID,
            _("“%(name)s” phải là một ngày dạng YYYY-MM-DD (nhận được “%(value)s”).")
            % {"name": name, "value": text[:20]},
        )
    return found


def parse_period(start: str | dt.date | None, end: str | dt.date | None) -> Period:
    """``Period`` from two dates (``YYYY-MM-DD`` or dd/mm/yyyy strings, or dates), or
    ``period_invalid`` (400)."""
    first = _date(start, "from")
    last = _date(end, "to")
    if first > last:
        raise StatisticsError(
            ErrorCode.PERIOD_INVALID,
            _("Ngày bắt đầu (%(start)s) phải trước hoặc bằng ngày kết thúc (%(end)s).")
            % {"start": first.strftime("%d/%m/%Y"), "end": last.strftime("%d/%m/%Y")},
        )
    if (last - first).days > MAX_DAYS:
        raise StatisticsError(
            ErrorCode.PERIOD_INVALID,
            _("Kỳ báo cáo dài nhất là 5 năm."),
        )
    return Period(start=first, end=last)


def bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """``[start 00:00, end + 1 day 00:00)`` in Asia/Ho_Chi_Minh."""
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=VN_TZ)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
    return start, end


def month_period(day: dt.date) -> Period:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return Period(first, nxt - dt.timedelta(days=1))


def quarter_period(day: dt.date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = dt.date(day.year, first_month, 1)
    last = month_period(dt.date(day.year, first_month + 2, 1)).end
    return Period(first, last)


def year_period(day: dt.date) -> Period:
    return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def local_date(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone(VN_TZ).date() if moment is not None else None
