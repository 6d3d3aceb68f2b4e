"""What other modules use: start a payment, take the browser's return, read payments,
register what a paid payment does (``purpose_register``) and gateways
(``provider_register``)."""

from egov.payments.constants import PaymentStatus
from egov.payments.errors import (
    PAYMENT_ERRORS,
    PaymentConflict,
    PaymentError,
    PaymentInvalid,
    PaymentNotFound,
    PaymentSignatureInvalid,
)
from egov.payments.models import Payment
from egov.payments.providers.base import (
    CallbackResult,
    PaymentProvider,
    default_provider,
    provider_get,
    provider_register,
)
from egov.payments.purposes import purpose_register, purpose_unregister
from egov.payments.selectors import payment_get_for_payer, payments_for_reference
from egov.payments.services import ConfirmOutcome, payment_confirm, payment_start

__all__ = [
    "PAYMENT_ERRORS",
    "CallbackResult",
    "ConfirmOutcome",
    "Payment",
    "PaymentConflict",
    "PaymentError",
    "PaymentInvalid",
    "PaymentNotFound",
    "PaymentProvider",
    "PaymentSignatureInvalid",
    "PaymentStatus",
    "default_provider",
    "payment_confirm",
    "payment_get_for_payer",
    "payment_start",
    "payments_for_reference",
    "provider_get",
    "provider_register",
    "purpose_register",
    "purpose_unregister",
]
