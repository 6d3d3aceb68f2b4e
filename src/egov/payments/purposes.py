"""What a confirmed payment is for: one handler per purpose, registered at start-up.

The payments module knows nothing of dossiers: the module that sells something registers
a handler for its purpose from its ``AppConfig.ready``::

    purpose_register("dossier", lambda payment: dossier_pay_online(...))

The handler is called once per paid payment, inside the transaction that marks it paid
(in a savepoint: when it fails the payment stays paid, with the error recorded).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from egov.payments.models import Payment

PaymentHandler = Callable[["Payment"], None]

_handlers: dict[str, PaymentHandler] = {}


def purpose_register(purpose: str, handler: PaymentHandler) -> None:
    """Call ``handler(payment)`` for every paid payment of ``purpose`` (replaces any other)."""
    if not purpose or len(purpose) > 32:
        raise ValueError(f"purpose must be 1 to 32 characters, got {purpose!r}")
    _handlers[purpose] = handler


def purpose_unregister(purpose: str) -> None:
    _handlers.pop(purpose, None)


def purpose_handler(purpose: str) -> PaymentHandler | None:
    return _handlers.get(purpose)


def purpose_known(purpose: str) -> bool:
    return purpose in _handlers
