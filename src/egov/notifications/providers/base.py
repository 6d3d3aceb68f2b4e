"""The SMS provider interface and its registry."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

from django.conf import settings

_KINDS: dict[str, type[SmsProvider]] = {}

#: Modules that define the built-in providers (imported on first use).
_BUILTIN = (
    "egov.notifications.providers.console",
    "egov.notifications.providers.http",
    "egov.notifications.providers.smpp",
)

PRIMARY = "primary"
FALLBACK = "fallback"


@dataclass(frozen=True)
class OutgoingSms:
    """What a provider needs: our reference (the message UUID), the E.164 phone, the text."""

    ref: str
    phone: str
    text: str
    encoding: str
    segments: int


@dataclass(frozen=True)
class SendResult:
    provider: str
    provider_message_id: str = ""
    detail: str = ""


class SmsProvider(ABC):
    kind: ClassVar[str]

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name = name
        self.options = options

    @classmethod
    @abstractmethod
    def from_settings(cls, slot: str) -> SmsProvider:
        """The provider configured for ``slot`` (``PRIMARY`` or ``FALLBACK``)."""

    @abstractmethod
    def send(self, sms: OutgoingSms) -> SendResult:
        """Hand the message over, or raise ``SendError``."""

    def configuration_errors(self) -> list[str]:
        """What is missing from the settings (checked at start-up); empty when usable."""
        return []

    @staticmethod
    def slot_name(kind: str, slot: str) -> str:
        return kind if slot == PRIMARY else f"{kind}-fallback"


P = TypeVar("P", bound=type[SmsProvider])


def sms_provider(cls: P) -> P:
    """Class decorator: register an SMS provider under its ``kind``."""
    _KINDS[cls.kind] = cls
    return cls


def _load_builtin() -> None:
    for module in _BUILTIN:
        importlib.import_module(module)


def provider_kinds() -> list[str]:
    _load_builtin()
    return sorted(_KINDS)


def provider_class(kind: str) -> type[SmsProvider] | None:
    _load_builtin()
    return _KINDS.get(kind)


def sms_providers() -> list[SmsProvider]:
    """The configured providers in failover order (primary, then fallback if set)."""
    providers: list[SmsProvider] = []
    for slot, kind in (
        (PRIMARY, settings.EGOV_SMS_BACKEND),
        (FALLBACK, settings.EGOV_SMS_FALLBACK_BACKEND),
    ):
        if not kind:
            continue
        cls = provider_class(kind)
        if cls is None:
            raise LookupError(f"unknown SMS provider kind {kind!r}")
        providers.append(cls.from_settings(slot))
    return providers
