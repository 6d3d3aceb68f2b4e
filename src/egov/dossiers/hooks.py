"""Extension points other modules plug into (from their ``AppConfig.ready``).

``dossiers`` imports no module above it; modules that build on it (online services, the
national portal connector) register functions here instead:

* ``event_listener_register(fn)``: ``fn(event)`` is called for every timeline line
  (``DossierEvent``) **inside the transaction of the action**, after the line and its
  notifications are written.  A listener that writes rows (an outbox) commits or rolls
  back with the action; an exception it raises aborts the action, so a listener must
  only do what cannot fail for ordinary data (insert a row).
* ``applicant_groups_register(fn)``: ``fn(user)`` returns the applicant groups the user
  speaks for (e.g. ``["business:12"]``, the businesses they are a member of).  A dossier
  whose ``applicant_group`` is one of them is the user's own, like one they submitted.

Registrations are keyed, so a second registration under the same key replaces the first
(tests and reloads stay idempotent).  Nothing here is state that differs between
processes: every process registers the same functions at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from egov.dossiers.models import DossierEvent

EventListener = Callable[["DossierEvent"], None]
GroupResolver = Callable[[Any], list[str]]

_listeners: dict[str, EventListener] = {}
_group_resolvers: dict[str, GroupResolver] = {}


def event_listener_register(key: str, fn: EventListener) -> None:
    _listeners[key] = fn


def event_listener_unregister(key: str) -> None:
    _listeners.pop(key, None)


def applicant_groups_register(key: str, fn: GroupResolver) -> None:
    _group_resolvers[key] = fn


def emit(event: DossierEvent) -> None:
    """Call every listener with ``event`` (inside the caller's transaction)."""
    for fn in list(_listeners.values()):
        fn(event)


def applicant_groups(user: Any) -> list[str]:
    """Every applicant group ``user`` belongs to (empty for staff and anonymous users)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    groups: list[str] = []
    for fn in _group_resolvers.values():
        groups.extend(g for g in fn(user) if g)
    return groups
