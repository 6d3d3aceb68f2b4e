"""The channel interface and registry."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar

from egov.notifications.contracts import Recipient
from egov.notifications.providers.base import SendResult

if TYPE_CHECKING:
    import datetime as dt

    from egov.notifications.models import Message

CHANNELS: dict[str, type[ChannelBase]] = {}
_BUILTIN = (
    "egov.notifications.channels.sms",
    "egov.notifications.channels.email",
    "egov.notifications.channels.inapp",
)


@dataclass(frozen=True)
class Prepared:
    """What is stored on the message: the final subject and body, with SMS encoding facts."""

    subject: str
    body: str
    encoding: str = ""
    segments: int = 0


class AttemptRecorder(Protocol):
    def __call__(
        self,
        *,
        provider: str,
        started_at: dt.datetime,
        outcome: str,
        error: str = "",
        detail: str = "",
        duration: float = 0.0,
    ) -> None: ...


class ChannelBase(ABC):
    key: ClassVar[str]
    #: Delivered at once when created (no task, no provider): the in-app bell.
    immediate: ClassVar[bool] = False

    @abstractmethod
    def address_for(self, recipient: Recipient) -> str | None:
        """The normalised address of ``recipient`` on this channel, or ``None``."""

    def prepare(self, subject: str, body: str) -> Prepared:
        return Prepared(subject=subject.strip(), body=body.strip())

    @abstractmethod
    def send(self, message: Message, record: AttemptRecorder) -> SendResult:
        """Hand ``message`` over; call ``record`` once per provider tried; raise ``SendError``."""


C = TypeVar("C", bound=type[ChannelBase])


def channel(cls: C) -> C:
    """Class decorator: register a channel under its ``key``."""
    CHANNELS[cls.key] = cls
    return cls


def channel_get(key: str) -> ChannelBase:
    if key not in CHANNELS:
        for module in _BUILTIN:
            importlib.import_module(module)
    return CHANNELS[key]()
