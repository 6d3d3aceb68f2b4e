"""Helpers of the dossier API tests: tokens, requests, the intake body."""

from __future__ import annotations

from typing import Any

from django.test import Client

from egov.accounts.tests.factories import DEFAULT_PASSWORD
from egov.api.tests.helpers import TOKEN_URL, bearer, post_json

URL = "/api/v1/dossiers"


def token_for(client: Client, user: Any) -> str:
    """A bearer token the way an integration gets one (``POST /auth/token``)."""
    response = post_json(
        client, TOKEN_URL, {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


class ApiUser:
    """One staff member talking to the API with their own token."""

    def __init__(self, client: Client, user: Any) -> None:
        self.client = client
        self.user = user
        self.headers = bearer(token_for(client, user))

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params or None, **self.headers)

    def post(self, path: str, body: Any = None) -> Any:
        return post_json(self.client, path, body if body is not None else {}, **self.headers)

    def post_raw(self, path: str, raw: bytes | str) -> Any:
        return self.client.post(path, raw, content_type="application/json", **self.headers)

    def intake(self, **overrides: Any) -> Any:
        return self.post(URL, intake_body(**overrides))

    def detail(self, code: str) -> Any:
        return self.get(f"{URL}/{code}")

    def act(self, code: str, action: str, **body: Any) -> Any:
        return self.post(f"{URL}/{code}/actions/{action}", body)


def intake_body(**overrides: Any) -> dict[str, Any]:
    """The issue's example body, for the test procedure (``factories.building_permit``)."""
    body: dict[str, Any] = {
        "procedure_code": "1.009994",
        "case": None,
        "channel": "direct",
        "applicant": {
            "full_name": "Nguyễn Văn An",
            "personal_id": "049090001234",
            "phone": "0905123456",
            "email": "an@example.vn",
            "address": "Thôn 1, xã An Phú",
        },
        "components": [],
        "fee_paid": True,
    }
    body.update(overrides)
    return body


def assert_local_moment(value: str | None) -> None:
    """ISO 8601 in Vietnam time."""
    assert value is not None and value.endswith("+07:00"), value
