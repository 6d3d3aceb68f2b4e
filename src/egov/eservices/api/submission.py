"""``POST /api/v1/me/dossiers``: submit an online dossier in one request (weak connections).

``multipart/form-data`` with a part ``data`` (JSON: ``procedure_code``,
``receiving_agency_id``, optional ``case_id``, ``applicant``, ``form``, ``return_method``,
``return_address``, ``notify_sms``, ``notify_email``, optional ``business_id``) and one
file part per file, named ``document:<key>`` with the document keys of the drafts API
(``GET /api/v1/me/drafts/options/{procedure_code}``: a document's ``id``, or ``other``).
Everything is checked as the wizard checks it and saved in one transaction: a refusal
saves nothing (422 for the data, 400/413/415 for a file, with the drafts API's codes and
messages).  201 with the body of ``POST /me/drafts/{uuid}/submit``; with an
``Idempotency-Key`` header, a retry gets the same dossier (200), a different request under
a used key 409 (``wizard/oneshot.py``).  Mounted on the router of ``mine.py`` (same path).
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from pydantic import AliasChoices, BaseModel, Field
from pydantic import ValidationError as PydanticValidationError

from egov.api.errors import ApiError, field_errors_from_ninja
from egov.api.errors import ErrorCode as ApiErrorCode
from egov.api.schemas import ErrorOut
from egov.core.attachments.errors import AttachmentError
from egov.core.attachments.errors import ErrorCode as AttachmentErrorCode
from egov.core.middleware import client_ip
from egov.eservices.api.drafts import SubmitOut, submit_out
from egov.eservices.wizard.errors import DraftError, ErrorCode
from egov.eservices.wizard.oneshot import OneShot, dossier_submit_at_once

#: File parts are named ``document:<key>``.
FILE_PREFIX = "document:"

RESPONSES: dict[int, Any] = {
    200: SubmitOut,
    201: SubmitOut,
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
}

OPENAPI_EXTRA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["data"],
                    "properties": {
                        "data": {
                            "type": "string",
                            "description": "JSON: procedure_code, receiving_agency_id, case_id, "
                            "applicant, form, return_method, return_address, notify_sms, "
                            "notify_email, business_id",
                        },
                        "document:<key>": {
                            "type": "string",
                            "format": "binary",
                            "description": "một tệp của giấy tờ <key> (lặp lại cho mỗi tệp)",
                        },
                    },
                }
            }
        },
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 64},
            "description": "gửi lại với cùng khóa: cùng hồ sơ, không tạo hồ sơ thứ hai",
        }
    ],
}


class ApplicantAtOnceIn(BaseModel):
    """The applicant step's fields (those of ``PATCH /me/drafts/{uuid}``).  Not the drafts
    API's ``DraftApplicantIn``: a ninja ``Schema`` reads any object leniently (``"abc"`` would
    pass as an empty applicant), a plain pydantic model refuses a wrong shape."""

    full_name: str = ""
    id_number: str = ""
    birth_date: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


class SubmitAtOnceIn(BaseModel):
    """The ``data`` part (plain pydantic: a wrong shape is refused, not read leniently)."""

    procedure_code: str = Field(max_length=16)
    receiving_agency_id: int | None = None
    case_id: int | None = None
    business_id: int | None = Field(None, validation_alias=AliasChoices("business_id", "business"))
    applicant: ApplicantAtOnceIn = Field(default_factory=ApplicantAtOnceIn)
    form: dict[str, Any] | None = None
    return_method: str = ""
    return_address: str = ""
    notify_sms: bool = True
    #: Default: yes when the applicant gives an e-mail address.
    notify_email: bool | None = None


def _refuse(code: str, message: str, status: int, details: Any = None) -> NoReturn:
    raise ApiError(code, message, status=status, details=details)


def _data(request: HttpRequest) -> tuple[OneShot, list[tuple[str, Any]]]:
    if request.content_type != "multipart/form-data":
        _refuse(
            ErrorCode.MULTIPART_REQUIRED,
            _(
                "Hãy gửi hồ sơ dạng multipart/form-data: phần “data” (JSON) và mỗi tệp trong "
                "một phần “document:<mã giấy tờ>”."
            ),
            415,
        )
    text = request.POST.get("data")
    try:
        raw = json.loads(text) if text else None
    except ValueError:
        raw = None
    if not isinstance(raw, dict):
        _refuse(
            ApiErrorCode.VALIDATION_ERROR,
            _("Phần “data” phải là một đối tượng JSON (thủ tục, nơi tiếp nhận, người nộp…)."),
            422,
            [{"loc": ["data"], "type": "json_invalid", "message": _("Không đọc được JSON.")}],
        )
    try:
        payload = SubmitAtOnceIn.model_validate(raw)
    except PydanticValidationError as exc:
        errors = [{**e, "loc": ("data", *e.get("loc", ()))} for e in exc.errors()]
        _refuse(
            ApiErrorCode.VALIDATION_ERROR,
            _("Dữ liệu gửi lên không hợp lệ."),
            422,
            field_errors_from_ninja(errors),
        )
    files: list[tuple[str, Any]] = []
    for name, uploaded in request.FILES.lists():
        if not name.startswith(FILE_PREFIX) or not name[len(FILE_PREFIX) :]:
            _refuse(
                ErrorCode.INVALID,
                _(
                    "Phần tệp “%(name)s” không đúng: mỗi tệp gửi trong một phần tên "
                    "“document:<mã giấy tờ>”."
                )
                % {"name": name},
                422,
                {name: _("Tên phần phải có dạng document:<mã giấy tờ>.")},
            )
        files += [(name[len(FILE_PREFIX) :], f) for f in uploaded]
    applicant = payload.applicant.model_dump()
    notify_email = payload.notify_email
    request_data = OneShot(
        procedure_code=payload.procedure_code,
        receiving_agency_id=payload.receiving_agency_id,
        case_id=payload.case_id,
        business_id=payload.business_id,
        applicant=applicant,
        form=payload.form,
        return_method=payload.return_method,
        return_address=payload.return_address,
        notify_sms=payload.notify_sms,
        notify_email=bool(applicant.get("email")) if notify_email is None else notify_email,
        raw=raw,
    )
    return request_data, files


def submit_at_once(request: HttpRequest) -> Status[SubmitOut]:
    """Nộp hồ sơ trực tuyến trong một yêu cầu: người nộp, tờ khai và tệp cùng lúc."""
    data, files = _data(request)
    try:
        dossier, created = dossier_submit_at_once(
            actor=request.user,
            request=data,
            files=files,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
            ip_address=client_ip(request),
        )
    except DraftError as exc:
        # Every refusal of the data is 422 here (the drafts API says 400/404 for the same).
        status = 422 if exc.status in (400, 404) else exc.status
        _refuse(exc.code, exc.message, status, exc.details)
    except AttachmentError as exc:
        status = {
            AttachmentErrorCode.TOO_LARGE: 413,
            AttachmentErrorCode.TYPE_NOT_ALLOWED: 415,
            AttachmentErrorCode.EXTENSION_MISMATCH: 415,
        }.get(exc.error_code, 400)
        _refuse(str(exc.error_code), exc.text, status)
    return Status(201 if created else 200, submit_out(dossier, created=created))
