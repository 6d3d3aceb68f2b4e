"""The public dossier lookup's selector, second factor and rate limit (the page is
``views/public.py``, the API ``eservices.api.lookup``): ``?ma=<code>&check=<4 digits>``.

The receipt's QR code opens ``?ma=<code>``: the page asks for the second factor, the last
4 digits of the applicant's phone number or of their ID number (số định danh cá nhân, or
the tax code of a business), with the code filled in.  Only then does it say where the
dossier is and when the result is due: status, procedure, dates (submitted, received,
due, returned) and the receiving office; nothing personal (no name, not even masked, no
ID number, phone, address or e-mail, no staff names, no reasons: they may name people;
the applicant has them on paper).  An unknown code, a malformed one and a wrong check get
the same "Không tìm thấy hồ sơ với mã và số kiểm tra này" page (404), so a guesser learns
nothing from the difference; the digits are compared in constant time.

Lookups are limited per client address (``EGOV_API_PUBLIC_RATE``, counted in the shared
cache like the public API, with the address the audit log uses: ``core.middleware.
client_ip``) so codes and digits cannot be walked through; the public API
``GET /api/v1/public/dossiers/{code}?check=`` (``eservices.api.lookup``) shares the
selector and the counter.  Only the master dossier of a liên thông is found: the citizen
holds one code.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle

from egov.core.middleware import client_ip
from egov.dossiers.codes import parse_code
from egov.dossiers.constants import (
    NATIONAL_STATUS,
    NationalStatus,
    ResultKind,
    ReturnMethod,
    Status,
)
from egov.dossiers.models import Dossier

#: Longest text taken from the query string (codes are at most 64 characters).
MAX_CODE_LENGTH = 64
#: How many digits the second factor has.
CHECK_DIGITS = 4
_CHECK_RE = re.compile(rf"^[0-9]{{{CHECK_DIGITS}}}$")

_PUBLIC_FIELDS = (
    "code",
    "procedure_code",
    "procedure_name",
    "status",
    "applicant_phone",
    "applicant_id_number",
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


@dataclass(frozen=True)
class PublicDossier:
    """Everything the public page shows (nothing else leaves the database)."""

    code: str
    procedure_code: str
    procedure_name: str
    submitted_at: datetime | None
    received_at: datetime | None
    #: The current due date (moved by pauses and the one re-appointment), once received.
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


def clean_code(raw: object) -> str:
    """The code as typed, without any blank (QR readers and copy-paste add some)."""
    return "".join(str(raw or "")[: MAX_CODE_LENGTH * 2].split())


def clean_check(raw: object) -> str | None:
    """The 4 digits of the second factor, or None when the text is not 4 digits (digits
    typed on a full-width keyboard count as digits)."""
    text = "".join(unicodedata.normalize("NFKC", str(raw or "")[:32]).split())
    return text if _CHECK_RE.match(text) else None


def _check_candidates(phone: str, id_number: str) -> list[str]:
    """The last 4 digits of the phone and of the ID number (a branch tax code
    ``0101234567-001`` also answers to its main part's ``4567``)."""
    candidates = []
    for value in (phone, id_number, id_number.split("-", 1)[0]):
        digits = "".join(ch for ch in value if ch.isascii() and ch.isdigit())
        if len(digits) >= CHECK_DIGITS:
            candidates.append(digits[-CHECK_DIGITS:])
    return candidates


def check_matches(check: str, *, phone: str, id_number: str) -> bool:
    """Whether ``check`` is the end of the phone or the ID number, compared in constant time
    (every candidate is compared, and a dossier without any still costs one comparison)."""
    # A dossier without phone or ID number compares with a value no check can equal.
    candidates = _check_candidates(phone, id_number) or ["-" * CHECK_DIGITS]
    found = False
    for candidate in candidates:
        found |= hmac.compare_digest(candidate.encode(), check.encode())
    return found and _CHECK_RE.match(check) is not None


def public_dossier_get(code: str, check: str) -> PublicDossier | None:
    """The public view of the master dossier ``code`` when ``check`` is the last 4 digits of
    its applicant's phone or ID number; None for an unknown or malformed code or a wrong
    check (the caller shows the same "not found" for all).  One query."""
    text = clean_code(code)
    digits = clean_check(check)
    if not text or len(text) > MAX_CODE_LENGTH or parse_code(text) is None or digits is None:
        check_matches("0000", phone="", id_number="")  # the same work as a wrong check
        return None
    row = Dossier.objects.filter(code=text, parent__isnull=True).values(*_PUBLIC_FIELDS).first()
    if row is None:
        check_matches(digits, phone="", id_number="")
        return None
    if not check_matches(
        digits, phone=str(row["applicant_phone"]), id_number=str(row["applicant_id_number"])
    ):
        return None
    status = str(row["status"])
    national = int(NATIONAL_STATUS[status])
    ready, result_text = _result(row)
    received = row["received_at"] if isinstance(row["received_at"], datetime) else None
    return PublicDossier(
        code=str(row["code"]),
        procedure_code=str(row["procedure_code"]),
        procedure_name=str(row["procedure_name"]),
        submitted_at=row["submitted_at"] if isinstance(row["submitted_at"], datetime) else None,
        received_at=received,
        due_at=(
            row["current_due_at"]
            if received is not None and isinstance(row["current_due_at"], datetime)
            else None
        ),
        reappointed=row["reappointed_at"] is not None,
        national_status=national,
        status_label=str(NationalStatus(national).label),
        whereabouts=_whereabouts(row),
        result_ready=ready,
        result_text=result_text,
        returned_at=row["returned_at"] if isinstance(row["returned_at"], datetime) else None,
        agency_name=str(row["receiving_agency__name"] or ""),
        agency_address=str(row["receiving_agency__address"] or ""),
        agency_phone=str(row["receiving_agency__phone"] or ""),
    )
