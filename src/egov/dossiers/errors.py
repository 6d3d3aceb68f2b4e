"""Errors of the one-stop shop, each with a stable code and a Vietnamese message.

* ``DossierNotFound`` (404): no such dossier, or one outside the actor's units (never say
  which: a guessed code learns nothing).
* ``DossierConflict`` (409): the action does not fit the dossier's present state (a
  forbidden transition, a step that moved on, a stale form, a second re-appointment).
* ``DossierPermissionDenied`` (403): inside the actor's units, but the actor's role does
  not allow this action.
* ``DossierInvalid`` (422): the input is wrong (a missing reason, an unknown procedure...).
  ``field`` names the input at fault when there is one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError


class ErrorCode(StrEnum):
    NOT_FOUND = "dossiers.not_found"
    TRANSITION_FORBIDDEN = "dossiers.transition_forbidden"
    NOT_YOUR_STEP = "dossiers.not_your_step"
    STALE = "dossiers.stale"
    ALREADY_REAPPOINTED = "dossiers.already_reappointed"
    OPINIONS_PENDING = "dossiers.opinions_pending"
    SUB_DOSSIERS_OPEN = "dossiers.sub_dossiers_open"
    NO_NEXT_STEP = "dossiers.no_next_step"
    NO_PREVIOUS_STEP = "dossiers.no_previous_step"
    ROLE_REQUIRED = "dossiers.role_required"
    NOT_A_DESK = "dossiers.not_a_desk"
    INVALID = "dossiers.invalid"
    REASON_REQUIRED = "dossiers.reason_required"
    PROCEDURE_UNKNOWN = "dossiers.procedure_unknown"
    CASE_UNKNOWN = "dossiers.case_unknown"
    CHANNEL_NOT_OFFERED = "dossiers.channel_not_offered"
    APPLICANT_INVALID = "dossiers.applicant_invalid"
    HANDLER_INVALID = "dossiers.handler_invalid"
    NO_HANDLER = "dossiers.no_handler"
    AGENCY_INVALID = "dossiers.agency_invalid"
    DATE_INVALID = "dossiers.date_invalid"
    SHARES_OVER_LIMIT = "dossiers.shares_over_limit"
    ATTACHMENT_INVALID = "dossiers.attachment_invalid"
    COMPONENT_INVALID = "dossiers.component_invalid"
    DEADLINE_INVALID = "dossiers.deadline_invalid"
    FORM_UNKNOWN = "dossiers.form_unknown"
    FORM_NOT_IN_BASIS = "dossiers.form_not_in_basis"
    FORM_NOT_APPLICABLE = "dossiers.form_not_applicable"
    FORMS_BASIS_INVALID = "dossiers.forms_basis_invalid"


class _Coded:
    error_code: ErrorCode
    text: str
    field: str | None

    def _init(self, code: ErrorCode, text: str, field: str | None) -> None:
        self.error_code = code
        self.text = text
        self.field = field


class DossierNotFound(_Coded, Exception):
    status = 404

    def __init__(self, text: str = "", *, code: ErrorCode = ErrorCode.NOT_FOUND) -> None:
        from django.utils.translation import gettext as _

        message = text or _("Không tìm thấy hồ sơ (hoặc hồ sơ không thuộc phạm vi của bạn).")
        super().__init__(message)
        self._init(code, message, None)


class DossierConflict(_Coded, Exception):
    status = 409

    def __init__(self, text: str, *, code: ErrorCode = ErrorCode.TRANSITION_FORBIDDEN) -> None:
        super().__init__(text)
        self._init(code, text, None)


class DossierPermissionDenied(_Coded, PermissionDenied):
    status = 403

    def __init__(self, text: str, *, code: ErrorCode = ErrorCode.ROLE_REQUIRED) -> None:
        super().__init__(text)
        self._init(code, text, None)


class DossierInvalid(_Coded, ValidationError):
    status = 422

    def __init__(
        self,
        text: str,
        *,
        code: ErrorCode = ErrorCode.INVALID,
        field: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(text, code=str(code), params=params)
        self._init(code, text, field)


#: Catch them all at once (``except DOSSIER_ERRORS as exc``: ``exc.status``, ``exc.text``).
DOSSIER_ERRORS = (DossierNotFound, DossierConflict, DossierPermissionDenied, DossierInvalid)
