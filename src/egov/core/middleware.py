"""Request helpers shared by every module."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.template import loader
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import defaults


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only behind a known number of proxies."""
    proxies: int = settings.EGOV_TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    addr = request.META.get("REMOTE_ADDR")
    return str(addr) if addr else None


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Vietnamese unless the person chose English.

    Web pages ignore the browser's ``Accept-Language``: many office computers run an English
    browser, and the site must still open in Vietnamese.  The language switcher's cookie
    (Django's ``set_language``) and, in the staff console, the user's saved preference
    decide.  The API (``/api/``) keeps honouring ``Accept-Language``, as integrators expect.
    """

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else ""
        except LookupError:
            language = ""
        translation.activate(language or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


# --- The database is down: a clean 503, not a stack trace -------------------------------------

#: Seconds a client is asked to wait before trying again while the database is unreachable.
DATABASE_RETRY_AFTER = 10
#: The API's error code for it (the envelope of ``egov.api.errors``, built here because core
#: sits below the API layer).
DATABASE_UNAVAILABLE_CODE = "service_unavailable"

database_logger = logging.getLogger("egov.core.database")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """The connection failed or was lost (server restarting, network): not a bug of ours.
    ``ProgrammingError``, ``IntegrityError`` and the like stay 500s."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_unavailable_response(request: HttpRequest, exc: BaseException) -> HttpResponse:
    """503 with ``Retry-After``: the API's JSON error body under ``/api/``, otherwise a
    Vietnamese page rendered without the database (``503.html``, like ``500.html``).
    Django reconnects by itself on a later request (``CONN_HEALTH_CHECKS``)."""
    database_logger.warning(
        "database unavailable during %s %s: %s: %s",
        request.method,
        request.path,
        type(exc).__name__,
        str(exc).strip().splitlines()[0][:200] if str(exc).strip() else "",
    )
    if request.path_info.startswith("/api/"):
        body = {
            "code": DATABASE_UNAVAILABLE_CODE,
            "message": _(
                "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít giây."
            ),
            "details": {"retry_after": DATABASE_RETRY_AFTER},
        }
        response: HttpResponse = HttpResponse(
            json.dumps(body, ensure_ascii=False).encode("utf-8"),
            status=503,
            content_type="application/json; charset=utf-8",
        )
    else:
        try:
            page = loader.get_template("503.html").render({"retry_after": DATABASE_RETRY_AFTER})
        except Exception:  # a broken template must not turn the 503 into a 500
            database_logger.exception("503.html could not be rendered")
            page = "<h1>{}</h1><p>{}</p>".format(
                _("Hệ thống tạm thời gián đoạn"), _("Vui lòng thử lại sau ít phút.")
            )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    patch_cache_control(response, no_cache=True, no_store=True, must_revalidate=True)
    return response


class DatabaseUnavailableMiddleware:
    """Turn ``OperationalError``/``InterfaceError`` raised by a view into a 503.

    Errors raised by other middleware (the session or the user loaded before the view) are
    handled by ``server_error`` (``handler500``) with the same response; the API's own
    handler (``egov.api.errors``) calls ``database_unavailable_response`` too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return database_unavailable_response(request, exception)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: a 503 when the exception in flight is a lost database, else Django's
    own 500 page."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        assert exc is not None
        return database_unavailable_response(request, exc)
    return defaults.server_error(request, template_name)
