from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def superuser_client(db) -> Client:  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_superuser("quantri", "qt@example.vn", "Mat-khau-2026!")
    client = Client()
    client.force_login(user)
    return client


def test_console_is_branded_and_links_nowhere_outside(superuser_client: Client) -> None:
    response = superuser_client.get("/admin/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>" in html and "Chính quyền số</title>" in html
    assert "egov/img/emblem.svg" in html
    assert "wagtail.org" not in html
    assert "guide.wagtail" not in html
