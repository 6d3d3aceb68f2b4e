"""Views that belong to no domain module."""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import DisallowedHost
from django.db import connections
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe
from django.views.i18n import set_language as django_set_language

logger = logging.getLogger("egov.healthz")

BROKER_TIMEOUT_SECONDS = 2.5
"""The whole broker check (connect + handshake) never takes longer than this."""


def _database_ok() -> tuple[bool, str]:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("healthz: database check failed: %s", type(exc).__name__)
        return False, "error"
    return True, "ok"


def _connect_broker(url: str, timeout: float) -> None:
    from kombu import Connection  # type: ignore[attr-defined]

    # One attempt (max_retries=0: kombu's retry would sleep 2 s first), socket timeouts for
    # a broker that accepts the connection and then hangs.
    options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    connection = Connection(  # type: ignore[no-untyped-call]
        url, connect_timeout=timeout, transport_options=options
    )
    with connection as conn:
        conn.ensure_connection(max_retries=0, timeout=timeout)


def _broker_ok() -> tuple[bool, str]:
    url: str = settings.CELERY_BROKER_URL
    if not url:
        return True, "eager"
    # The check runs in a worker thread with a hard deadline: a broker (or DNS) that never
    # answers must not hold the load balancer's probe.  The thread is not waited for.
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")
    future = executor.submit(_connect_broker, url, BROKER_TIMEOUT_SECONDS - 0.5)
    try:
        future.result(timeout=BROKER_TIMEOUT_SECONDS)
    except concurrent.futures.TimeoutError:
        logger.warning("healthz: broker check timed out")
        return False, "timeout"
    except Exception as exc:
        logger.warning("healthz: broker check failed: %s", type(exc).__name__)
        return False, "error"
    finally:
        executor.shutdown(wait=False)
    return True, "ok"


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """``{"status", "database", "broker"}``: 200 when everything answers, 503 otherwise.

    Public (load balancers and monitoring call it without a session); it reveals no
    addresses, versions or error texts, only ``ok`` / ``error`` / ``timeout`` / ``eager``.
    """
    db_ok, db_state = _database_ok()
    broker_ok, broker_state = _broker_ok()
    healthy = db_ok and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": db_state, "broker": broker_state},
        status=200 if healthy else 503,
    )


# --- preference forms on every public page (language, text size) ---------------------------


def _origin_trusted(origin: str) -> bool:
    """``origin`` is one of ``CSRF_TRUSTED_ORIGINS`` (``https://*.example.gov.vn`` included)."""
    origin_scheme, _sep, origin_host = origin.partition("://")
    for trusted in settings.CSRF_TRUSTED_ORIGINS:
        scheme, _sep, host = str(trusted).partition("://")
        if origin == trusted or (
            host.startswith("*.") and origin_scheme == scheme and origin_host.endswith(host[1:])
        ):
            return True
    return False


def posted_from_this_site(request: HttpRequest) -> bool:
    """The browser says the form was sent from one of our pages: ``Origin`` (every current
    browser sends it with a POST), or the ``Referer`` when there is no ``Origin``."""
    if getattr(request, "_dont_enforce_csrf_checks", False):  # the test client, as Django's
        return True
    if request.META.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return False
    origin = str(request.META.get("HTTP_ORIGIN", ""))
    if not origin:
        parts = urlsplit(str(request.META.get("HTTP_REFERER", "")))
        if not parts.scheme or not parts.netloc:
            return False
        origin = f"{parts.scheme}://{parts.netloc}"
    try:
        own = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:
        return False
    return origin == own or _origin_trusted(origin)


def preference_post(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """For the forms that only set a preference cookie (language, text size): no CSRF token,
    so that public pages need none and can be cached (ADR 0017); a POST is accepted only
    when it comes from this site (``posted_from_this_site``), else 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not posted_from_this_site(request):
            return HttpResponseForbidden(
                _(
                    "Yêu cầu không được gửi từ trang của cổng thông tin nên không được thực "
                    "hiện. Hãy mở lại trang và chọn lại."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return view(request, *args, **kwargs)

    result: Callable[..., HttpResponse] = csrf_exempt(wrapped)
    return result


@preference_post
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, then back to ``next``), as a preference form."""
    response: HttpResponse = django_set_language(request)
    return response
