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

Wrong checks are also counted **per code** (``EGOV_LOOKUP_CODE_FAILURES``, "10/hour"), for
codes that exist and codes that do not alike: once a code has had that many wrong checks in
its window, every lookup of it answers "not found", the right digits included, until the
window ends.  Many addresses together can no longer walk the 10,000 checks of one code
(2 of them are right: phone and ID number), and the answer never says that a code is
locked.  The not-found page tells a citizen who mistyped to try again later or ask the desk.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.translation import gettext as _

from egov.core.ratelimit import (
    AddressRateLimit,
    parse_rate,
    rate_count,
    rate_hit,
    rate_hit_and_count,
)
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
#: The shared-cache scope of the wrong checks counted per code.
FAILURE_SCOPE = "dossier_lookup_failures"
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


class LookupThrottle(AddressRateLimit):
    """``settings.EGOV_API_PUBLIC_RATE`` lookups per client address, in the shared cache
    (``core.ratelimit``), with its own counter (``dossier_lookup``) beside the public API's:
    the page and the API count together."""

    def __init__(self) -> None:
        super().__init__("dossier_lookup", "EGOV_API_PUBLIC_RATE")

    def allow_lookup(self, request: HttpRequest, code: str) -> tuple[bool, int | None]:
        """``allow_request``, and how many wrong checks ``code`` has had in its window, read
        in the same round trip (None when the code is malformed: nothing to read)."""
        text = clean_code(code)
        if not text or len(text) > MAX_CODE_LENGTH or parse_code(text) is None:
            return self.allow_request(request), None
        wait, failures = rate_hit_and_count(
            self.scope, str(self.get_ident(request)), self.rate, FAILURE_SCOPE, text
        )
        self._local.wait = wait
        return wait == 0.0, failures


@dataclass(frozen=True)
class PublicDossier:
    """Everything the public page shows (nothing else leaves the database).  The texts
    (status, whereabouts, result) are worked out when shown: the API needs only the
    status."""

    code: str
    procedure_code: str
    procedure_name: str
    submitted_at: datetime | None
    received_at: datetime | None
    #: The current due date (moved by pauses and the one re-appointment), once received.
    due_at: datetime | None
    reappointed: bool
    national_status: int
    status: str
    return_method: str
    result_kind: str
    current_step_name: str
    returned_at: datetime | None
    agency_name: str
    agency_address: str
    agency_phone: str
    competent_agency_name: str

    @property
    def status_label(self) -> str:
        return str(NationalStatus(self.national_status).label)

    @property
    def whereabouts(self) -> str:
        return _whereabouts(self)

    @property
    def result_ready(self) -> bool:
        return _result(self)[0]

    @property
    def result_text(self) -> str:
        return _result(self)[1]


def _whereabouts(row: PublicDossier) -> str:
    """Where the dossier is, in plain Vietnamese, without naming anyone."""
    status = row.status
    desk = row.agency_name
    competent = row.competent_agency_name
    step = row.current_step_name
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
        if row.return_method == ReturnMethod.POSTAL:
            return _("Đã có kết quả; kết quả được gửi cho ông/bà qua dịch vụ bưu chính công ích.")
        if row.return_method == ReturnMethod.ONLINE:
            return _("Đã có kết quả; kết quả điện tử được trả qua tài khoản dịch vụ công.")
        return _("Đã có kết quả; mời ông/bà đến nhận tại %(desk)s.") % {"desk": desk}
    return _("Đã trả kết quả cho ông/bà.")


def _result(row: PublicDossier) -> tuple[bool, str]:
    status = row.status
    if status == Status.RESOLVED:
        if row.result_kind == ResultKind.REFUSED:
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


_statements: dict[str, str] = {}
_CODE_SENTINEL = "\x00code\x00"


def _public_row_sql() -> str:
    """The one SQL statement of the lookup, built by the ORM once per database vendor and
    process (the lookup is on the hot path of the public API: building the query each time
    cost more than running it).  Its only parameter is the code."""
    sql = _statements.get(connection.vendor)
    if sql is None:
        # The code is unique: no ordering (the model's default would add a sort).
        query = (
            Dossier.objects.filter(code=_CODE_SENTINEL, parent__isnull=True)
            .order_by()
            .values(*_PUBLIC_FIELDS)[:1]
        )
        sql, params = query.query.sql_with_params()
        if tuple(params) != (_CODE_SENTINEL,):  # pragma: no cover - a changed query
            raise RuntimeError(f"unexpected parameters of the lookup query: {params!r}")
        _statements[connection.vendor] = sql
    return sql


def _aware(value: object) -> datetime | None:
    """A timestamp column as an aware datetime (SQLite's cursor gives naive UTC)."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def public_dossier_row(code: str) -> dict[str, object] | None:
    """The public columns of the master dossier ``code`` (one query), or None."""
    with connection.cursor() as cursor:
        cursor.execute(_public_row_sql(), [code])
        found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip(_PUBLIC_FIELDS, found, strict=True))


def public_dossier_get(
    code: str, check: str, *, failures_so_far: int | None = None
) -> PublicDossier | None:
    """The public view of the master dossier ``code`` when ``check`` is the last 4 digits of
    its applicant's phone or ID number; None for an unknown or malformed code or a wrong
    check (the caller shows the same "not found" for all).  One query.
    ``failures_so_far``: the code's wrong checks when the caller has read them already
    (``LookupThrottle.allow_lookup``)."""
    text = clean_code(code)
    digits = clean_check(check)
    if not text or len(text) > MAX_CODE_LENGTH or parse_code(text) is None or digits is None:
        check_matches("0000", phone="", id_number="")  # the same work as a wrong check
        return None
    failures = parse_rate(settings.EGOV_LOOKUP_CODE_FAILURES)
    if failures_so_far is None:
        failures_so_far = rate_count(FAILURE_SCOPE, text)
    if failures_so_far >= failures.limit:
        check_matches(digits, phone="", id_number="")  # locked: the same work, the same answer
        return None
    row = public_dossier_row(text)
    if row is None:
        check_matches(digits, phone="", id_number="")
        rate_hit(FAILURE_SCOPE, text, failures)
        return None
    if not check_matches(
        digits,
        phone=str(row["applicant_phone"] or ""),
        id_number=str(row["applicant_id_number"] or ""),
    ):
        rate_hit(FAILURE_SCOPE, text, failures)
        return None
    status = str(row["status"])
    national = int(NATIONAL_STATUS[status])
    received = _aware(row["received_at"])
    return PublicDossier(
        code=str(row["code"]),
        procedure_code=str(row["procedure_code"]),
        procedure_name=str(row["procedure_name"]),
        submitted_at=_aware(row["submitted_at"]),
        received_at=received,
        due_at=_aware(row["current_due_at"]) if received is not None else None,
        reappointed=row["reappointed_at"] is not None,
        national_status=national,
        status=status,
        return_method=str(row["return_method"] or ""),
        result_kind=str(row["result_kind"] or ""),
        current_step_name=str(row["current_step_name"] or ""),
        returned_at=_aware(row["returned_at"]),
        agency_name=str(row["receiving_agency__name"] or ""),
        agency_address=str(row["receiving_agency__address"] or ""),
        agency_phone=str(row["receiving_agency__phone"] or ""),
        competent_agency_name=str(row["competent_agency__name"] or ""),
    )
