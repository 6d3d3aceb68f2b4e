"""Frozen data that other modules pass to and get from ``facade`` (DESIGN.md §5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class TemplateText:
    """A default template: ``subject`` is used by e-mail and the in-app title only."""

    body: str
    subject: str = ""


@dataclass(frozen=True)
class EventSpec:
    """An event that can be announced, declared once by the module that owns it.

    ``placeholders`` names what ``context`` carries (name → description shown to admins),
    ``sample`` fills them for the template preview, ``defaults`` maps ``(channel,
    language)`` to the built-in text (admins may override each pair).  ``mandatory``
    messages (security codes) ignore opt-outs; ``sensitive`` ones have their body hidden
    in the delivery log once they are finished and cannot be resent.
    """

    key: str
    label: str | Promise
    audience: str
    channels: tuple[str, ...]
    placeholders: Mapping[str, str | Promise]
    sample: Mapping[str, str]
    defaults: Mapping[tuple[str, str], TemplateText]
    description: str | Promise = ""
    mandatory: bool = False
    sensitive: bool = False


@dataclass(frozen=True)
class Recipient:
    """Who receives a message, with the addresses the caller knows.

    ``channels`` limits the channels for this recipient (the citizen's choice on the
    dossier); ``None`` means the event's channels.  ``user_id`` is needed for in-app
    notifications and links the log line to the account.
    """

    name: str = ""
    phone: str = ""
    email: str = ""
    user_id: int | None = None
    channels: frozenset[str] | None = None
    language: str = "vi"


@dataclass(frozen=True)
class DigestLine:
    """One number in a leader's digest: "Hồ sơ quá hạn: 3" with the link to the list."""

    label: str
    count: int
    url: str = ""


#: A digest section: given a user, the lines that concern them (empty when none).
DigestSection = Callable[[Any], list[DigestLine]]


@dataclass(frozen=True)
class Related:
    """The record a message is about, for filtering the log ("dossier", code)."""

    kind: str
    ref: str


@dataclass(frozen=True)
class NotifyResult:
    queued: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    existing: list[int] = field(default_factory=list)
