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


class CalendarUnitAmbiguous(CalendarEntryInvalid):
    """A unit code that matches several units of the same list (scheme)."""

    code = "calendar.unit_ambiguous"
    default_message = _(
        "Mã đơn vị hành chính này trùng ở nhiều đơn vị; hãy ghi rõ danh mục, ví dụ legacy:20845."
    )


class WorkingScheduleInvalid(CalendarError):
    """Bad working hours or a bad date from which they apply."""

    code = "calendar.schedule_invalid"
    default_message = _("Giờ làm việc không hợp lệ.")

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class WorkingScheduleNotFound(CalendarError):
    code = "calendar.schedule_not_found"
    default_message = _("Không tìm thấy giờ làm việc này (có thể đã bị xoá).")


class WorkingScheduleInForce(CalendarError):
    """A schedule already in force is history: it is replaced by a new one, never deleted."""

    code = "calendar.schedule_in_force"
    default_message = _(
        "Giờ làm việc này đã được áp dụng nên không xoá được; hãy đặt giờ làm việc mới."
    )


class WorkingScheduleConflict(CalendarError):
    """Two admins set the hours of the same unit from the same date at once."""

    code = "calendar.schedule_conflict"
    default_message = _(
        "Giờ làm việc của đơn vị vừa được người khác cập nhật. Hãy tải lại trang để xem."
    )
