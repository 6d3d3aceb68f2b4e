"""The API's one error format and the exception handlers that produce it.

Every 4xx and 5xx answer under ``/api/v1/`` has the body::

    {"code": "not_found", "message": "Không tìm thấy ...", "details": null}

``code`` is a stable string (clients branch on it); ``message`` is for people, in
Vietnamese by default and in English when the request asks for it (``Accept-Language:
en``, through Django's LocaleMiddleware); ``details`` is code-specific (the list of field
errors for ``validation_error``, ``{"retry_after": seconds}`` for throttling) or null.

Later modules raise :class:`ApiError` (or Django's ``PermissionDenied``/``Http404``/
``ValidationError``, or ninja's ``HttpError``): all of them end up in this format.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import NinjaJSONEncoder

from egov.core.middleware import DATABASE_UNAVAILABLE_CODE, database_unavailable_response

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("egov.api")


class ErrorCode:
    """The stable error codes (documented in docs/api.md; never rename one)."""

    INVALID_CREDENTIALS = "auth.invalid_credentials"
    TOKEN_INVALID = "auth.token_invalid"  # noqa: S105 - an error code, not a secret
    LOCKED_OUT = "auth.locked_out"
    MFA_REQUIRED = "auth.mfa_required"
    MFA_INVALID = "auth.mfa_invalid"
    MFA_SETUP_REQUIRED = "auth.mfa_setup_required"
    THROTTLED = "auth.throttled"
    VALIDATION_ERROR = "validation_error"
    MALFORMED_JSON = "malformed_json"
    BAD_REQUEST = "bad_request"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    CONFLICT = "conflict"
    REQUEST_TOO_LARGE = "request_too_large"
    SERVER_ERROR = "server_error"
    HTTP_ERROR = "http_error"
    #: The database cannot be reached (restarting): 503 with Retry-After (egov.core.middleware).
    SERVICE_UNAVAILABLE = DATABASE_UNAVAILABLE_CODE


DEFAULT_MESSAGES: dict[str, Promise] = {
    ErrorCode.INVALID_CREDENTIALS: _("Tên đăng nhập hoặc mật khẩu không đúng."),
    ErrorCode.TOKEN_INVALID: _(
        "Mã truy cập (token) không hợp lệ, đã hết hạn hoặc đã bị thu hồi. Vui lòng lấy token mới."
    ),
    ErrorCode.LOCKED_OUT: _(
        "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau."
    ),
    ErrorCode.MFA_REQUIRED: _(
        "Tài khoản đã bật xác thực hai bước: hãy gửi kèm mã 6 chữ số (trường “otp”)."
    ),
    ErrorCode.MFA_INVALID: _("Mã xác thực hai bước không đúng hoặc đã được dùng."),
    ErrorCode.MFA_SETUP_REQUIRED: _(
        "Tài khoản cán bộ phải bật xác thực hai bước trước khi lấy token API."
    ),
    ErrorCode.THROTTLED: _("Bạn gửi quá nhiều yêu cầu. Vui lòng thử lại sau."),
    ErrorCode.VALIDATION_ERROR: _("Dữ liệu gửi lên không hợp lệ."),
    ErrorCode.MALFORMED_JSON: _("Nội dung yêu cầu không phải là JSON hợp lệ."),
    ErrorCode.BAD_REQUEST: _("Yêu cầu không hợp lệ."),
    ErrorCode.NOT_FOUND: _("Không tìm thấy tài nguyên được yêu cầu."),
    ErrorCode.PERMISSION_DENIED: _("Bạn không có quyền thực hiện thao tác này."),
    ErrorCode.METHOD_NOT_ALLOWED: _("Phương thức HTTP này không được hỗ trợ tại địa chỉ này."),
    ErrorCode.CONFLICT: _("Yêu cầu xung đột với trạng thái hiện tại của dữ liệu."),
    ErrorCode.REQUEST_TOO_LARGE: _("Dữ liệu gửi lên vượt quá dung lượng cho phép."),
    ErrorCode.SERVER_ERROR: _("Hệ thống gặp lỗi khi xử lý yêu cầu. Vui lòng thử lại sau."),
    ErrorCode.HTTP_ERROR: _("Không thể xử lý yêu cầu."),
}

# The code used for a bare ``HttpError(status, ...)`` raised without an ApiError.
_STATUS_CODES: dict[int, str] = {
    400: ErrorCode.BAD_REQUEST,
    401: ErrorCode.TOKEN_INVALID,
    403: ErrorCode.PERMISSION_DENIED,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    413: ErrorCode.REQUEST_TOO_LARGE,
    422: ErrorCode.VALIDATION_ERROR,
    429: ErrorCode.THROTTLED,
}

# Field-error messages for the pydantic error types integrators meet most.
_FIELD_MESSAGES: dict[str, Promise] = {
    "missing": _("Trường này là bắt buộc."),
    "string_type": _("Giá trị phải là chuỗi ký tự."),
    "string_too_short": _("Giá trị quá ngắn (tối thiểu %(min_length)s ký tự)."),
    "string_too_long": _("Giá trị quá dài (tối đa %(max_length)s ký tự)."),
    "string_pattern_mismatch": _("Giá trị không đúng định dạng."),
    "int_type": _("Giá trị phải là số nguyên."),
    "int_parsing": _("Giá trị phải là số nguyên."),
    "float_type": _("Giá trị phải là số."),
    "float_parsing": _("Giá trị phải là số."),
    "bool_type": _("Giá trị phải là true hoặc false."),
    "bool_parsing": _("Giá trị phải là true hoặc false."),
    "greater_than_equal": _("Giá trị phải lớn hơn hoặc bằng %(ge)s."),
    "less_than_equal": _("Giá trị phải nhỏ hơn hoặc bằng %(le)s."),
    "date_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
    "date_from_datetime_parsing": _("Ngày không hợp lệ (định dạng YYYY-MM-DD)."),
    "datetime_parsing": _("Thời điểm không hợp lệ (định dạng ISO 8601)."),
    "datetime_from_date_parsing": _("Thời điểm không hợp lệ (định dạng ISO 8601)."),
    "uuid_parsing": _("Mã UUID không hợp lệ."),
    "enum": _("Giá trị không nằm trong danh sách cho phép."),
    "literal_error": _("Giá trị không nằm trong danh sách cho phép."),
    "model_attributes_type": _("Giá trị phải là một đối tượng JSON."),
    "dict_type": _("Giá trị phải là một đối tượng JSON."),
    "list_type": _("Giá trị phải là một danh sách."),
    "extra_forbidden": _("Trường này không được phép."),
}


class ApiError(Exception):
    """An error with a stable ``code``, raised by API code and turned into the error body.

    ``message`` defaults to the code's standard message; pass a lazily translated string
    (``gettext_lazy``) so it is rendered in the request's language.
    """

    def __init__(
        self,
        code: str,
        message: str | Promise | None = None,
        status: int = 400,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.code = code
        self.message = message if message is not None else DEFAULT_MESSAGES.get(code, "")
        self.status = status
        self.details = details
        self.headers = dict(headers or {})
        super().__init__(code, str(self.message))


def error_body(
    code: str, message: str | Promise | None = None, details: Any = None
) -> dict[str, Any]:
    """The error body as a dict (``message`` rendered in the active language)."""
    text = message if message is not None else DEFAULT_MESSAGES.get(code, "")
    return {"code": code, "message": str(text), "details": details}


def _render(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False).encode("utf-8")


def error_response(
    code: str,
    status: int,
    message: str | Promise | None = None,
    details: Any = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A complete JSON error response, usable outside ninja (catch-all views, wrappers)."""
    response = HttpResponse(
        _render(error_body(code, message, details)),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="egov"'
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# --- Field errors -----------------------------------------------------------------------------


def _field_message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        # A custom validator's own message (modules write it in Vietnamese).
        raw = ctx.get("error")
        if raw:
            return str(raw)
        msg = str(error.get("msg", ""))
        return msg.removeprefix("Value error, ")
    template = _FIELD_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", "")) or str(DEFAULT_MESSAGES[ErrorCode.VALIDATION_ERROR])
    try:
        return str(template) % {k: v for k, v in ctx.items() if isinstance(v, str | int | float)}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def field_errors_from_ninja(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ninja's validation errors as ``[{"loc": [...], "type": ..., "message": ...}]``."""
    return [
        {
            "loc": list(error.get("loc", ())),
            "type": str(error.get("type", "")),
            "message": _field_message(error),
        }
        for error in errors
    ]


def field_errors_from_django(exc: DjangoValidationError) -> list[dict[str, Any]]:
    """A Django ``ValidationError`` (from a service or ``full_clean``) in the same shape."""
    if hasattr(exc, "error_dict"):
        return [
            {"loc": [field], "type": "invalid", "message": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"loc": [], "type": "invalid", "message": str(m)} for m in exc.messages]


# --- Handlers (installed on the NinjaAPI) -----------------------------------------------------


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.code, exc.status, exc.message, exc.details, exc.headers)


def _on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return error_response(
        ErrorCode.VALIDATION_ERROR, 422, details=field_errors_from_ninja(exc.errors)
    )


def _on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return error_response(ErrorCode.VALIDATION_ERROR, 422, details=field_errors_from_django(exc))


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait) if exc.wait is not None else None
    details = {"retry_after": wait} if wait is not None else None
    return error_response(ErrorCode.THROTTLED, 429, details=details)


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(ErrorCode.TOKEN_INVALID, 401)


def _on_authorization_error(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    custom = exc.message if exc.message not in ("", "Forbidden") else None
    return error_response(ErrorCode.PERMISSION_DENIED, 403, custom)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 400 and exc.__cause__ is not None:
        # ninja raises HttpError(400) "from" the parser's error for an unreadable body.
        return error_response(ErrorCode.MALFORMED_JSON, 400)
    code = _STATUS_CODES.get(
        status, ErrorCode.SERVER_ERROR if status >= 500 else ErrorCode.HTTP_ERROR
    )
    message = None if status >= 500 else (exc.message or None)
    return error_response(code, status, message)


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Django's own 404 texts name models ("No Dossier matches ..."): never shown.
    return error_response(ErrorCode.NOT_FOUND, 404)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    custom = str(exc) or None
    return error_response(ErrorCode.PERMISSION_DENIED, 403, custom)


def _on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return error_response(ErrorCode.REQUEST_TOO_LARGE, 413)
    return error_response(ErrorCode.BAD_REQUEST, 400)


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error(
        "Unhandled exception in API view %s %s",
        request.method,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return error_response(ErrorCode.SERVER_ERROR, 500)


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers so every error has the uniform body."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (Exception, _on_unexpected),
        (ApiError, _on_api_error),
        (NinjaValidationError, _on_validation_error),
        (DjangoValidationError, _on_django_validation_error),
        (HttpError, _on_http_error),
        (Throttled, _on_throttled),
        (AuthenticationError, _on_authentication_error),
        (AuthorizationError, _on_authorization_error),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (PermissionDenied, _on_permission_denied),
        (SuspiciousOperation, _on_suspicious),
        (OperationalError, database_unavailable_response),
        (InterfaceError, database_unavailable_response),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


# --- Views and wrappers for what ninja answers outside its handlers ---------------------------


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The catch-all under /api/v1/: a JSON 404 instead of Django's HTML page."""
    return error_response(ErrorCode.NOT_FOUND, 404)


def method_not_allowed_response(allowed: str) -> HttpResponse:
    return error_response(
        ErrorCode.METHOD_NOT_ALLOWED,
        405,
        details={"allowed_methods": [m.strip() for m in allowed.split(",") if m.strip()]},
        headers={"Allow": allowed},
    )
