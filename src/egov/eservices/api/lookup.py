"""``GET /api/v1/public/dossiers/{code}?check=<4 digits>``: the public lookup, as an API.

The same selector as the page ``/tra-cuu-ho-so/`` (``dossiers.facade.public_dossier_get``)
and the same counter per client address (``dossiers.facade.LookupThrottle``), so a guesser
gains nothing by switching between them.  No token.  ``check`` is the last 4 digits of the
applicant's phone number or ID number (tax code); a wrong one, an unknown code and a
malformed code all get the same 404 ``not_found``.  The answer carries no personal data:
the procedure, the national status and the dates only.
"""

from __future__ import annotations

import math
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from egov.api.errors import ApiError, ErrorCode
from egov.api.schemas import ErrorOut
from egov.dossiers import facade as dossiers

router = Router(tags=["Tra cứu hồ sơ (công khai)"], auth=None)

NOT_FOUND_MESSAGE = _("Không tìm thấy hồ sơ với mã và số kiểm tra này.")


class LookupQuery(Schema):
    check: str = Field(
        ...,
        max_length=32,
        description="4 chữ số cuối của số điện thoại hoặc số định danh cá nhân (mã số thuế) "
        "của người đứng tên hồ sơ.",
        examples=["3456"],
        # Documents the canonical form; clean_check also takes spaces and full-width digits.
        json_schema_extra={"pattern": "^[0-9]{4}$"},
    )


# The answers are plain pydantic models, built field by field below: ninja's ORM attribute
# reader (``Schema``) is not needed and cost a tenth of a lookup.
class PublicStatusOut(BaseModel):
    code: int = Field(..., description="Mã trạng thái hồ sơ trên Cổng DVCQG (1–10).")
    label: str


class PublicDossierOut(BaseModel):
    code: str
    procedure_code: str
    procedure_name: str
    status: PublicStatusOut
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None = Field(
        ..., description="Hạn trả hiện tại (sau tạm dừng, hẹn lại); có khi đã tiếp nhận."
    )
    returned_at: datetime | None


def _throttle(request: HttpRequest, code: str) -> int | None:
    """Count the client's lookup; the code's wrong checks so far (same round trip)."""
    throttle = dossiers.LookupThrottle()
    allowed, failures = throttle.allow_lookup(request, code)
    if not allowed:
        wait = throttle.wait()
        seconds = max(1, math.ceil(wait)) if wait is not None else None
        raise ApiError(
            ErrorCode.THROTTLED,
            status=429,
            details={"retry_after": seconds} if seconds else None,
            headers={"Retry-After": str(seconds)} if seconds else None,
        )
    return failures


@router.get(
    "/{code}",
    response={200: PublicDossierOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Tra cứu hồ sơ bằng mã hồ sơ và 4 chữ số kiểm tra",
    description=(
        "Không cần token. `check`: 4 chữ số cuối của số điện thoại hoặc số định danh cá "
        "nhân (mã số thuế) của người đứng tên hồ sơ. Sai mã, sai số kiểm tra: cùng một lỗi "
        "404 `not_found`. Giới hạn số lần tra cứu theo địa chỉ máy khách (chung với trang "
        "/tra-cuu-ho-so/): 429 `auth.throttled`."
    ),
    url_name="public_dossier_lookup",
)
def public_dossier_lookup(
    request: HttpRequest, code: str, params: Query[LookupQuery], response: HttpResponse
) -> PublicDossierOut:
    response["Cache-Control"] = "no-store"
    failures = _throttle(request, code)
    if dossiers.clean_check(params.check) is None:
        message = _(
            "Số kiểm tra phải gồm đúng 4 chữ số: 4 chữ số cuối của số điện thoại hoặc số định "
            "danh cá nhân (mã số thuế) của người đứng tên hồ sơ."
        )
        raise ApiError(
            ErrorCode.VALIDATION_ERROR,
            message,
            status=422,
            details=[{"loc": ["query", "check"], "type": "check_digits", "message": message}],
        )
    found = dossiers.public_dossier_get(code, params.check, failures_so_far=failures)
    if found is None:
        raise ApiError(ErrorCode.NOT_FOUND, NOT_FOUND_MESSAGE, status=404)
    return PublicDossierOut(
        code=found.code,
        procedure_code=found.procedure_code,
        procedure_name=found.procedure_name,
        status=PublicStatusOut(code=found.national_status, label=found.status_label),
        submitted_at=timezone.localtime(found.submitted_at) if found.submitted_at else None,
        received_at=timezone.localtime(found.received_at) if found.received_at else None,
        due_at=timezone.localtime(found.due_at) if found.due_at else None,
        returned_at=timezone.localtime(found.returned_at) if found.returned_at else None,
    )
