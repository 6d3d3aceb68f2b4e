"""The REST API root: ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/v1/docs``).

A module exposes its endpoints as a ninja ``Router`` in ``<module>/api.py`` and is mounted
here with one line, e.g. ``api.add_router("/dossiers/", dossiers_router)``.  Every route
requires a bearer token unless it says ``auth=None``; every error has the body described
in ``egov.api.errors``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.urls import URLPattern, URLResolver, path, reverse
from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from egov.api.auth import ApiTokenBearer
from egov.api.endpoints.attachments import router as attachments_router
from egov.api.endpoints.auth import router as auth_router
from egov.api.endpoints.me import router as me_router
from egov.api.errors import install_error_handlers, method_not_allowed_response, not_found_view
from egov.procedures.api import router as procedures_router

DESCRIPTION = """\
API của hệ thống **Chính quyền số** dành cho các ứng dụng và hệ thống liên thông.

**Xác thực**: gọi `POST /api/v1/auth/token` với tên đăng nhập và mật khẩu để lấy token,
sau đó gửi kèm mỗi yêu cầu tiêu đề `Authorization: Bearer <token>`. Token có thời hạn và
có thể thu hồi.

**Lỗi**: mọi lỗi trả về JSON dạng `{"code": "...", "message": "...", "details": ...}`;
`code` là mã ổn định để chương trình xử lý, `message` bằng tiếng Việt (tiếng Anh khi gửi
`Accept-Language: en`).

**Chuỗi ký tự** không được chứa ký tự NUL (U+0000): yêu cầu có ký tự này bị từ chối với mã
`validation_error` (422).
"""


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Vietnamese letters as they are (UTF-8), not ``\\u`` escapes."""

    json_dumps_params = {"ensure_ascii": False}


def _json_405(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """ninja answers a wrong method with a plain-text 405: give it the uniform body."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return method_not_allowed_response(response.get("Allow", ""))
        return response

    return wrapper


def api_index(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """``GET /api/v1/``: where the documentation is (instead of ninja's bare 404)."""
    if request.method not in ("GET", "HEAD"):
        return method_not_allowed_response("GET, HEAD")
    return JsonResponse(
        {
            "name": api.title,
            "version": api.version,
            "openapi": reverse(f"{api.urls_namespace}:openapi-json"),
            "docs": reverse(f"{api.urls_namespace}:openapi-view"),
        },
        json_dumps_params={"ensure_ascii": False},
    )


_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_ALWAYS_POSSIBLE = {
    # Any operation behind the bearer token can answer 401 (no, unknown, expired token).
    "401": ("security", "Unauthorized"),
    # Any operation that reads parameters or a body can answer 422 (validation_error).
    "422": ("parameters", "Unprocessable Content"),
}


def declare_framework_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers every route can give to operations that do not declare them.

    Found by the schemathesis run (tests/security/test_openapi_fuzz.py): routes forgot the
    401 of the global token auth or ninja's 422, so the document promised less than the API
    answered.  Declared here once, with the uniform ``ErrorOut`` body.
    """
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, (trigger, description) in _ALWAYS_POSSIBLE.items():
                applies = bool(operation.get(trigger))
                if status == "422":
                    applies = applies or "requestBody" in operation
                declared = {str(code) for code in responses}
                if applies and status not in declared:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    }
    return schema


class EgovNinjaAPI(NinjaAPI):
    """A NinjaAPI whose every URL answers in JSON, known or not."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return declare_framework_errors(schema)

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        result: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    callback: Callable[..., Any] = api_index
                else:
                    callback = _json_405(pattern.callback)
                pattern = URLPattern(pattern.pattern, callback, pattern.default_args, pattern.name)
                # The API authenticates by token; a site-wide LoginRequiredMiddleware must not
                # redirect integrators to the HTML login page.
                pattern.callback.login_required = False  # type: ignore[attr-defined]
                pattern.callback.csrf_exempt = True  # type: ignore[attr-defined]
            result.append(pattern)
        catch_all = path("<path:unmatched>", not_found_view, name="not-found")
        catch_all.callback.login_required = False  # type: ignore[attr-defined]
        catch_all.callback.csrf_exempt = True  # type: ignore[attr-defined]
        result.append(catch_all)
        return result, app_name, namespace


api = EgovNinjaAPI(
    title="Chính quyền số API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    auth=ApiTokenBearer(),
    renderer=UnicodeJSONRenderer(),
)
install_error_handlers(api)

# The public lookup first: URL patterns are tried in order, and it is the busiest route.
api.add_router("/public/dossiers", "egov.eservices.api.lookup.router")
api.add_router("/auth/", auth_router)
api.add_router("/me", me_router)
api.add_router("/attachments", attachments_router)
api.add_router("/procedures", procedures_router)
api.add_router("/dossiers", "egov.dossiers.api.router")
api.add_router("/notifications", "egov.notifications.api.router")
# Online public services: the citizen's drafts and dossiers, the public lookup.
api.add_router("/me/drafts", "egov.eservices.api.drafts.router")
api.add_router("/me/dossiers", "egov.eservices.api.mine.router")
api.add_router("/me/businesses", "egov.eservices.api.businesses.router")
api.add_router("/payments", "egov.payments.api.router")
api.add_router("/bookings", "egov.bookings.api.router")
api.add_router("/dvcqg", "egov.dvcqg.api.router")
api.add_router("/statistics", "egov.statistics.api.router")
