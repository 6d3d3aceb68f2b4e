"""A port for the foundation modules: send an SMS or an e-mail without knowing who delivers it.

``accounts`` may import only ``core`` (DESIGN.md §5) yet has to send verification codes
and allauth's e-mails.
The notifications module registers the delivery function at start-up (``AppConfig.ready``),
so the codes go through the same queue, providers, retries and delivery log as every
other message (dependency inversion instead of an import).  Without a registered sender
nothing is sent and an error is logged, never the text (it may hold a code).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Literal

logger = logging.getLogger(__name__)

#: "code": a one-time security code (hidden from the log once sent); "notice": plain text.
SmsPurpose = Literal["code", "notice"]
SmsSender = Callable[[str, str, SmsPurpose], None]
#: ``(to, subject, text)``: an account e-mail (verification, password reset), never skipped.
EmailSender = Callable[[str, str, str], None]

_senders: list[SmsSender] = []
_email_senders: list[EmailSender] = []


def sms_sender_register(sender: SmsSender) -> None:
    """Install the function that delivers ``(phone, text, purpose)`` (one per process)."""
    _senders[:] = [sender]


def sms_send(*, phone: str, text: str, purpose: SmsPurpose) -> bool:
    """Hand an SMS to the registered sender; ``False`` when none is installed."""
    if not _senders:
        logger.error("SMS to %s not sent: no SMS sender is installed", phone)
        return False
    _senders[0](phone, text, purpose)
    return True


def email_sender_register(sender: EmailSender) -> None:
    _email_senders[:] = [sender]


def email_send(*, to: str, subject: str, text: str) -> bool:
    """Hand an account e-mail to the registered sender; ``False`` when none is installed."""
    if not _email_senders:
        logger.error("e-mail to %s not sent: no e-mail sender is installed", to)
        return False
    _email_senders[0](to, subject, text)
    return True
