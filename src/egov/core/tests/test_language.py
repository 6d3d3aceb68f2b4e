"""Vietnamese by default, English when chosen; the API follows Accept-Language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_pages() -> None:
    response = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Mật khẩu" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/accounts/login/").content.decode()
    assert '<html lang="en">' in page
    assert "Mật khẩu" not in page


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_the_api_follows_accept_language() -> None:
    body = Client().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["code"] == "auth.token_invalid"
    assert "token" in body["message"] and "Mã truy cập" not in body["message"]
    body_vi = Client().get("/api/v1/me").json()
    assert "Mã truy cập" in body_vi["message"]
