"""Views that belong to no domain module."""

from __future__ import annotations

import concurrent.futures
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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
