"""Fixtures: the demo's units (legacy scheme) and, once per module, the seeded portals."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from egov.organizations.constants import UnitKind, UnitLevel, UnitScheme
from egov.organizations.tests.factories import AgencyFactory, DepartmentFactory, UnitFactory
from egov.portal.demo.builder import portal_seed


def make_demo_units() -> SimpleNamespace:
    legacy = UnitScheme.LEGACY
    district = UnitFactory(
        scheme=legacy,
        code="513",
        name="Huyện Thăng Bình",
        level=UnitLevel.DISTRICT,
        kind=UnitKind.RURAL_DISTRICT,
    )
    communes = {
        code: UnitFactory(scheme=legacy, code=code, name=name, parent=district, kind=kind)
        for code, name, kind in (
            ("20791", "Thị trấn Hà Lam", UnitKind.TOWNSHIP),
            ("20794", "Xã Bình Dương", UnitKind.COMMUNE),
            ("20812", "Xã Bình Minh", UnitKind.COMMUNE),
            ("20845", "Xã Bình An", UnitKind.COMMUNE),
        )
    }
    agency = AgencyFactory(unit=district, name="Ủy ban nhân dân huyện Thăng Bình")
    DepartmentFactory(agency=agency, name="Phòng Tư pháp")
    DepartmentFactory(agency=agency, name="Phòng Nội vụ", is_active=False)
    return SimpleNamespace(district=district, communes=communes, agency=agency)


@pytest.fixture(autouse=True)
def _site_language() -> None:
    """Each test starts in the site's language: a request carrying the English cookie leaves
    English active in the test's thread (``LocaleMiddleware`` does not switch back)."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo_units(db: None) -> SimpleNamespace:
    return make_demo_units()


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: object) -> Iterator[SimpleNamespace]:
    """The seeded portals, built once for a module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        units = make_demo_units()
        result = portal_seed()
        yield SimpleNamespace(units=units, result=result)
        transaction.set_rollback(True)
