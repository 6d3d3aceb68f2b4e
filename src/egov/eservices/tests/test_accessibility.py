"""The text-size control (A− / A / A+) on every public page, without JavaScript, and the
markup rules the browser test's axe-core check relies on (labels, headings, lang)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SIZE_URL = "/dich-vu-cong/co-chu/"


def html_class(response) -> str:
    match = re.search(r"<html[^>]*>", response.content.decode())
    assert match
    found = re.search(r'class="([^"]*)"', match.group(0))
    return found.group(1) if found else ""


@pytest.mark.parametrize("url", ["/dich-vu-cong/", "/dich-vu-cong/thu-tuc/", "/tra-cuu-ho-so/"])
def test_every_public_page_has_the_control(client, url):
    page = client.get(url).content.decode()
    assert f'action="{SIZE_URL}"' in page
    for value in ("smaller", "normal", "larger"):
        assert f'name="size" value="{value}"' in page
    assert "giảm cỡ chữ" in page and "tăng cỡ chữ" in page
    assert '<html lang="vi"' in page


def test_larger_smaller_and_back_to_normal_are_remembered_in_a_cookie(client):
    response = client.post(SIZE_URL, {"size": "larger", "next": "/dich-vu-cong/thu-tuc/?q=a"})
    assert response.status_code == 302
    assert response["Location"] == "/dich-vu-cong/thu-tuc/?q=a"
    cookie = response.cookies["egov_text_size"]
    assert cookie.value == "lg" and cookie["httponly"] and cookie["samesite"] == "Lax"
    assert html_class(client.get("/dich-vu-cong/")) == "text-lg"

    client.post(SIZE_URL, {"size": "larger", "next": "/"})
    assert html_class(client.get("/tra-cuu-ho-so/")) == "text-xl"
    client.post(SIZE_URL, {"size": "larger", "next": "/"})  # the largest stays the largest
    assert client.cookies["egov_text_size"].value == "xl"

    response = client.post(SIZE_URL, {"size": "normal", "next": "/"})
    assert response.cookies["egov_text_size"].value == ""  # deleted
    assert html_class(client.get("/dich-vu-cong/")) == ""

    client.post(SIZE_URL, {"size": "smaller", "next": "/"})
    client.post(SIZE_URL, {"size": "smaller", "next": "/"})
    assert html_class(client.get("/dich-vu-cong/")) == "text-sm"


def test_a_forged_cookie_adds_nothing_to_the_page(client):
    client.cookies["egov_text_size"] = '" onload="alert(1)'
    assert html_class(client.get("/dich-vu-cong/")) == ""


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_it_never_redirects_to_another_site(client, target):
    response = client.post(SIZE_URL, {"size": "larger", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_bad_choice_is_a_400_and_get_is_refused(client):
    response = client.post(SIZE_URL, {"size": "huge", "next": "/"})
    assert response.status_code == 400
    assert "tăng cỡ chữ" in response.content.decode()
    assert "egov_text_size" not in response.cookies
    assert client.get(SIZE_URL).status_code == 405


def test_it_is_protected_against_cross_site_posts(db):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(SIZE_URL, {"size": "larger", "next": "/"})
    assert response.status_code == 403


def test_catalogue_pages_need_no_script(client):
    for url in (reverse("eservices:home"), reverse("eservices:procedure_list")):
        page = client.get(url).content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        assert "<script" not in main
        assert "<h1" in main and main.count("<h1") == 1
