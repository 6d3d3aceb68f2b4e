"""Errors of the online submission wizard and the drafts API (stable codes, Vietnamese text).

Views re-render the step with the message and the status; the API answers
``{"code", "message", "details"}`` with the same status.
"""

from __future__ import annotations

from typing import Any


class ErrorCode:
    NOT_FOUND = "draft.not_found"
    CONFLICT = "draft.conflict"
    INVALID = "draft.invalid"
    DOCUMENTS_MISSING = "draft.documents_missing"
    NOT_ONLINE = "draft.procedure_not_online"
    NO_DESK = "draft.no_receiving_desk"
    SUBMITTED = "draft.already_submitted"
    UPLOAD_REFUSED = "draft.upload_refused"
    SUBMIT_REFUSED = "draft.submit_refused"
    FRONT_DOOR = "draft.national_front_door"
    IDEMPOTENCY_KEY_REUSED = "draft.idempotency_key_reused"
    MULTIPART_REQUIRED = "draft.multipart_required"


class DraftError(Exception):
    """A refused request about a draft: ``code``, ``message``, ``status``, field ``errors``."""

    status = 400
    code = ErrorCode.INVALID

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        errors: dict[str, str] | None = None,
        details: Any = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self.errors = dict(errors or {})
        self.details = details if details is not None else (self.errors or None)


class DraftNotFound(DraftError):
    """Unknown, deleted, or someone else's draft: they all look the same (404)."""

    status = 404
    code = ErrorCode.NOT_FOUND


class DraftConflict(DraftError):
    """The draft was saved elsewhere since this screen was loaded (409)."""

    status = 409
    code = ErrorCode.CONFLICT


class DraftInvalid(DraftError):
    status = 400
    code = ErrorCode.INVALID


class DraftSubmitted(DraftError):
    """The draft became a dossier; it is no longer edited (409)."""

    status = 409
    code = ErrorCode.SUBMITTED
