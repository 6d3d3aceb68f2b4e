"""Errors of the working calendar: a stable ``code`` for the API and UI, a Vietnamese message.

Interfaces catch ``CalendarError`` and show ``error.message`` (a 4xx, never a 500).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class CalendarError(Exception):
    """Base class: ``code`` never changes; ``message`` is shown to the user."""

    code: str = "calendar.error"
    default_message = _("Không thể cập nhật lịch làm việc.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message) if message is not None else str(self.default_message)
        super().__init__(self.message)


class CalendarEntryConflict(CalendarError):
    """Another entry already exists for the same unit (or nationwide) and date."""

    code = "calendar.entry_conflict"
    default_message = _("Ngày này đã có trong lịch làm việc của đơn vị.")

    def __init__(self, message: str | None = None, *, existing_id: int | None = None) -> None:
        super().__init__(message)
        self.existing_id = existing_id


class CalendarEntryRedundant(CalendarError):
    """A make-up day on a day that already works, or a day off on a day already off."""

    code = "calendar.entry_redundant"
    default_message = _("Mục lịch này không làm thay đổi ngày làm việc nào.")


class CalendarEntryInvalid(CalendarError):
    """Bad input: empty reason, unknown kind, a date out of range, an unknown unit."""

    code = "calendar.entry_invalid"
    default_message = _("Thông tin ngày nghỉ, ngày làm việc bù không hợp lệ.")


class CalendarEntryNotFound(CalendarError):
    code = "calendar.entry_not_found"
    default_message = _("Không tìm thấy mục lịch làm việc này (có thể đã bị xoá).")


class CalendarUnitNotFound(CalendarEntryInvalid):
    code = "calendar.unit_not_found"
    default_message = _("Không tìm thấy đơn vị hành chính đã chọn.")
