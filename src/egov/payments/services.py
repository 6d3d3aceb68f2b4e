"""Writes: start a payment, take a gateway's answer (callback or browser return), expire.

The gateway's answer is taken once: the signature is checked by the provider, the order
and the amount against the ``Payment``; then one conditional ``UPDATE … SET status='paid'
WHERE status <> 'paid'`` decides who records it, so a replayed or concurrent callback
finds nothing to update and answers "already processed" — the purpose's handler runs
once.  Everything is audited (``payments.payment.*``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.core.audit.services import audit_record
from egov.core.text import group_thousands
from egov.payments.constants import OPEN_STATUSES, PAYMENT_TTL_MINUTES, PaymentStatus
from egov.payments.errors import (
    PaymentConflict,
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
)
from egov.payments.purposes import purpose_handler, purpose_known

logger = logging.getLogger("egov.payments")


@dataclass(frozen=True)
class ConfirmOutcome:
    payment: Payment
    #: ``False`` when the answer had already been taken (a replay): nothing changed.
    processed: bool


def _new_order_id(now: dt.datetime) -> str:
    return f"{timezone.localtime(now):%y%m%d%H%M%S}{secrets.token_hex(4).upper()}"


def _snapshot(payment: Payment) -> dict[str, Any]:
    return {
        "order_id": payment.order_id,
        "purpose": payment.purpose,
        "reference": payment.reference,
        "amount": payment.amount,
        "provider": payment.provider,
        "status": payment.status,
        "transaction_id": payment.transaction_id,
    }


def is_stale(payment: Payment, now: dt.datetime | None = None) -> bool:
    """An open payment older than ``PAYMENT_TTL_MINUTES``."""
    moment = now or timezone.now()
    return payment.status in OPEN_STATUSES and payment.created_at < moment - dt.timedelta(
        minutes=PAYMENT_TTL_MINUTES
    )


def payment_start(
    *,
    payer: Any,
    purpose: str,
    reference: str,
    amount: int,
    description: str,
    return_url: str,
    provider: PaymentProvider | None = None,
    ip_address: str | None = None,
) -> tuple[Payment, str]:
    """A new payment of ``amount`` for (``purpose``, ``reference``): ``(payment, gateway URL)``.

    Refused when the reference is already paid (409), for an unknown purpose or an amount
    that is not positive (400).  Open payments of the same reference older than the time
    limit are expired first.
    """
    if not purpose_known(purpose):
        raise PaymentInvalid(_("Không thể thanh toán cho mục đích này."))
    if int(amount) <= 0:
        raise PaymentInvalid(
            _("Số tiền thanh toán phải lớn hơn 0."), code="payments.amount_invalid"
        )
    if not getattr(payer, "is_authenticated", False):
        raise PaymentInvalid(_("Hãy đăng nhập để thanh toán."))
    gateway = provider or default_provider()
    now = timezone.now()
    with transaction.atomic():
        if Payment.objects.filter(
            purpose=purpose, reference=reference, status=PaymentStatus.PAID
        ).exists():
            raise PaymentConflict(_("Khoản này đã được thanh toán."), code="payments.already_paid")
        Payment.objects.filter(
            purpose=purpose,
            reference=reference,
            status__in=OPEN_STATUSES,
            created_at__lt=now - dt.timedelta(minutes=PAYMENT_TTL_MINUTES),
        ).update(status=PaymentStatus.EXPIRED, updated_at=now)
        payment = Payment.objects.create(
            order_id=_new_order_id(now),
            purpose=purpose,
            reference=reference[:64],
            amount=int(amount),
            description=(description or "")[:255],
            payer=payer,
            provider=gateway.name,
            return_url=return_url[:500],
        )
        url = gateway.start(payment, return_url)
        payment.status = PaymentStatus.PENDING
        payment.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=payer,
            action="payments.payment.start",
            obj=payment,
            after=_snapshot(payment),
            ip_address=ip_address,
        )
    return payment, url


def payment_expire(*, payment: Payment) -> Payment:
    """Mark an open payment past its time limit expired (the gateway no longer takes it)."""
    now = timezone.now()
    with transaction.atomic():
        if is_stale(payment, now):
            updated = Payment.objects.filter(pk=payment.pk, status__in=OPEN_STATUSES).update(
                status=PaymentStatus.EXPIRED, updated_at=now
            )
            if updated:
                audit_record(
                    actor=None,
                    action="payments.payment.expire",
                    obj=payment,
                    before={"status": payment.status},
                    after={"status": PaymentStatus.EXPIRED},
                )
        payment.refresh_from_db()
    return payment


def _verify(
    gateway: PaymentProvider, data: Mapping[str, Any], via: str, ip_address: str | None
) -> CallbackResult:
    try:
        return gateway.verify_return(data) if via == "return" else gateway.verify_callback(data)
    except PaymentSignatureInvalid:
        order = str(data.get("order_id", "") or "")[:32]
        target = Payment.objects.filter(order_id=order).first() if order else None
        logger.warning(
            "payment answer with a bad signature",
            extra={"provider": gateway.name, "order_id": order, "via": via, "ip": ip_address},
        )
        if target is not None:
            audit_record(
                actor=None,
                action="payments.payment.signature_invalid",
                obj=target,
                after={"via": via, "data": {k: str(v)[:200] for k, v in data.items()}},
                ip_address=ip_address,
            )
        raise


def payment_confirm(
    *,
    provider_name: str,
    data: Mapping[str, Any],
    via: str = "callback",
    ip_address: str | None = None,
) -> ConfirmOutcome:
    """Take the gateway's answer ``data`` (the callback, or the browser's ``return``)."""
    try:
        gateway = provider_get(provider_name)
    except KeyError:
        raise PaymentNotFound(_("Không có cổng thanh toán này.")) from None
    result = _verify(gateway, data, via, ip_address)
    now = timezone.now()
    # The order and its amount never change: checked (and a mismatch audited) before the
    # transaction that records the answer.
    payment = Payment.objects.filter(order_id=result.order_id, provider=gateway.name).first()
    if payment is None:
        logger.warning(
            "payment answer for an unknown order",
            extra={"provider": gateway.name, "order_id": result.order_id, "via": via},
        )
        raise PaymentInvalid(
            _("Không có giao dịch “%(order)s”.") % {"order": result.order_id[:40]},
            code="payments.order_unknown",
        )
    if result.amount != payment.amount:
        audit_record(
            actor=None,
            action="payments.payment.amount_mismatch",
            obj=payment,
            after={"via": via, "amount": result.amount, "expected": payment.amount},
            ip_address=ip_address,
        )
        raise PaymentInvalid(
            _("Số tiền cổng thanh toán báo (%(got)s đồng) khác số tiền của giao dịch.")
            % {"got": group_thousands(result.amount)},
            code="payments.amount_mismatch",
        )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if not result.success:
            status = PaymentStatus.CANCELLED if result.cancelled else PaymentStatus.FAILED
            updated = Payment.objects.filter(pk=payment.pk, status__in=OPEN_STATUSES).update(
                status=status, callback_data=dict(result.raw), updated_at=now
            )
            if updated:
                audit_record(
                    actor=None,
                    action=f"payments.payment.{status}",
                    obj=payment,
                    before={"status": payment.status},
                    after={"status": status, "via": via},
                    ip_address=ip_address,
                )
            payment.refresh_from_db()
            return ConfirmOutcome(payment, processed=bool(updated))
        try:
            with transaction.atomic():
                updated = (
                    Payment.objects.filter(pk=payment.pk)
                    .exclude(status=PaymentStatus.PAID)
                    .update(
                        status=PaymentStatus.PAID,
                        transaction_id=result.transaction_id[:100],
                        paid_at=now,
                        callback_data=dict(result.raw),
                        updated_at=now,
                    )
                )
        except IntegrityError:
            # Recorded (committed) as failed with the refund note, then refused below.
            _record_duplicate(payment, result, via, ip_address, now)
            duplicate = True
        else:
            duplicate = False
            if not updated:
                return ConfirmOutcome(payment, processed=False)
            before = payment.status
            payment.refresh_from_db()
            audit_record(
                actor=None,
                action="payments.payment.paid",
                obj=payment,
                before={"status": before},
                after={**_snapshot(payment), "via": via},
                ip_address=ip_address,
            )
            _handle(payment, now)
    if duplicate:
        raise PaymentConflict(
            _("Khoản này đã được thanh toán bằng một giao dịch khác; giao dịch này cần hoàn tiền."),
            code="payments.duplicate",
        )
    payment.refresh_from_db()
    return ConfirmOutcome(payment, processed=True)


def _record_duplicate(
    payment: Payment, result: CallbackResult, via: str, ip_address: str | None, now: dt.datetime
) -> None:
    """A second payment of an already paid reference succeeded at the gateway."""
    note = _("Đã có giao dịch khác thanh toán khoản này: cần hoàn tiền giao dịch %(tx)s.") % {
        "tx": result.transaction_id
    }
    Payment.objects.filter(pk=payment.pk).exclude(status=PaymentStatus.PAID).update(
        status=PaymentStatus.FAILED,
        transaction_id=result.transaction_id[:100],
        callback_data=dict(result.raw),
        handler_error=note,
        updated_at=now,
    )
    logger.error(
        "second payment of a paid reference: refund needed",
        extra={"order_id": payment.order_id, "reference": payment.reference},
    )
    audit_record(
        actor=None,
        action="payments.payment.duplicate",
        obj=payment,
        after={"via": via, "transaction_id": result.transaction_id, "note": note},
        ip_address=ip_address,
    )


def _handle(payment: Payment, now: dt.datetime) -> None:
    """Tell the purpose's handler (once); its failure is recorded, the payment stays paid."""
    handler = purpose_handler(payment.purpose)
    if handler is None:
        error = f"no handler registered for purpose {payment.purpose!r}"
    else:
        try:
            with transaction.atomic():
                handler(payment)
        except Exception as exc:  # the money is taken: record why it was not applied
            error = str(getattr(exc, "text", "") or exc) or exc.__class__.__name__
        else:
            Payment.objects.filter(pk=payment.pk).update(handled_at=now, handler_error="")
            return
    logger.error(
        "paid payment not applied by its purpose",
        extra={"order_id": payment.order_id, "purpose": payment.purpose, "error": error},
    )
    Payment.objects.filter(pk=payment.pk).update(handler_error=error[:2000])
    audit_record(
        actor=None,
        action="payments.payment.handler_failed",
        obj=payment,
        after={"error": error[:500]},
    )
