"""Refusals of "Hồ sơ của tôi" (a Vietnamese message and the HTTP status)."""

from __future__ import annotations


class MyDossierError(Exception):
    status = 400

    def __init__(self, text: str, *, code: str = "", details: dict[str, object] | None = None):
        self.text = text
        self.code = code
        self.details = details
        super().__init__(text)


class MyDossierConflict(MyDossierError):
    """Not now (already rated, nothing to pay, not asked to supplement): 409."""

    status = 409
