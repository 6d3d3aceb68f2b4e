"""Payment gateways: the interface (``base``) and the demo gateway (``demo``)."""

from egov.payments.providers.base import (
    CallbackResult,
    PaymentProvider,
    default_provider,
    provider_get,
    provider_names,
    provider_register,
)

__all__ = [
    "CallbackResult",
    "PaymentProvider",
    "default_provider",
    "provider_get",
    "provider_names",
    "provider_register",
]
