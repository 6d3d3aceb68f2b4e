"""Enumerations of the working calendar (stable values, Vietnamese labels)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarEntryKind(models.TextChoices):
    """What an admin-entered calendar entry does to its date."""

    DAY_OFF = "day_off", _("Ngày nghỉ")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class DueDatePolicy(models.TextChoices):
    """How "N working days" turns into a due date-time (onestop.md T8, Q6).

    * ``SAME_TIME_OF_DAY`` (default, the vendor rule): the same time of day on the N-th
      working day after the (normalised) start; N working days = N × the configured day
      length of working time.
    * ``END_OF_DAY``: the closing time of the working day on which that same amount of
      working time runs out; a start exactly at the morning opening counts its own day as
      day 1 (accepted Monday 07:30 + 3 days → Wednesday closing).
    """

    SAME_TIME_OF_DAY = "same_time_of_day", _("Cùng giờ của ngày làm việc thứ N")
    END_OF_DAY = "end_of_day", _("Cuối ngày làm việc thứ N")


#: ``EGOV_DUE_DATE_POLICY`` default (onestop.md Q6: the vendor rule).
DEFAULT_DUE_DATE_POLICY = "same_time"
#: Accepted spellings of the policy (settings, ``manage.py calendar due --policy``).
DUE_DATE_POLICY_ALIASES = {
    "same_time": DueDatePolicy.SAME_TIME_OF_DAY,
    "same_time_of_day": DueDatePolicy.SAME_TIME_OF_DAY,
    "end_of_day": DueDatePolicy.END_OF_DAY,
}


def parse_due_date_policy(value: object) -> DueDatePolicy:
    """``"same_time"`` / ``"same_time_of_day"`` / ``"end_of_day"`` → ``DueDatePolicy``."""
    if isinstance(value, DueDatePolicy):
        return value
    key = str(value).strip().lower() if value is not None else ""
    if key not in DUE_DATE_POLICY_ALIASES:
        raise ValueError(
            f"unknown due-date policy {value!r}; expected one of "
            + ", ".join(repr(k) for k in DUE_DATE_POLICY_ALIASES)
        )
    return DUE_DATE_POLICY_ALIASES[key]


class DayKind(models.TextChoices):
    """Why a date is, or is not, a working day (see ``WorkingCalendar.day_info``)."""

    WEEKDAY = "weekday", _("Ngày làm việc")
    WEEKEND = "weekend", _("Nghỉ cuối tuần")
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    DAY_OFF = "day_off", _("Ngày nghỉ")
    MAKE_UP = "make_up", _("Ngày làm việc bù")


# Monday = 0, as ``date.weekday()``.
WEEKDAY_NAMES = (
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ nhật"),
)
