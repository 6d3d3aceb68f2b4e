from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from egov.dossiers.models import Dossier
from egov.dossiers.tests.factories import Office, build_office, building_permit, receive
from egov.organizations.constants import Role
from egov.statistics import facts
from egov.statistics.tests.helpers import vn


@pytest.fixture
def office(db: Any) -> Office:
    return build_office()


@pytest.fixture
def permit(db: Any) -> Any:
    return building_permit()


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def template(office: Office, permit: Any) -> Dossier:
    """A real dossier of commune A, then turned into a never-accepted one (counted nowhere)."""
    dossier = receive(office, permit, at=vn(1, 6))
    Dossier.objects.filter(pk=dossier.pk).update(
        status="refused",
        received_at=None,
        due_at=None,
        current_due_at=None,
        closed_at=vn(1, 6),
    )
    dossier.refresh_from_db()
    facts.fact_upsert(dossier)
    return dossier


@pytest.fixture
def province_leader(office: Office) -> Any:
    from egov.dossiers.tests.factories import make_staff
    from egov.organizations.tests.factories import AgencyFactory

    return make_staff(Role.LEADER, AgencyFactory(unit=office.province), username="ld_tinh")
