"""Reads: one payment for its payer, the payments of one reference."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from egov.payments.errors import PaymentNotFound
from egov.payments.models import Payment


def payment_get_for_payer(user: Any, order_id: str) -> Payment:
    """The payment ``order_id`` if ``user`` started it; ``PaymentNotFound`` otherwise."""
    key = (order_id or "").strip()
    if not key or len(key) > 32 or not getattr(user, "is_authenticated", False):
        raise PaymentNotFound
    payment = Payment.objects.filter(order_id=key, payer=user).first()
    if payment is None:
        raise PaymentNotFound
    return payment


def payments_for_reference(purpose: str, reference: str) -> QuerySet[Payment]:
    """Every payment of (``purpose``, ``reference``), newest first.

    The caller has checked that the user may see the thing paid for.
    """
    return Payment.objects.filter(purpose=purpose, reference=reference).order_by(
        "-created_at", "-id"
    )
