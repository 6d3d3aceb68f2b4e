"""The scope functions on both hierarchies, with the same code (the hierarchy is data)."""

import pytest
from django.core.exceptions import PermissionDenied

from egov.organizations.constants import Role, UnitLevel, UnitScheme
from egov.organizations.models import Position
from egov.organizations.scope import (
    agencies_actionable_by,
    agencies_visible_to,
    can_act_in_unit,
    ensure_can_act_in_unit,
    has_role,
    is_system_admin,
    read_scope,
    roles_of,
    units_actionable_by,
    units_visible_to,
)
from egov.organizations.tests.factories import (
    AgencyFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_levels():
    """Legacy scheme: province → district → communes (and a second district)."""
    province = UnitFactory(province=True, scheme=UnitScheme.LEGACY)
    district = UnitFactory(district=True, scheme=UnitScheme.LEGACY, parent=province)
    other_district = UnitFactory(district=True, scheme=UnitScheme.LEGACY, parent=province)
    commune_1 = UnitFactory(scheme=UnitScheme.LEGACY, parent=district)
    commune_2 = UnitFactory(scheme=UnitScheme.LEGACY, parent=district)
    commune_3 = UnitFactory(scheme=UnitScheme.LEGACY, parent=other_district)
    return province, district, other_district, commune_1, commune_2, commune_3


@pytest.fixture
def two_levels():
    """Current scheme: province → communes directly."""
    province = UnitFactory(province=True)
    commune_1 = UnitFactory(parent=province)
    commune_2 = UnitFactory(parent=province)
    other_province = UnitFactory(province=True)
    commune_3 = UnitFactory(parent=other_province)
    return province, commune_1, commune_2, other_province, commune_3


def _staff_in(unit, role=Role.SPECIALIST):
    return PositionFactory(role=role, agency=AgencyFactory(unit=unit)).user


def test_three_levels_district_staff_see_their_communes(three_levels):
    _province, district, _other_district, c1, c2, _c3 = three_levels
    assert district.level == UnitLevel.DISTRICT
    user = _staff_in(district, Role.LEADER)
    assert set(units_visible_to(user)) == {district, c1, c2}
    assert set(units_actionable_by(user)) == {district}
    assert can_act_in_unit(user, district)
    assert not can_act_in_unit(user, c1)


def test_three_levels_province_staff_see_everything_below(three_levels):
    province = three_levels[0]
    user = _staff_in(province)
    assert set(units_visible_to(user)) == set(three_levels)
    assert set(units_actionable_by(user)) == {province}


def test_three_levels_commune_staff_see_only_their_commune(three_levels):
    c1 = three_levels[3]
    user = _staff_in(c1, Role.DESK_CLERK)
    assert set(units_visible_to(user)) == {c1}
    assert set(units_actionable_by(user, [Role.DESK_CLERK])) == {c1}
    assert set(units_actionable_by(user, [Role.UNIT_ADMIN])) == set()


def test_two_levels_province_sees_its_communes_only(two_levels):
    province, c1, c2, _other_province, c3 = two_levels
    user = _staff_in(province)
    assert set(units_visible_to(user)) == {province, c1, c2}
    assert c3 not in units_visible_to(user)


def test_two_levels_commune_staff_and_roles_filter(two_levels):
    _province, c1, c2, *_rest = two_levels
    user = _staff_in(c1, Role.UNIT_ADMIN)
    PositionFactory(user=user, role=Role.SPECIALIST, agency=AgencyFactory(unit=c2))
    assert set(units_visible_to(user)) == {c1, c2}
    assert set(units_actionable_by(user, [Role.UNIT_ADMIN])) == {c1}
    assert set(units_actionable_by(user, [Role.SPECIALIST])) == {c2}
    assert set(agencies_actionable_by(user, [Role.UNIT_ADMIN])) == set(c1.agencies.all())
    assert set(agencies_visible_to(user)) == set(c1.agencies.all()) | set(c2.agencies.all())
    with pytest.raises(PermissionDenied) as excinfo:
        ensure_can_act_in_unit(user, c2, [Role.UNIT_ADMIN])
    assert c2.name in str(excinfo.value)
    ensure_can_act_in_unit(user, c1, [Role.UNIT_ADMIN])


def test_path_prefix_does_not_leak_to_similar_codes():
    """Unit "P1" must not see "P10/..." (the path match includes the trailing slash)."""
    province = UnitFactory(province=True, code="P1")
    lookalike = UnitFactory(province=True, code="P10")
    lookalike_commune = UnitFactory(parent=lookalike)
    user = _staff_in(province)
    visible = set(units_visible_to(user))
    assert lookalike not in visible and lookalike_commune not in visible


def test_inactive_positions_and_agencies_give_nothing(two_levels):
    c1 = two_levels[1]
    position = PositionFactory(agency=AgencyFactory(unit=c1))
    position.is_active = False
    position.save()
    assert not units_visible_to(position.user).exists()
    position2 = PositionFactory(agency=AgencyFactory(unit=c1, is_active=False))
    assert not units_visible_to(position2.user).exists()


def test_citizen_and_anonymous_see_nothing(two_levels):
    from django.contrib.auth.models import AnonymousUser

    citizen = UserFactory()
    for user in (citizen, AnonymousUser(), None):
        assert not units_visible_to(user).exists()
        assert not units_actionable_by(user).exists()
        assert roles_of(user) == set()
        assert not has_role(user, Role.SPECIALIST)


def test_system_admin_and_superuser_act_everywhere(two_levels):
    sysadmin = _staff_in(two_levels[0], Role.SYSTEM_ADMIN)
    superuser = UserFactory(is_superuser=True)
    for user in (sysadmin, superuser):
        assert is_system_admin(user)
        assert units_actionable_by(user, [Role.UNIT_ADMIN]).count() == len(two_levels)
        assert roles_of(user) == set(Role.values)


def test_read_scope_is_units_visible_to_in_two_queries(three_levels, django_assert_max_num_queries):
    """``read_scope`` answers what ``units_visible_to`` and ``active_positions`` answer."""
    from django.contrib.auth.models import AnonymousUser

    province, district, _other, c1, c2, c3 = three_levels
    leader = _staff_in(district, Role.LEADER)
    PositionFactory(user=leader, role=Role.UNIT_ADMIN, agency=AgencyFactory(unit=c3))
    clerk = _staff_in(c1, Role.DESK_CLERK)
    ended = PositionFactory(user=clerk, role=Role.LEADER, agency=AgencyFactory(unit=province))
    ended.is_active = False
    ended.save()
    readers = (Role.LEADER, Role.DESK_CLERK, Role.SPECIALIST)
    for user in (leader, clerk, UserFactory(), _staff_in(c2, Role.UNIT_ADMIN)):
        with django_assert_max_num_queries(2):
            scope = read_scope(user, readers)
        assert not scope.everywhere
        assert set(scope.unit_ids) == set(
            units_visible_to(user, readers).values_list("pk", flat=True)
        )
        held = Position.objects.filter(user=user, is_active=True, agency__is_active=True)
        assert set(scope.agency_ids) == set(held.values_list("agency_id", flat=True))
    assert set(read_scope(leader, readers).unit_ids) == {district.pk, c1.pk, c2.pk}
    assert set(read_scope(leader).unit_ids) == {district.pk, c1.pk, c2.pk, c3.pk}
    sysadmin = _staff_in(c2, Role.SYSTEM_ADMIN)
    for user in (sysadmin, UserFactory(is_superuser=True)):
        assert read_scope(user, readers).everywhere
    for user in (AnonymousUser(), None):
        assert read_scope(user) == read_scope(None)
        assert not read_scope(user).everywhere and not read_scope(user).unit_ids
