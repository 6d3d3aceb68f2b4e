"""The demo gateway: a redirect-and-callback gateway simulated on this site.

It behaves like a real bank or wallet gateway so the whole flow can be tried without
one: ``start`` sends the payer to ``/thanh-toan/cong-mo-phong/<order>/`` (a page clearly
marked as a simulation, "không trừ tiền thật"), where "Thanh toán" or "Hủy":

1. sends the **server-to-server callback**: ``POST /api/v1/payments/demo/callback`` with
   the answer signed by HMAC-SHA256 (key ``EGOV_PAYMENT_DEMO_SECRET``);
2. sends the browser back to the return URL with the same signed answer in the query.

Fields: ``order_id``, ``amount`` (đồng), ``status`` (``00`` paid, ``24`` cancelled by the
payer), ``transaction_id``, ``paid_at`` (ISO 8601) and ``signature``: the hex HMAC of
``key=value`` pairs of every other field, sorted by key, joined with ``&``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.payments.errors import PaymentInvalid, PaymentSignatureInvalid
from egov.payments.providers.base import CallbackResult, PaymentProvider

if TYPE_CHECKING:
    from egov.payments.models import Payment

logger = logging.getLogger("egov.payments")

STATUS_PAID = "00"
STATUS_CANCELLED = "24"
FIELDS = ("order_id", "amount", "status", "transaction_id", "paid_at")
#: Seconds the gateway waits for this site to answer its callback.
CALLBACK_TIMEOUT = 5


def demo_secret() -> bytes:
    """``EGOV_PAYMENT_DEMO_SECRET``, or a key derived from ``SECRET_KEY`` when it is empty."""
    configured = settings.EGOV_PAYMENT_DEMO_SECRET
    if configured:
        return configured.encode()
    return hmac.new(
        str(settings.SECRET_KEY).encode(), b"egov.payments.demo", hashlib.sha256
    ).digest()


def canonical(data: Mapping[str, Any]) -> str:
    return "&".join(f"{key}={data[key]}" for key in sorted(data) if key != "signature")


def sign(data: Mapping[str, Any]) -> str:
    return hmac.new(demo_secret(), canonical(data).encode(), hashlib.sha256).hexdigest()


def signed(data: Mapping[str, Any]) -> dict[str, str]:
    values = {key: str(value) for key, value in data.items() if key != "signature"}
    values["signature"] = sign(values)
    return values


def deliver_callback(url: str, data: Mapping[str, str]) -> bool:
    """POST the signed answer to ``url`` (form-encoded), as the gateway's server would.

    A failure is logged and reported with ``False``: the browser's return carries the same
    signed answer, so the payment is still recorded when the payer comes back.
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"callback URL must be http(s), got {url!r}")
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310  (http(s) checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=CALLBACK_TIMEOUT) as response:  # noqa: S310  # nosec B310  # http(s) checked above
            return 200 <= int(response.status) < 300
    except (OSError, ValueError, RuntimeError) as exc:
        logger.warning(
            "demo gateway callback not delivered",
            extra={"order_id": data.get("order_id"), "error": str(exc)},
        )
        return False


class DemoProvider(PaymentProvider):
    name = "demo"
    label = _("Cổng thanh toán mô phỏng")

    def start(self, payment: Payment, return_url: str) -> str:
        return reverse("payments:demo_gateway", args=[payment.order_id])

    def answer(self, payment: Payment, *, pay: bool) -> dict[str, str]:
        """The gateway's signed answer for ``payment`` (paid, or cancelled by the payer)."""
        return signed(
            {
                "order_id": payment.order_id,
                "amount": payment.amount,
                "status": STATUS_PAID if pay else STATUS_CANCELLED,
                "transaction_id": f"DEMO{secrets.token_hex(6).upper()}" if pay else "",
                "paid_at": timezone.now().isoformat(timespec="seconds") if pay else "",
            }
        )

    def verify_callback(self, data: Mapping[str, Any]) -> CallbackResult:
        values = {key: str(data.get(key, "")) for key in FIELDS}
        given = str(data.get("signature", "") or "")
        if not given or not hmac.compare_digest(given.lower(), sign(values)):
            raise PaymentSignatureInvalid
        if not values["order_id"]:
            raise PaymentInvalid(_("Thiếu mã giao dịch."), code="payments.order_missing")
        try:
            amount = int(values["amount"])
        except ValueError:
            raise PaymentInvalid(
                _("Số tiền không hợp lệ."), code="payments.amount_invalid"
            ) from None
        return CallbackResult(
            order_id=values["order_id"],
            amount=amount,
            success=values["status"] == STATUS_PAID,
            transaction_id=values["transaction_id"],
            cancelled=values["status"] == STATUS_CANCELLED,
            raw=values,
        )
