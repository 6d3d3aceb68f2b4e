"""A test URLconf: the real API plus a small API whose routes raise every kind of error."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import path
from ninja.errors import AuthorizationError, HttpError

from egov.api.errors import ApiError, install_error_handlers
from egov.api.router import EgovNinjaAPI, api

raising_api = EgovNinjaAPI(title="test", urls_namespace="api-test", auth=None, docs_url=None)
install_error_handlers(raising_api)


@raising_api.get("/api-error")
def api_error(request: HttpRequest) -> None:
    raise ApiError("dossiers.already_received", "Hồ sơ đã được tiếp nhận.", 409, {"code": "H1"})


@raising_api.get("/http404")
def http404(request: HttpRequest) -> None:
    raise Http404("No Dossier matches the given query.")


@raising_api.get("/does-not-exist")
def does_not_exist(request: HttpRequest) -> None:
    get_user_model().objects.get(username="__nobody__")


@raising_api.get("/permission-denied")
def permission_denied(request: HttpRequest) -> None:
    raise PermissionDenied


@raising_api.get("/permission-denied-message")
def permission_denied_message(request: HttpRequest) -> None:
    raise PermissionDenied("Bạn không có quyền thao tác trên dữ liệu của đơn vị “Xã A”.")


@raising_api.get("/authorization-error")
def authorization_error(request: HttpRequest) -> None:
    raise AuthorizationError()


@raising_api.get("/django-validation")
def django_validation(request: HttpRequest) -> None:
    raise ValidationError({"personal_id": ["Số định danh cá nhân phải gồm đúng 12 chữ số."]})


@raising_api.get("/http-error-409")
def http_error_409(request: HttpRequest) -> None:
    raise HttpError(409, "Đã có bản ghi trùng.")


@raising_api.get("/http-error-503")
def http_error_503(request: HttpRequest) -> None:
    raise HttpError(503, "database at 10.0.0.5 is down")


@raising_api.get("/crash")
def crash(request: HttpRequest) -> None:
    raise RuntimeError("secret internal detail: password=hunter2")


urlpatterns = [
    path("api/v1/", api.urls),
    path("api/test/", raising_api.urls),
]
