from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from egov.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from egov.api.tests.helpers import TOKEN_URL, post_json


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    # Throttle history lives in the cache (locmem in tests): start every test from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db: Any) -> Any:
    return UserFactory(username="canbo01", staff=True)


@pytest.fixture
def get_token(client: Client) -> Callable[..., str]:
    def _get(username: str, password: str = DEFAULT_PASSWORD, **data: Any) -> str:
        payload = {"username": username, "password": password, **data}
        response = post_json(client, TOKEN_URL, payload)
        assert response.status_code == 200, response.content
        return str(response.json()["access_token"])

    return _get
