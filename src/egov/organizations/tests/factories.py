"""Factories for the hierarchy.  ``PositionFactory(role=Role.LEADER)`` builds the whole chain."""

import factory
from factory.django import DjangoModelFactory

from egov.accounts.tests.factories import UserFactory
from egov.organizations.constants import AgencyKind, Role, UnitKind, UnitLevel, UnitScheme
from egov.organizations.models import AdministrativeUnit, Agency, Department, Position


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    scheme = UnitScheme.CURRENT
    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    level = UnitLevel.COMMUNE
    kind = UnitKind.COMMUNE
    parent = None
    path = factory.LazyAttribute(
        lambda o: AdministrativeUnit(
            **{"scheme": o.scheme, "code": o.code, "parent": o.parent}
        ).compute_path()
    )

    class Params:
        province = factory.Trait(
            level=UnitLevel.PROVINCE,
            kind=UnitKind.PROVINCE,
            code=factory.Sequence(lambda n: f"P{n}"),
            name=factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}"),
        )
        district = factory.Trait(
            level=UnitLevel.DISTRICT,
            kind=UnitKind.RURAL_DISTRICT,
            code=factory.Sequence(lambda n: f"D{n}"),
            name=factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}"),
        )


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"000.00.{n:02d}.T99")
    name = factory.LazyAttribute(lambda o: f"Ủy ban nhân dân {o.unit.name}")
    kind = AgencyKind.PEOPLES_COMMITTEE
    unit = factory.SubFactory(UnitFactory)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"phong-{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    user = factory.SubFactory(UserFactory, staff=True)
    role = Role.SPECIALIST
    agency = factory.SubFactory(AgencyFactory)
    department = None
    title = ""
