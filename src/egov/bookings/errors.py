"""Error codes (stable strings used by the API and the pages) and the module's exceptions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError


class ErrorCode:
    DESK_NOT_FOUND = "bookings.desk_not_found"
    PROCEDURE_INVALID = "bookings.procedure_invalid"
    SLOT_INVALID = "bookings.slot_invalid"
    SLOT_PAST = "bookings.slot_past"
    SLOT_DAY_OFF = "bookings.slot_day_off"
    SLOT_TOO_FAR = "bookings.slot_too_far"
    SLOT_FULL = "bookings.slot_full"
    CONTACT_INVALID = "bookings.contact_invalid"
    PHONE_LIMIT = "bookings.phone_limit"
    DUPLICATE = "bookings.duplicate"
    NOT_FOUND = "bookings.not_found"
    NOT_CANCELLABLE = "bookings.not_cancellable"
    MARK_INVALID = "bookings.mark_invalid"
    SCHEDULE_INVALID = "bookings.schedule_invalid"
    PERMISSION_DENIED = "bookings.permission_denied"


class BookingError(ValidationError):
    """Bad input or a state that does not allow the change: a 4xx with a Vietnamese message.

    ``status`` is the HTTP status the API and the pages answer with (400 bad input, 404 not
    found, 409 a conflict with the current state); ``field`` names the input at fault;
    ``errors`` carries per-row messages of a schedule (``{row index: {field: message}}``).
    """

    def __init__(
        self,
        message: Any,
        *,
        code: str,
        status: int = 400,
        field: str | None = None,
        errors: dict[int, dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.error_code = code
        self.text = str(message)
        self.status = status
        self.field = field
        self.errors = errors or {}


class BookingNotFound(BookingError):
    def __init__(self, message: Any) -> None:
        super().__init__(message, code=ErrorCode.NOT_FOUND, status=404)


class BookingPermissionDenied(PermissionDenied):
    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.text = str(message)
        self.error_code = ErrorCode.PERMISSION_DENIED
