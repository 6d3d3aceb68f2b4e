"""Errors of the payments module: a stable code, an HTTP status, a Vietnamese message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class PaymentError(Exception):
    status = 400
    code = "payments.invalid"
    default_message: Any = _("Yêu cầu thanh toán không hợp lệ.")

    def __init__(self, message: Any = None, *, code: str | None = None) -> None:
        self.text = str(message if message is not None else self.default_message)
        if code is not None:
            self.code = code
        super().__init__(self.text)


class PaymentInvalid(PaymentError):
    """Bad input: an unknown order, a wrong amount, a malformed callback (400)."""


class PaymentSignatureInvalid(PaymentError):
    """The gateway's signature does not match: forged or corrupted (400, audited)."""

    code = "payments.signature_invalid"
    default_message = _("Chữ ký của cổng thanh toán không hợp lệ.")


class PaymentNotFound(PaymentError):
    status = 404
    code = "payments.not_found"
    default_message = _("Không tìm thấy giao dịch thanh toán.")


class PaymentConflict(PaymentError):
    """The state moved on: already paid, expired, nothing to pay (409)."""

    status = 409
    code = "payments.conflict"
    default_message = _("Giao dịch thanh toán đã được xử lý.")


PAYMENT_ERRORS = (PaymentInvalid, PaymentSignatureInvalid, PaymentNotFound, PaymentConflict)
