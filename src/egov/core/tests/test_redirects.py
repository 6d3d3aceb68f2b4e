"""Editors' redirects (Wagtail) apply to pages, never to the API's answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_a_page_redirect_still_works(client):
    Redirect.objects.create(old_path="/trang-cu", redirect_link="/tra-cuu-ho-so/")
    response = client.get("/trang-cu")
    assert response.status_code == 301
    assert response["Location"] == "/tra-cuu-ho-so/"


def test_api_not_found_is_never_redirected_nor_looked_up(client):
    Redirect.objects.create(old_path="/api/v1/cu", redirect_link="/tra-cuu-ho-so/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cu")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert not [q for q in queries.captured_queries if "redirect" in q["sql"].lower()]
