import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from egov.core.audit.models import AuditEvent
from egov.organizations.constants import Role
from egov.organizations.errors import ErrorCode, OrganizationError, OrganizationPermissionDenied
from egov.organizations.models import Position
from egov.organizations.roles import group_name
from egov.organizations.services import STAFF_KIND, position_assign, position_end
from egov.organizations.tests.factories import (
    AgencyFactory,
    DepartmentFactory,
    PositionFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_staff_kind_matches_accounts():
    kinds = dict(get_user_model()._meta.get_field("kind").choices)
    assert STAFF_KIND in kinds
    assert str(kinds[STAFF_KIND]) == "Cán bộ, công chức"


def test_position_assign_by_system_makes_staff_and_groups():
    user = UserFactory()
    agency = AgencyFactory()
    department = DepartmentFactory(agency=agency)

    position = position_assign(
        actor=None,
        user=user,
        role=Role.DESK_CLERK,
        agency=agency,
        department=department,
        title="Công chức Một cửa",
    )

    user.refresh_from_db()
    assert position.is_active and position.department == department
    assert user.kind == STAFF_KIND
    assert _group_names(user) == {group_name(Role.DESK_CLERK)}
    assert user.has_perm("wagtailadmin.access_admin")
    event = AuditEvent.objects.get(action="organizations.position.assign")
    assert event.object_id == str(position.pk)
    assert event.after["role"] == Role.DESK_CLERK
    assert event.actor is None


def test_position_assign_is_idempotent():
    user = UserFactory(staff=True)
    agency = AgencyFactory()
    first = position_assign(actor=None, user=user, role=Role.SPECIALIST, agency=agency)
    second = position_assign(actor=None, user=user, role=Role.SPECIALIST, agency=agency)
    assert first.pk == second.pk
    assert Position.objects.filter(user=user).count() == 1
    assert AuditEvent.objects.filter(action="organizations.position.assign").count() == 1


def test_position_assign_same_role_new_department_updates():
    user = UserFactory(staff=True)
    agency = AgencyFactory()
    department = DepartmentFactory(agency=agency)
    first = position_assign(actor=None, user=user, role=Role.SPECIALIST, agency=agency)
    second = position_assign(
        actor=None, user=user, role=Role.SPECIALIST, agency=agency, department=department
    )
    assert first.pk == second.pk
    assert second.department == department
    assert AuditEvent.objects.filter(action="organizations.position.update").count() == 1


def test_position_assign_department_of_other_agency_is_refused():
    user = UserFactory(staff=True)
    agency = AgencyFactory()
    other_department = DepartmentFactory()
    with pytest.raises(OrganizationError) as excinfo:
        position_assign(
            actor=None,
            user=user,
            role=Role.SPECIALIST,
            agency=agency,
            department=other_department,
        )
    assert excinfo.value.error_code == ErrorCode.DEPARTMENT_NOT_IN_AGENCY
    assert excinfo.value.field == "department"
    assert "không thuộc cơ quan" in excinfo.value.text
    assert not Position.objects.filter(user=user).exists()


def test_position_assign_by_unit_admin_in_own_unit():
    admin = PositionFactory(role=Role.UNIT_ADMIN).user
    agency = admin.positions.get().agency
    user = UserFactory()
    position = position_assign(
        actor=admin, user=user, role=Role.LEADER, agency=agency, ip_address="10.0.0.1"
    )
    event = AuditEvent.objects.get(action="organizations.position.assign")
    assert event.actor == admin and event.ip_address == "10.0.0.1"
    assert position.agency == agency


def test_unit_admin_cannot_assign_in_other_unit():
    admin = PositionFactory(role=Role.UNIT_ADMIN).user
    other_agency = AgencyFactory(unit=UnitFactory(name="Xã Khác"))
    user = UserFactory()
    for role in (Role.SPECIALIST, Role.UNIT_ADMIN):
        with pytest.raises(OrganizationPermissionDenied) as excinfo:
            position_assign(actor=admin, user=user, role=role, agency=other_agency)
        assert excinfo.value.code == ErrorCode.ROLE_OUTSIDE_UNIT
        assert "Xã Khác" in str(excinfo.value)
    assert not Position.objects.filter(user=user).exists()


def test_unit_admin_cannot_grant_system_admin_even_in_own_unit():
    admin_position = PositionFactory(role=Role.UNIT_ADMIN)
    user = UserFactory()
    with pytest.raises(OrganizationPermissionDenied) as excinfo:
        position_assign(
            actor=admin_position.user,
            user=user,
            role=Role.SYSTEM_ADMIN,
            agency=admin_position.agency,
        )
    assert excinfo.value.code == ErrorCode.SYSTEM_ADMIN_ONLY
    assert not Position.objects.filter(user=user).exists()


def test_system_admin_grants_system_admin_anywhere():
    sysadmin = PositionFactory(role=Role.SYSTEM_ADMIN).user
    user = UserFactory()
    position_assign(actor=sysadmin, user=user, role=Role.SYSTEM_ADMIN, agency=AgencyFactory())
    assert _group_names(user) == {group_name(Role.SYSTEM_ADMIN)}
    assert user.has_perm("audit.view_auditevent")


def test_desk_clerk_cannot_assign():
    clerk = PositionFactory(role=Role.DESK_CLERK)
    with pytest.raises(OrganizationPermissionDenied):
        position_assign(
            actor=clerk.user, user=UserFactory(), role=Role.DESK_CLERK, agency=clerk.agency
        )


def test_position_end_keeps_history_and_resyncs_groups():
    user = UserFactory()
    agency = AgencyFactory()
    clerk = position_assign(actor=None, user=user, role=Role.DESK_CLERK, agency=agency)
    position_assign(actor=None, user=user, role=Role.SPECIALIST, agency=agency)
    assert _group_names(user) == {group_name(Role.DESK_CLERK), group_name(Role.SPECIALIST)}

    position_end(actor=None, position_id=clerk.pk)

    clerk.refresh_from_db()
    assert clerk.is_active is False
    assert _group_names(user) == {group_name(Role.SPECIALIST)}
    assert AuditEvent.objects.filter(
        action="organizations.position.end", object_id=str(clerk.pk)
    ).exists()
    with pytest.raises(OrganizationError) as excinfo:
        position_end(actor=None, position_id=clerk.pk)
    assert excinfo.value.error_code == ErrorCode.POSITION_ALREADY_ENDED


def test_position_end_outside_unit_is_refused():
    admin = PositionFactory(role=Role.UNIT_ADMIN).user
    other = PositionFactory(role=Role.SPECIALIST)
    with pytest.raises(OrganizationPermissionDenied):
        position_end(actor=admin, position_id=other.pk)
    other.refresh_from_db()
    assert other.is_active


def test_unit_admin_cannot_end_own_admin_position():
    admin_position = PositionFactory(role=Role.UNIT_ADMIN)
    with pytest.raises(OrganizationError) as excinfo:
        position_end(actor=admin_position.user, position_id=admin_position.pk)
    assert excinfo.value.error_code == ErrorCode.CANNOT_END_OWN_ADMIN_POSITION


def test_non_role_groups_are_kept():
    user = UserFactory()
    other = Group.objects.create(name="Nhóm riêng")
    user.groups.add(other)
    position_assign(actor=None, user=user, role=Role.EDITOR, agency=AgencyFactory())
    assert _group_names(user) == {"Nhóm riêng", group_name(Role.EDITOR)}
