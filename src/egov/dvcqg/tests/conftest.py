"""Fixtures of the connector tests: a local national portal and the connector switched on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from egov.dossiers.tests.factories import Office, build_office, building_permit
from egov.dvcqg.tests.portal import TOKEN, Portal, start


@pytest.fixture
def portal(settings) -> Iterator[Portal]:  # type: ignore[no-untyped-def]
    double = Portal()
    server = start(double)
    settings.EGOV_DVCQG_ENABLED = True
    settings.EGOV_DVCQG_PULL_ENABLED = True
    settings.EGOV_DVCQG_URL = double.url
    settings.EGOV_DVCQG_TOKEN = TOKEN
    settings.EGOV_DVCQG_TIMEOUT = 1
    settings.EGOV_DVCQG_MAX_ATTEMPTS = 3
    settings.EGOV_DVCQG_RETRY_SECONDS = 10
    settings.EGOV_BASE_URL = "https://motcua.example.gov.vn"
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def office(db) -> Office:  # type: ignore[no-untyped-def]
    return build_office()


@pytest.fixture
def permit(db):  # type: ignore[no-untyped-def]
    return building_permit()
