"""Extension points of the national portal connector.

* ``sync_listener_register(key, fn)``: ``fn(dossier_id)`` is called when a push of the
  dossier to the national portal succeeded, **inside the transaction that marks its
  outbox item done** (statistics keeps the "synced" flag of QĐ 766 indicator 1.4 there).

Registrations are keyed: a second one under the same key replaces the first.
"""

from __future__ import annotations

from collections.abc import Callable

SyncListener = Callable[[int], None]

_sync_listeners: dict[str, SyncListener] = {}


def sync_listener_register(key: str, fn: SyncListener) -> None:
    _sync_listeners[key] = fn


def synced_emit(dossier_id: int) -> None:
    for fn in list(_sync_listeners.values()):
        fn(dossier_id)
