"""/healthz: database and broker status, bounded in time, never behind a login."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client, override_settings

from egov.core import views

pytestmark = pytest.mark.django_db


def test_healthy_with_eager_tasks():
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_head_is_allowed_and_post_is_not():
    assert Client().head("/healthz").status_code == 200
    assert Client().post("/healthz").status_code == 405


def test_database_failure_is_503():
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("could not connect to server at 10.0.0.5")
    with mock.patch.object(views, "connections", {"default": broken}):
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "eager"}
    assert b"10.0.0.5" not in response.content


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0", "amqp://guest:guest@127.0.0.1:1//"])
def test_unreachable_broker_is_503_within_three_seconds(url):
    with override_settings(CELERY_BROKER_URL=url):
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}
    assert elapsed < 3
    assert b"127.0.0.1" not in response.content


def test_hanging_broker_is_cut_off_at_the_deadline():
    def hang(url: str, timeout: float) -> None:
        time.sleep(5)

    with (
        override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"),
        mock.patch.object(views, "_connect_broker", hang),
    ):
        started = time.monotonic()
        response = Client().get("/healthz")
        elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["broker"] == "timeout"
    assert elapsed <= 3


def test_reachable_broker_is_ok():
    with (
        override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/0"),
        mock.patch.object(views, "_connect_broker", lambda url, timeout: None),
    ):
        response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_never_needs_login_even_with_login_required_middleware(settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
    response = Client().get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
