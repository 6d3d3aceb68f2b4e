"""The glue between online payments and dossiers: purpose ``"dossier"``.

``payments`` is a plugin that knows nothing of dossiers; this module tells it what a
paid payment of purpose ``dossier`` means: the dossier's unpaid fees are paid
(``dossier_pay_online``: receipt number = the payment's order id, a dossier waiting for
its financial obligation resumes, a timeline line).  Registered once from
``EservicesConfig.ready`` (``register()``).
"""

from __future__ import annotations

from typing import Any

from egov.dossiers.facade import dossier_pay_online
from egov.payments.facade import Payment, provider_get, purpose_register

PURPOSE = "dossier"


def _provider_label(name: str) -> str:
    try:
        return str(provider_get(name).label or name)
    except KeyError:
        return name


def on_dossier_paid(payment: Payment) -> None:
    """A payment of purpose ``dossier`` was confirmed by its gateway (called once)."""
    dossier_pay_online(
        code=payment.reference,
        amount=payment.amount,
        reference=payment.order_id,
        provider=_provider_label(payment.provider),
    )


def register(*_args: Any) -> None:
    purpose_register(PURPOSE, on_dossier_paid)
