"""Small helpers shared by the API tests."""

from __future__ import annotations

from typing import Any

from django.test import Client

TOKEN_URL = "/api/v1/auth/token"


def post_json(client: Client, url: str, data: Any, **extra: Any) -> Any:
    return client.post(url, data=data, content_type="application/json", **extra)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The uniform error body: JSON with exactly code, message and details."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return dict(body)
