import pytest

from egov.dossiers.tests.factories import Office, build_office, building_permit


@pytest.fixture
def office(db) -> Office:
    return build_office()


@pytest.fixture
def permit(db):
    return building_permit()
