"""Statuses and limits of desk appointments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")
    ATTENDED = "attended", _("Đã đến")
    NO_SHOW = "no_show", _("Không đến")


class Weekday(models.IntegerChoices):
    """``date.weekday()``: Monday is 0."""

    MONDAY = 0, _("Thứ Hai")
    TUESDAY = 1, _("Thứ Ba")
    WEDNESDAY = 2, _("Thứ Tư")
    THURSDAY = 3, _("Thứ Năm")
    FRIDAY = 4, _("Thứ Sáu")
    SATURDAY = 5, _("Thứ Bảy")
    SUNDAY = 6, _("Chủ nhật")


#: Statuses a clerk sets at the desk (and may correct between them).
DESK_MARKS = (BookingStatus.ATTENDED, BookingStatus.NO_SHOW)

CODE_PREFIX = "LH"
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240
MAX_CAPACITY = 200
#: Rows one desk's weekly schedule may have (a few sessions per weekday).
MAX_SCHEDULE_ROWS = 28
#: Calendar days looked at to find the working days of the booking window (Tết is ~9 days).
MAX_SCAN_DAYS = 60
