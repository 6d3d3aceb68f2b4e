"""The interface every payment gateway implements, and the registry of gateways by name.

A gateway is one class: ``start`` sends the payer to it, ``verify_callback`` checks what
it sends back (the server-to-server notification, and the signed parameters on the
browser's return).  Register it once at start-up (``PaymentsConfig.ready``)::

    provider_register(MyBankProvider())

and choose it with ``EGOV_PAYMENT_PROVIDER=mybank``.  See ``payments/README.md``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from egov.payments.models import Payment


@dataclass(frozen=True)
class CallbackResult:
    """What a gateway says about one order, once its signature is verified."""

    order_id: str
    amount: int
    success: bool
    transaction_id: str = ""
    #: The payer gave up at the gateway (a failure that is not an error).
    cancelled: bool = False
    #: The verified data as received (kept on the payment for reconciliation).
    raw: Mapping[str, Any] = field(default_factory=dict)


class PaymentProvider(ABC):
    #: Stable name (``Payment.provider``, the callback URL, ``EGOV_PAYMENT_PROVIDER``).
    name: str = ""
    #: What the payer sees ("Cổng thanh toán mô phỏng", "VNPAY", ...).
    label: str = ""

    @abstractmethod
    def start(self, payment: Payment, return_url: str) -> str:
        """The URL to send the payer's browser to, to pay ``payment``.

        ``return_url`` is where the gateway sends the browser back (with its signed
        answer in the query string).
        """

    @abstractmethod
    def verify_callback(self, data: Mapping[str, Any]) -> CallbackResult:
        """Check the signature of ``data`` and read it.

        Raises ``PaymentSignatureInvalid`` for a bad or missing signature and
        ``PaymentInvalid`` for data that cannot be read (no order, no amount).
        """

    def verify_return(self, data: Mapping[str, Any]) -> CallbackResult:
        """The browser's return; by default signed like the callback."""
        return self.verify_callback(data)


_providers: dict[str, PaymentProvider] = {}


def provider_register(provider: PaymentProvider) -> None:
    """Make ``provider`` available under ``provider.name`` (a new one replaces the old)."""
    if not provider.name or not provider.name.isidentifier():
        raise ImproperlyConfigured(f"A payment provider needs a name, got {provider.name!r}.")
    _providers[provider.name] = provider


def provider_get(name: str) -> PaymentProvider:
    """The registered provider ``name``; ``KeyError`` when there is none."""
    return _providers[name]


def provider_names() -> list[str]:
    return sorted(_providers)


def default_provider() -> PaymentProvider:
    """The provider of ``EGOV_PAYMENT_PROVIDER``."""
    name = settings.EGOV_PAYMENT_PROVIDER
    try:
        return _providers[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"EGOV_PAYMENT_PROVIDER={name!r} is not a registered payment provider "
            f"({', '.join(provider_names()) or 'none'})."
        ) from None
