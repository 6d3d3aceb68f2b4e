"""A lost database answers 503 with Retry-After: a Vietnamese page, or the API's JSON body.

Views that raise ``OperationalError``/``InterfaceError`` are mounted on a urlconf of this
test; the API case raises from inside a real endpoint (the token lookup); the middleware
case goes through ``handler500`` (the error happens before any view).
"""

from __future__ import annotations

import logging
import sys
from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from egov.core.middleware import DATABASE_RETRY_AFTER, server_error


def _lost(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly")


def _interface(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def _bug(request: HttpRequest) -> HttpResponse:
    raise IntegrityError("duplicate key value violates unique constraint")


urlpatterns = [
    path("trang-loi/", _lost),
    path("trang-loi-ket-noi/", _interface),
    path("trang-loi-du-lieu/", _bug),
    path("api/v1/thu/", _lost),
    path("", include("egov.urls")),
]
handler500 = "egov.core.middleware.server_error"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


def test_a_page_whose_database_is_gone_is_a_vietnamese_503(client, caplog):
    with caplog.at_level(logging.WARNING, logger="egov.core.database"):
        response = client.get("/trang-loi/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Hệ thống tạm thời gián đoạn" in page
    assert f"Vui lòng thử lại sau {DATABASE_RETRY_AFTER} giây." in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert "database unavailable during GET /trang-loi/: OperationalError" in caplog.text


def test_a_lost_connection_is_a_503_too(client):
    response = client.get("/trang-loi-ket-noi/")

    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()


def test_an_api_path_gets_the_error_envelope(client):
    response = client.get("/api/v1/thu/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER)
    assert response.json() == {
        "code": "service_unavailable",
        "message": "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. "
        "Vui lòng thử lại sau ít giây.",
        "details": {"retry_after": DATABASE_RETRY_AFTER},
    }


def test_a_real_api_endpoint_losing_the_database_answers_503(client):
    """The token lookup runs inside ninja, whose catch-all would have made it a 500."""
    with mock.patch(
        "egov.api.auth.api_token_get_by_raw", side_effect=OperationalError("the server restarts")
    ):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer egov_abc_def")

    assert response.status_code == 503, response.content
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == str(DATABASE_RETRY_AFTER)


def test_other_database_errors_stay_500s(client):
    response = client.get("/trang-loi-du-lieu/")

    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()


def test_an_error_raised_before_the_view_is_a_503_through_handler500(client):
    """The session or the user is loaded in middleware: Django turns that error into a
    response before the middleware's ``process_exception`` could see it."""
    with mock.patch(
        "django.contrib.sessions.middleware.SessionMiddleware.process_request",
        side_effect=OperationalError("could not connect to server"),
    ):
        response = client.get("/trang-loi-du-lieu/")

    assert response.status_code == 503
    assert "Hệ thống tạm thời gián đoạn" in response.content.decode()


def test_handler500_keeps_the_500_page_for_anything_else():
    request = RequestFactory().get("/")
    try:
        raise ValueError("a bug")
    except ValueError:
        assert sys.exc_info()[0] is ValueError
        response = server_error(request)
    assert response.status_code == 500


@override_settings(DEBUG=False)
def test_the_site_answers_again_once_the_database_is_back(client):
    """Nothing is kept from the outage: the next request is served normally."""
    assert client.get("/trang-loi/").status_code == 503
    assert client.get("/healthz").status_code == 200
