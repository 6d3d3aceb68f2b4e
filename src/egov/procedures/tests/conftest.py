"""Two communes of one province, each with a People's Committee, a unit admin and a clerk."""

from types import SimpleNamespace

import pytest

from egov.organizations.facade import Role, position_assign
from egov.organizations.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    UnitFactory,
    UserFactory,
)
from egov.procedures.tests.factories import SectorFactory


def make_staff(role, agency, department=None, **user_kwargs):
    """A staff member holding ``role`` in ``agency``, groups synced like in production."""
    user = UserFactory(staff=True, **user_kwargs)
    position_assign(actor=None, user=user, role=role, agency=agency, department=department)
    return user


@pytest.fixture
def units(db):
    province = UnitFactory(province=True, name="Tỉnh Thử")
    commune_a = UnitFactory(parent=province, name="Xã An Phú")
    commune_b = UnitFactory(parent=province, name="Xã Bình Minh")
    agency_a = AgencyFactory(unit=commune_a, name="UBND xã An Phú")
    agency_b = AgencyFactory(unit=commune_b, name="UBND xã Bình Minh")
    department_a = DepartmentFactory(agency=agency_a, name="Tư pháp - Hộ tịch A")
    return SimpleNamespace(
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        agency_a=agency_a,
        agency_b=agency_b,
        department_a=department_a,
        admin_a=make_staff(Role.UNIT_ADMIN, agency_a, username="qtv_a"),
        admin_b=make_staff(Role.UNIT_ADMIN, agency_b, username="qtv_b"),
        clerk_a=make_staff(Role.DESK_CLERK, agency_a, department_a, username="motcua_a"),
        sysadmin=make_staff(Role.SYSTEM_ADMIN, AgencyFactory(unit=province), username="qtht"),
        sector=SectorFactory(code="HT", name="Hộ tịch"),
    )
