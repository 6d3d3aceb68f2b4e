"""Extension points of online services (registered from other modules' ``AppConfig.ready``).

* ``rating_listener_register(key, fn)``: ``fn(dossier_id)`` is called when the applicant
  rates a dossier, **inside the rating's transaction** (statistics keeps the satisfaction
  of its dossier fact there).  A listener must only do what cannot fail for ordinary data.

Registrations are keyed: a second one under the same key replaces the first.
"""

from __future__ import annotations

from collections.abc import Callable

RatingListener = Callable[[int], None]

_rating_listeners: dict[str, RatingListener] = {}


def rating_listener_register(key: str, fn: RatingListener) -> None:
    _rating_listeners[key] = fn


def rating_emit(dossier_id: int) -> None:
    for fn in list(_rating_listeners.values()):
        fn(dossier_id)
