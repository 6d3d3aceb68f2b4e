import pytest
from django.contrib.auth import get_user_model

from egov.core.audit.models import AuditEvent
from egov.organizations.constants import AgencyKind, Role
from egov.organizations.errors import ErrorCode, OrganizationError, OrganizationPermissionDenied
from egov.organizations.models import Agency, Department, Position
from egov.organizations.roles import group_name
from egov.organizations.services import (
    agency_create,
    agency_update,
    department_create,
    department_update,
    staff_user_create,
    staff_user_deactivate,
    staff_user_reactivate,
    staff_user_update,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def _audit(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


def test_unit_admin_creates_staff_with_first_position(units):
    user = staff_user_create(
        actor=units.admin_a,
        username="can_bo_moi",
        email="Moi@Example.vn",
        last_name="Trần Thị",
        first_name="Bình",
        phone="0912345678",
        password="Mat-khau-rat-manh-2026",
        role=Role.SPECIALIST,
        agency=units.agency_a,
        department=units.department_a,
        title="Công chức Tư pháp",
        ip_address="10.1.1.1",
    )
    user.refresh_from_db()
    assert user.kind == "staff" and user.email == "moi@example.vn"
    assert user.check_password("Mat-khau-rat-manh-2026")
    position = Position.objects.get(user=user)
    assert (position.role, position.agency, position.department) == (
        Role.SPECIALIST,
        units.agency_a,
        units.department_a,
    )
    assert set(user.groups.values_list("name", flat=True)) == {group_name(Role.SPECIALIST)}
    event = _audit("accounts.user.create_staff", user).get()
    assert event.actor == units.admin_a and event.ip_address == "10.1.1.1"
    assert _audit("organizations.position.assign", position).exists()


def test_staff_without_password_gets_unusable_password(units):
    user = staff_user_create(
        actor=None, username="khong_mk", email="", last_name="Lê", first_name="Cường"
    )
    assert not user.has_usable_password()
    assert not Position.objects.filter(user=user).exists()


def test_unit_admin_must_give_a_first_position(units):
    with pytest.raises(OrganizationError) as excinfo:
        staff_user_create(
            actor=units.admin_a, username="x", email="", last_name="Lê", first_name="Cường"
        )
    assert excinfo.value.error_code == ErrorCode.FIRST_POSITION_REQUIRED
    assert not User.objects.filter(username="x").exists()


def test_unit_admin_cannot_create_staff_in_other_unit(units):
    with pytest.raises(OrganizationPermissionDenied):
        staff_user_create(
            actor=units.admin_a,
            username="xam_nhap",
            email="",
            last_name="Lê",
            first_name="Cường",
            role=Role.SPECIALIST,
            agency=units.agency_b,
        )
    assert not User.objects.filter(username="xam_nhap").exists()


def test_duplicate_username_email_phone(units):
    units.clerk_a.email = "clerk@example.vn"
    units.clerk_a.phone = "0911111111"
    units.clerk_a.save()
    cases = [
        ({"username": "MOTCUA_A"}, ErrorCode.USERNAME_TAKEN, "username"),
        ({"email": "CLERK@example.vn"}, ErrorCode.EMAIL_TAKEN, "email"),
        ({"phone": "0911111111"}, ErrorCode.PHONE_TAKEN, "phone"),
    ]
    for override, code, field in cases:
        kwargs = {
            "actor": units.admin_a,
            "username": "moi",
            "email": "",
            "last_name": "Lê",
            "first_name": "Cường",
            "role": Role.SPECIALIST,
            "agency": units.agency_a,
            **override,
        }
        with pytest.raises(OrganizationError) as excinfo:
            staff_user_create(**kwargs)
        assert excinfo.value.error_code == code
        assert excinfo.value.field == field


def test_staff_user_update_own_unit_and_audit(units):
    staff_user_update(
        actor=units.admin_a,
        user_id=units.clerk_a.pk,
        email="moi@example.vn",
        last_name="Phạm",
        first_name="Dũng",
        phone="0987654321",
    )
    units.clerk_a.refresh_from_db()
    assert units.clerk_a.get_full_name() == "Phạm Dũng"
    event = _audit("accounts.user.update_staff", units.clerk_a).get()
    assert event.after["first_name"] == "Dũng"
    assert "username" not in event.after


def test_staff_user_update_other_unit_refused(units):
    with pytest.raises(OrganizationPermissionDenied) as excinfo:
        staff_user_update(
            actor=units.admin_a,
            user_id=units.clerk_b.pk,
            email="",
            last_name="X",
            first_name="Y",
        )
    assert excinfo.value.code == ErrorCode.NOT_STAFF_OF_UNIT
    units.clerk_b.refresh_from_db()
    assert units.clerk_b.first_name != "Y"


def test_unit_admin_cannot_touch_system_admin(units):
    with pytest.raises(OrganizationPermissionDenied):
        staff_user_deactivate(actor=units.admin_a, user_id=units.sysadmin.pk)


def test_deactivate_ends_positions_and_groups_then_reactivate(units):
    staff_user_deactivate(actor=units.admin_a, user_id=units.clerk_a.pk)
    units.clerk_a.refresh_from_db()
    assert not units.clerk_a.is_active
    assert not Position.objects.filter(user=units.clerk_a, is_active=True).exists()
    assert not units.clerk_a.groups.exists()
    assert _audit("accounts.user.deactivate", units.clerk_a).exists()

    staff_user_reactivate(actor=units.admin_a, user_id=units.clerk_a.pk)
    units.clerk_a.refresh_from_db()
    assert units.clerk_a.is_active
    assert _audit("accounts.user.reactivate", units.clerk_a).exists()
    # The ended position stays history; the admin can still manage the account.
    staff_user_update(
        actor=units.admin_a, user_id=units.clerk_a.pk, email="", last_name="A", first_name="B"
    )


def test_cannot_deactivate_self(units):
    with pytest.raises(OrganizationError) as excinfo:
        staff_user_deactivate(actor=units.admin_a, user_id=units.admin_a.pk)
    assert excinfo.value.error_code == ErrorCode.CANNOT_DEACTIVATE_SELF


def test_agency_create_update_scope_and_audit(units):
    agency = agency_create(
        actor=units.admin_a,
        unit=units.commune_a,
        code="000.00.99.H01",
        name="Trạm Y tế xã An Phú",
        kind=AgencyKind.PUBLIC_SERVICE,
        parent=units.agency_a,
    )
    assert _audit("organizations.agency.create", agency).exists()
    with pytest.raises(OrganizationError) as excinfo:
        agency_create(
            actor=units.admin_a,
            unit=units.commune_a,
            code="000.00.99.h01",
            name="Trùng mã",
            kind=AgencyKind.OTHER,
        )
    assert excinfo.value.error_code == ErrorCode.AGENCY_CODE_TAKEN
    with pytest.raises(OrganizationPermissionDenied):
        agency_create(
            actor=units.admin_a,
            unit=units.commune_b,
            code="000.00.99.H02",
            name="Ngoài đơn vị",
            kind=AgencyKind.OTHER,
        )
    with pytest.raises(OrganizationError) as excinfo:
        agency_create(
            actor=units.admin_a,
            unit=units.commune_a,
            code="000.00.99.H03",
            name="Cấp trên ngoài đơn vị",
            kind=AgencyKind.OTHER,
            parent=units.agency_b,
        )
    assert excinfo.value.error_code == ErrorCode.PARENT_AGENCY_OTHER_UNIT

    agency_update(
        actor=units.admin_a,
        agency_id=agency.pk,
        name="Trạm Y tế xã An Phú (mới)",
        kind=AgencyKind.PUBLIC_SERVICE,
        parent=units.agency_a,
    )
    event = _audit("organizations.agency.update", agency).get()
    assert event.after == {"name": "Trạm Y tế xã An Phú (mới)"}
    with pytest.raises(OrganizationPermissionDenied):
        agency_update(
            actor=units.admin_a, agency_id=units.agency_b.pk, name="X", kind=AgencyKind.OTHER
        )
    assert Agency.objects.get(pk=units.agency_b.pk).name == "UBND xã Bình Minh"


def test_agency_parent_may_not_be_the_agency_or_one_below_it(units):
    child = agency_create(
        actor=units.admin_a,
        unit=units.commune_a,
        code="000.00.99.H10",
        name="Tổ công tác",
        kind=AgencyKind.OTHER,
        parent=units.agency_a,
    )
    grandchild = agency_create(
        actor=units.admin_a,
        unit=units.commune_a,
        code="000.00.99.H11",
        name="Nhóm",
        kind=AgencyKind.OTHER,
        parent=child,
    )
    for parent in (units.agency_a, child, grandchild):
        with pytest.raises(OrganizationError) as excinfo:
            agency_update(
                actor=units.admin_a,
                agency_id=units.agency_a.pk,
                name=units.agency_a.name,
                kind=units.agency_a.kind,
                parent=parent,
            )
        assert excinfo.value.error_code == ErrorCode.PARENT_AGENCY_CYCLE
    assert Agency.objects.get(pk=units.agency_a.pk).parent_id is None


def test_department_create_update_scope_and_audit(units):
    department = department_create(
        actor=units.admin_a, agency=units.agency_a, code="Tu-Phap", name="Tư pháp - Hộ tịch"
    )
    assert department.code == "tu-phap"
    assert _audit("organizations.department.create", department).exists()
    with pytest.raises(OrganizationError) as excinfo:
        department_create(actor=units.admin_a, agency=units.agency_a, code="tu-phap", name="X")
    assert excinfo.value.error_code == ErrorCode.DEPARTMENT_CODE_TAKEN
    with pytest.raises(OrganizationPermissionDenied):
        department_create(actor=units.admin_a, agency=units.agency_b, code="x", name="X")
    with pytest.raises(OrganizationPermissionDenied):
        department_update(actor=units.admin_a, department_id=units.department_b.pk, name="X")
    department_update(
        actor=units.admin_a, department_id=department.pk, name="Tư pháp", is_active=False
    )
    department.refresh_from_db()
    assert (department.name, department.is_active) == ("Tư pháp", False)
    event = _audit("organizations.department.update", department).get()
    assert event.before == {"name": "Tư pháp - Hộ tịch", "is_active": True}
    assert Department.objects.get(pk=units.department_b.pk).name == "Văn phòng - Thống kê B"


def test_inactive_department_cannot_be_assigned(units):
    from egov.organizations.services import position_assign

    department_update(actor=None, department_id=units.department_a.pk, name="Cũ", is_active=False)
    with pytest.raises(OrganizationError) as excinfo:
        position_assign(
            actor=units.admin_a,
            user=units.clerk_a,
            role=Role.SPECIALIST,
            agency=units.agency_a,
            department=units.department_a,
        )
    assert excinfo.value.error_code == ErrorCode.DEPARTMENT_INACTIVE


def test_staff_who_moved_to_another_unit(units):
    """Ended in A, active in B: admin A may no longer edit or lock the account."""
    from egov.organizations.services import position_assign, position_end

    position_assign(actor=None, user=units.clerk_a, role=Role.SPECIALIST, agency=units.agency_b)
    position_end(
        actor=None,
        position_id=Position.objects.get(user=units.clerk_a, agency=units.agency_a).pk,
    )
    for call in (
        lambda: staff_user_deactivate(actor=units.admin_a, user_id=units.clerk_a.pk),
        lambda: staff_user_update(
            actor=units.admin_a, user_id=units.clerk_a.pk, email="", last_name="X", first_name="Y"
        ),
    ):
        with pytest.raises(OrganizationPermissionDenied):
            call()
    staff_user_update(
        actor=units.admin_b, user_id=units.clerk_a.pk, email="", last_name="X", first_name="Y"
    )


def test_staff_in_two_units_cannot_be_locked_by_one_admin(units):
    from egov.organizations.services import position_assign

    position_assign(actor=None, user=units.clerk_a, role=Role.SPECIALIST, agency=units.agency_b)
    staff_user_update(
        actor=units.admin_a, user_id=units.clerk_a.pk, email="", last_name="A", first_name="B"
    )
    with pytest.raises(OrganizationPermissionDenied):
        staff_user_deactivate(actor=units.admin_a, user_id=units.clerk_a.pk)
    units.clerk_a.refresh_from_db()
    assert units.clerk_a.is_active


def test_unit_admin_cannot_deactivate_own_agency(units):
    with pytest.raises(OrganizationError) as excinfo:
        agency_update(
            actor=units.admin_a,
            agency_id=units.agency_a.pk,
            name=units.agency_a.name,
            kind=units.agency_a.kind,
            is_active=False,
        )
    assert excinfo.value.error_code == ErrorCode.CANNOT_DEACTIVATE_OWN_AGENCY
    units.agency_a.refresh_from_db()
    assert units.agency_a.is_active
