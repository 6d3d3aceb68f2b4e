"""What can be announced and to whom: events and leader-digest sections, declared by modules.

Modules declare their events once at start-up (``AppConfig.ready``) through
``facade.event_register``; the admin screens list them, ``notify`` refuses an event that
was never declared.  The registries hold declarations only (code, not data), so every node
builds the same ones: nothing here is shared state.
"""

from __future__ import annotations

from egov.notifications.contracts import DigestSection, EventSpec

_EVENTS: dict[str, EventSpec] = {}
_DIGEST_SECTIONS: dict[str, DigestSection] = {}


def event_register(spec: EventSpec) -> EventSpec:
    existing = _EVENTS.get(spec.key)
    if existing is not None and existing != spec:
        raise ValueError(f"notification event {spec.key!r} is declared twice")
    _EVENTS[spec.key] = spec
    return spec


def event_get(key: str) -> EventSpec | None:
    return _EVENTS.get(key)


def events() -> list[EventSpec]:
    return sorted(_EVENTS.values(), key=lambda e: e.key)


def digest_section_register(key: str, section: DigestSection) -> None:
    _DIGEST_SECTIONS[key] = section


def digest_sections() -> list[tuple[str, DigestSection]]:
    return sorted(_DIGEST_SECTIONS.items())
