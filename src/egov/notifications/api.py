"""``/api/v1/notifications``: the delivery-receipt webhook of the SMS gateways.

``POST /notifications/delivery-reports`` takes one receipt (a JSON object or a form) or a
batch (a JSON list of objects).  The gateway is not a user, so the route has no API token
(``auth=None``); it proves itself with the shared secret ``EGOV_SMS_WEBHOOK_SECRET``:

* ``X-Egov-Signature: sha256=<hex HMAC-SHA256 of the raw body with the secret>``, or
* ``Authorization: Bearer <the secret>``.

Both are compared in constant time.  With no secret configured every receipt is refused
with 503 (the gateway keeps them and retries once the secret is set).

Each receipt names the message by our reference (a ``ref`` field holding the message
UUID, which the HTTP provider sends as ``{ref}``) or by the gateway's message id at
``EGOV_SMS_WEBHOOK_ID_FIELD`` (a dotted path; a UUID there is tried as our reference
first).  The state at ``EGOV_SMS_WEBHOOK_STATUS_FIELD`` is looked up, case-insensitively,
in ``EGOV_SMS_WEBHOOK_DELIVERED`` and ``EGOV_SMS_WEBHOOK_FAILED``.  Each receipt goes
through ``services.delivery_report_apply`` (idempotent: a replayed receipt changes
nothing).

Answers: 200 with counts; 400 unreadable body; 401 missing or wrong signature/token;
404 (single receipt) unknown message; 413 body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``;
422 a receipt without an id or with an unknown state (the whole request is refused
before anything is applied); 503 webhook not configured.  In a batch an unknown message
does not refuse the others: it is counted in ``not_found`` and listed in ``unknown_ids``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from ninja import Field, Router, Schema

from egov.api.errors import ApiError
from egov.api.errors import ErrorCode as ApiErrorCode
from egov.api.schemas import ErrorOut
from egov.notifications import services
from egov.notifications.errors import ErrorCode, NotFound
from egov.notifications.providers.http import MISSING, json_path, scalar_text

router = Router(tags=["Thông báo"])

#: Most receipts accepted in one request.
MAX_REPORTS = 1000
#: Most unknown ids echoed back in the answer.
MAX_UNKNOWN_LISTED = 100
SIGNATURE_HEADER = "X-Egov-Signature"
#: Fields where gateways put the reason of a failed delivery (kept in the message's error).
REASON_FIELDS = ("error", "reason", "error_message", "description")


class DeliveryReportsOut(Schema):
    received: int = Field(..., description="Số báo cáo nhận được trong yêu cầu.")
    delivered: int = Field(..., description="Số báo cáo “đã đến người nhận” đã ghi nhận.")
    failed: int = Field(..., description="Số báo cáo “không chuyển được” đã ghi nhận.")
    not_found: int = Field(..., description="Số báo cáo không khớp tin nhắn nào.")
    unknown_ids: list[str] = Field(..., description="Mã tin nhắn không tìm thấy (tối đa 100).")


@dataclass(frozen=True)
class _Receipt:
    label: str  # the id as the gateway wrote it (for unknown_ids)
    candidates: tuple[services.DeliveryReport, ...]


# --- Authentication --------------------------------------------------------------------------
def _authenticate(request: HttpRequest, body: bytes) -> None:
    secret = settings.EGOV_SMS_WEBHOOK_SECRET
    if not secret:
        raise ApiError(
            ErrorCode.REPORT_REFUSED,
            gettext_lazy(
                "Chưa cấu hình khóa bí mật nhận báo cáo chuyển tin (EGOV_SMS_WEBHOOK_SECRET); "
                "hệ thống chưa nhận báo cáo."
            ),
            status=503,
        )
    key = secret.encode("utf-8")
    signature = request.headers.get(SIGNATURE_HEADER, "").strip()
    if signature:
        algorithm, _sep, given = signature.partition("=")
        expected = hmac.new(key, body, hashlib.sha256).hexdigest()
        if algorithm.strip().lower() == "sha256" and hmac.compare_digest(
            expected.encode("ascii"), given.strip().lower().encode("utf-8", "replace")
        ):
            return
    scheme, _sep, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(
        key, token.strip().encode("utf-8", "replace")
    ):
        return
    raise ApiError(
        ErrorCode.REPORT_REFUSED,
        gettext_lazy(
            "Báo cáo chuyển tin không có chữ ký hợp lệ (tiêu đề X-Egov-Signature) "
            "hoặc mã bí mật đúng (tiêu đề Authorization)."
        ),
        status=401,
    )


# --- Parsing ---------------------------------------------------------------------------------
def _bad_request(message: str) -> ApiError:
    return ApiError(ApiErrorCode.BAD_REQUEST, message, status=400)


def _items(request: HttpRequest, body: bytes) -> tuple[list[dict[str, Any]], bool]:
    """The receipts in the body, and whether the body was a batch (a list)."""
    content_type = request.content_type or ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad_request(gettext("Nội dung báo cáo không phải văn bản UTF-8.")) from None
    if content_type == "application/x-www-form-urlencoded":
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if not fields:
            raise _bad_request(gettext("Báo cáo chuyển tin không có trường nào."))
        return [fields], False
    try:
        data = json.loads(text)
    except ValueError:
        raise ApiError(ApiErrorCode.MALFORMED_JSON, status=400) from None
    if isinstance(data, dict):
        return [data], False
    if isinstance(data, list):
        if len(data) > MAX_REPORTS:
            raise _bad_request(
                gettext("Mỗi yêu cầu chỉ được gửi tối đa %(n)s báo cáo.") % {"n": MAX_REPORTS}
            )
        if not all(isinstance(item, dict) for item in data):
            raise _bad_request(gettext("Mỗi báo cáo trong danh sách phải là một đối tượng JSON."))
        return data, True
    raise _bad_request(
        gettext("Nội dung phải là một báo cáo (đối tượng JSON) hoặc danh sách báo cáo.")
    )


def _field(item: dict[str, Any], path: str) -> str | None:
    """The text at a dotted ``path`` (or a key spelled with the dots, as forms do)."""
    value = item.get(path, MISSING)
    if value is MISSING:
        value = json_path(item, tuple(part.strip() for part in path.split(".")))
    if value is MISSING or value is None or isinstance(value, dict | list):
        return None
    return scalar_text(value) or None


def _is_uuid(value: str | None) -> bool:
    if not value:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _receipts(items: list[dict[str, Any]], batch: bool) -> list[_Receipt]:
    """Read every receipt; refuse the whole request (422) if one is not understood."""
    id_path = settings.EGOV_SMS_WEBHOOK_ID_FIELD
    status_path = settings.EGOV_SMS_WEBHOOK_STATUS_FIELD
    delivered = {value.casefold() for value in settings.EGOV_SMS_WEBHOOK_DELIVERED}
    failed = {value.casefold() for value in settings.EGOV_SMS_WEBHOOK_FAILED}
    errors: list[dict[str, Any]] = []
    receipts: list[_Receipt] = []
    for index, item in enumerate(items):
        where: list[Any] = [index] if batch else []
        ref = _field(item, "ref")
        provider_id = _field(item, id_path)
        status = _field(item, status_path)
        if not _is_uuid(ref) and not provider_id:
            errors.append(
                {
                    "loc": [*where, id_path],
                    "type": "missing",
                    "message": gettext("Thiếu mã tin nhắn (trường “%(f)s”).") % {"f": id_path},
                }
            )
        if status is None:
            errors.append(
                {
                    "loc": [*where, status_path],
                    "type": "missing",
                    "message": gettext("Thiếu trạng thái (trường “%(f)s”).") % {"f": status_path},
                }
            )
            continue
        if status.casefold() in delivered:
            state, error = "delivered", ""
        elif status.casefold() in failed:
            state = "failed"
            reason = next(filter(None, (_field(item, key) for key in REASON_FIELDS)), "")
            error = gettext("Nhà mạng báo không chuyển được tin nhắn (trạng thái %(s)s).") % {
                "s": status
            }
            if reason:
                error = f"{error} {reason}"
        else:
            errors.append(
                {
                    "loc": [*where, status_path],
                    "type": "enum",
                    "message": gettext(
                        "Trạng thái “%(s)s” không có trong danh sách đã cấu hình "
                        "(EGOV_SMS_WEBHOOK_DELIVERED, EGOV_SMS_WEBHOOK_FAILED)."
                    )
                    % {"s": status[:100]},
                }
            )
            continue
        candidates: list[services.DeliveryReport] = []
        if ref and _is_uuid(ref):
            candidates.append(services.DeliveryReport(state=state, ref=ref, error=error))
        if provider_id:
            if _is_uuid(provider_id) and provider_id != ref:
                candidates.append(
                    services.DeliveryReport(state=state, ref=provider_id, error=error)
                )
            candidates.append(
                services.DeliveryReport(state=state, provider_message_id=provider_id, error=error)
            )
        receipts.append(_Receipt(label=provider_id or ref or "", candidates=tuple(candidates)))
    if errors:
        raise ApiError(ApiErrorCode.VALIDATION_ERROR, status=422, details=errors)
    return receipts


# --- The endpoint ----------------------------------------------------------------------------
@router.post(
    "/delivery-reports",
    auth=None,
    response={
        200: DeliveryReportsOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
        503: ErrorOut,
    },
    summary="Nhận báo cáo chuyển tin (delivery receipt) từ cổng SMS",
    description=(
        "Dành cho cổng SMS, không dùng token API: ký nội dung bằng HMAC-SHA256 với khóa "
        "bí mật chung (tiêu đề `X-Egov-Signature: sha256=<hex>`) hoặc gửi khóa làm "
        "`Authorization: Bearer <khóa>`. Nhận một báo cáo (JSON hoặc form) hoặc danh sách "
        "báo cáo (JSON). Xem docs/operations/sms-gateways.md."
    ),
)
@router.post("/delivery-reports/", auth=None, include_in_schema=False)
def delivery_reports(request: HttpRequest) -> DeliveryReportsOut:
    body = request.body  # raises RequestDataTooBig (→ 413) past DATA_UPLOAD_MAX_MEMORY_SIZE
    _authenticate(request, body)
    items, batch = _items(request, body)
    receipts = _receipts(items, batch)
    counts = {"delivered": 0, "failed": 0}
    unknown: list[str] = []
    for receipt in receipts:
        for candidate in receipt.candidates:
            try:
                services.delivery_report_apply(candidate)
            except NotFound:
                continue
            counts[candidate.state] += 1
            break
        else:
            if not batch:
                error = NotFound()
                raise ApiError(error.code, error.message, status=404)
            unknown.append(receipt.label[:128])
    return DeliveryReportsOut(
        received=len(receipts),
        delivered=counts["delivered"],
        failed=counts["failed"],
        not_found=len(unknown),
        unknown_ids=unknown[:MAX_UNKNOWN_LISTED],
    )
