"""Error codes of the notifications module (stable strings, used by the API and the UI)."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class ErrorCode(StrEnum):
    UNKNOWN_EVENT = "notifications.unknown_event"
    TEMPLATE_INVALID = "notifications.template_invalid"
    NOT_RESENDABLE = "notifications.not_resendable"
    NOT_FOUND = "notifications.not_found"
    REPORT_REFUSED = "notifications.report_refused"
    ADDRESS_INVALID = "notifications.address_invalid"


class NotificationError(Exception):
    """A request the module refuses, with a message for the person who made it."""

    status = 422

    def __init__(self, code: ErrorCode, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class NotFound(NotificationError):
    status = 404

    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_FOUND, str(_("Không tìm thấy thông báo.")))


class SendError(Exception):
    """A provider could not hand the message over.

    ``transient`` errors (time-out, 5xx, throttled, connection refused) are retried with
    backoff and may fail over to the next provider; permanent ones (invalid number,
    rejected content, 4xx) end the message as failed.  ``recipient`` marks an error that
    belongs to the address itself, so another provider would fail the same way.
    """

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        provider: str = "",
        recipient: bool = False,
        detail: str = "",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient
        self.provider = provider
        self.recipient = recipient
        self.detail = detail
