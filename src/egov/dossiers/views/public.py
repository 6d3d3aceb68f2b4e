"""The public dossier lookup: ``/tra-cuu-ho-so/?ma=<code>`` (the receipt's QR code opens it).

Anyone may look a dossier up by its code; the page says where the dossier is and when the
result is due, and nothing personal: the applicant's name is masked ("Nguyễn V. A."),
no ID number, phone, address or e-mail, no staff names, no reasons (they may name people;
the applicant has them on paper).  An unknown code and a malformed one get the same
"Không tìm thấy hồ sơ" page (404), so a guesser learns nothing from the difference.

Lookups are limited per client address (``EGOV_API_PUBLIC_RATE``, counted in the shared
cache like the public API, with the address the audit log uses: ``core.middleware.
client_ip``) so the codes cannot be walked through.  Only the master dossier of a liên
thông is found: the citizen holds one code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from ninja.throttling import SimpleRateThrottle

from egov.core.middleware import client_ip
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import ResultKind, ReturnMethod, Status
from egov.dossiers.models import Dossier

#: Longest text taken from the query string (codes are at most 64 characters).
MAX_CODE_LENGTH = 64

_PUBLIC_FIELDS = (
    "code",
    "procedure_code",
    "procedure_name",
    "status",
    "channel",
    "applicant_name",
    "submitted_at",
    "received_at",
    "due_at",
    "current_due_at",
    "reappointed_at",
    "current_step_name",
    "resolved_at",
    "returned_at",
    "result_kind",
    "return_method",
    "receiving_agency__name",
    "receiving_agency__address",
    "receiving_agency__phone",
    "competent_agency__name",
)


class LookupThrottle(SimpleRateThrottle):
    """``settings.EGOV_API_PUBLIC_RATE`` lookups per client address, in the shared cache.

    One instance per request (the throttle keeps per-request state on itself), with its
    own counter (``dossier_lookup``) beside the public API's.
    """

    scope = "dossier_lookup"

    def __init__(self) -> None:
        super().__init__(rate=str(settings.EGOV_API_PUBLIC_RATE))

    def get_cache_key(self, request: HttpRequest) -> str | None:
        ident = client_ip(request) or "unknown"
        return str(self.cache_format % {"scope": self.scope, "ident": ident})


def mask_name(name: str) -> str:
    """The first word in full, the others as initials: "Nguyễn Văn An" → "Nguyễn V. A."."""
    words = [w for w in (name or "").split() if any(ch.isalnum() for ch in w)]
    if not words:
        return ""

    def initial(word: str) -> str:
        first = next(ch for ch in word if ch.isalnum())
        return f"{first.upper()}."

    if len(words) == 1:
        return initial(words[0])
    return " ".join([words[0], *(initial(w) for w in words[1:])])


@dataclass(frozen=True)
class PublicDossier:
    """Everything the public page shows (nothing else leaves the database)."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant: str
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    reappointed: bool
    national_status: int
    status_label: str
    whereabouts: str
    result_ready: bool
    result_text: str
    returned_at: datetime | None
    agency_name: str
    agency_address: str
    agency_phone: str


def _whereabouts(row: dict[str, object]) -> str:
    """Where the dossier is, in plain Vietnamese, without naming anyone."""
    status = row["status"]
    desk = str(row["receiving_agency__name"])
    competent = str(row["competent_agency__name"])
    step = str(row["current_step_name"] or "")
    if status == Status.SUBMITTED:
        return _("Hồ sơ đã nộp trực tuyến, đang chờ %(desk)s kiểm tra và tiếp nhận.") % {
            "desk": desk
        }
    if status == Status.INTAKE_INCOMPLETE:
        return _(
            "Hồ sơ chưa được tiếp nhận: cần bổ sung, hoàn thiện theo phiếu hướng dẫn đã gửi "
            "ông/bà. Vui lòng liên hệ %(desk)s."
        ) % {"desk": desk}
    if status == Status.REFUSED:
        return _("Hồ sơ không được tiếp nhận; lý do ghi trong phiếu từ chối đã gửi ông/bà.")
    if status in (Status.RECEIVED, Status.IN_PROGRESS):
        if step:
            return _("Đang giải quyết tại %(agency)s, bước: %(step)s.") % {
                "agency": competent,
                "step": step,
            }
        return _("Đang giải quyết tại %(agency)s.") % {"agency": competent}
    if status == Status.AWAITING_SUPPLEMENT:
        return _(
            "Đang chờ ông/bà bổ sung hồ sơ theo yêu cầu đã gửi; thời gian chờ bổ sung không "
            "tính vào thời hạn giải quyết."
        )
    if status == Status.AWAITING_PAYMENT:
        return _("Đang chờ ông/bà thực hiện nghĩa vụ tài chính (nộp thuế, phí, lệ phí).")
    if status == Status.WITHDRAWAL_REQUESTED:
        return _("Đang xem xét yêu cầu rút hồ sơ của ông/bà.")
    if status == Status.STOPPED:
        return _("Đã dừng giải quyết hồ sơ.")
    if status == Status.RESOLVED:
        if row["return_method"] == ReturnMethod.POSTAL:
            return _("Đã có kết quả; kết quả được gửi cho ông/bà qua dịch vụ bưu chính công ích.")
        if row["return_method"] == ReturnMethod.ONLINE:
            return _("Đã có kết quả; kết quả điện tử được trả qua tài khoản dịch vụ công.")
        return _("Đã có kết quả; mời ông/bà đến nhận tại %(desk)s.") % {"desk": desk}
    return _("Đã trả kết quả cho ông/bà.")


def _result(row: dict[str, object]) -> tuple[bool, str]:
    status = row["status"]
    if status == Status.RESOLVED:
        if row["result_kind"] == ResultKind.REFUSED:
            return True, _("Đã có văn bản trả lời (không giải quyết), chờ trả cho ông/bà.")
        return True, _("Đã có kết quả, chờ trả cho ông/bà.")
    if status == Status.RETURNED:
        return True, _("Đã trả kết quả.")
    if status in (Status.REFUSED, Status.STOPPED):
        return False, _("Không có kết quả (hồ sơ không được giải quyết tiếp).")
    return False, _("Chưa có kết quả.")


def public_dossier_get(code: str) -> PublicDossier | None:
    """The public view of the master dossier ``code``; None for an unknown or malformed one."""
    text = "".join((code or "").split())
    if not text or len(text) > MAX_CODE_LENGTH or parse_code(text) is None:
        return None
    row = Dossier.objects.filter(code=text, parent__isnull=True).values(*_PUBLIC_FIELDS).first()
    if row is None:
        return None
    dossier = Dossier(status=row["status"])
    ready, result_text = _result(row)
    received = row["received_at"] if isinstance(row["received_at"], datetime) else None
    return PublicDossier(
        code=str(row["code"]),
        procedure_code=str(row["procedure_code"]),
        procedure_name=str(row["procedure_name"]),
        applicant=mask_name(str(row["applicant_name"])),
        submitted_at=row["submitted_at"] if isinstance(row["submitted_at"], datetime) else None,
        received_at=received,
        due_at=(
            row["current_due_at"]
            if received is not None and isinstance(row["current_due_at"], datetime)
            else None
        ),
        reappointed=row["reappointed_at"] is not None,
        national_status=dossier.national_status,
        status_label=dossier.get_national_status_display(),
        whereabouts=_whereabouts(row),
        result_ready=ready,
        result_text=result_text,
        returned_at=row["returned_at"] if isinstance(row["returned_at"], datetime) else None,
        agency_name=str(row["receiving_agency__name"] or ""),
        agency_address=str(row["receiving_agency__address"] or ""),
        agency_phone=str(row["receiving_agency__phone"] or ""),
    )


def _secure(response: HttpResponse) -> HttpResponse:
    # Status changes during the day and the page is about one person's dossier.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def dossier_lookup(request: HttpRequest) -> HttpResponse:
    """``GET /tra-cuu-ho-so/?ma=<code>``: the form, the dossier, or "not found" (404)."""
    raw = str(request.GET.get("ma", ""))[: MAX_CODE_LENGTH * 2]
    code = "".join(raw.split())
    if not code:
        return _secure(TemplateResponse(request, "dossiers/public/lookup.html", {"code": ""}))
    throttle = LookupThrottle()
    if not throttle.allow_request(request):
        response = TemplateResponse(request, "429.html", {}, status=429)
        wait = throttle.wait()
        if wait is not None:
            response["Retry-After"] = str(max(1, math.ceil(wait)))
        return _secure(response)
    dossier = public_dossier_get(code)
    if dossier is None:
        return _secure(
            TemplateResponse(
                request,
                "dossiers/public/not_found.html",
                {"code": code[:MAX_CODE_LENGTH]},
                status=404,
            )
        )
    return _secure(
        TemplateResponse(request, "dossiers/public/lookup.html", {"code": code, "dossier": dossier})
    )


public_urlpatterns: list[URLPattern] = [
    path("", dossier_lookup, name="dossier_lookup"),
]
