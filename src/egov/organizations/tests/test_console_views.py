"""The unit-admin console: access, scoping by guessed ids, form errors, effects and audit."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from egov.core.audit.models import AuditEvent
from egov.core.calendar.facade import CalendarEntry
from egov.organizations.constants import Role
from egov.organizations.models import Agency, Department, Position

pytestmark = pytest.mark.django_db

User = get_user_model()

TUESDAY = dt.date(2026, 3, 10)


def _login(client, user):
    client.force_login(user)
    return client


def _position(user):
    return Position.objects.get(user=user, is_active=True)


def _urls_for_objects_of(units, suffix):
    """Every object URL of unit ``suffix`` ("a" or "b")."""
    staff = getattr(units, f"clerk_{suffix}")
    agency = getattr(units, f"agency_{suffix}")
    department = getattr(units, f"department_{suffix}")
    return [
        reverse("egov_units:staff_edit", args=[staff.pk]),
        reverse("egov_units:staff_deactivate", args=[staff.pk]),
        reverse("egov_units:staff_reactivate", args=[staff.pk]),
        reverse("egov_units:position_assign", args=[staff.pk]),
        reverse("egov_units:position_end", args=[_position(staff).pk]),
        reverse("egov_units:agency_edit", args=[agency.pk]),
        reverse("egov_units:department_create", args=[agency.pk]),
        reverse("egov_units:department_edit", args=[department.pk]),
    ]


LIST_URLS = [
    "egov_units:staff_list",
    "egov_units:staff_create",
    "egov_units:agency_list",
    "egov_units:agency_create",
    "egov_units:calendar",
    "egov_units:calendar_create",
]


# --- Access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", LIST_URLS)
def test_desk_clerk_gets_403_on_unit_admin_views(client, units, name):
    response = _login(client, units.clerk_a).get(reverse(name))
    assert response.status_code == 403
    assert "Chỉ quản trị đơn vị mới được dùng chức năng này." in response.content.decode()


def test_desk_clerk_gets_403_on_object_views_and_changes_nothing(client, units):
    _login(client, units.clerk_b)
    for url in _urls_for_objects_of(units, "a"):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Đổi tên"}).status_code == 403, url
    assert _position(units.clerk_a).is_active


def test_anonymous_is_sent_to_login(client, units):
    response = client.get(reverse("egov_units:staff_list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", LIST_URLS)
def test_unit_admin_opens_every_screen(client, units, name):
    assert _login(client, units.admin_a).get(reverse(name)).status_code == 200


# --- Scoping: guessed ids from another unit are 404 ------------------------------------------


def test_unit_admin_of_a_gets_404_for_objects_of_b(client, units):
    _login(client, units.admin_a)
    for url in _urls_for_objects_of(units, "b"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "Đổi tên", "code": "x"}).status_code == 404, url
    assert _position(units.clerk_b).is_active
    assert Department.objects.get(pk=units.department_b.pk).name == "Văn phòng - Thống kê B"
    assert Agency.objects.get(pk=units.agency_b.pk).name == "UBND xã Bình Minh"
    assert User.objects.get(pk=units.clerk_b.pk).is_active


def test_unit_admin_of_a_sees_own_objects(client, units):
    _login(client, units.admin_a)
    for url in _urls_for_objects_of(units, "a"):
        if "reactivate" in url:
            continue
        assert client.get(url).status_code == 200, url


def test_staff_list_shows_only_own_unit(client, units):
    content = _login(client, units.admin_a).get(reverse("egov_units:staff_list")).content.decode()
    assert "motcua_a" in content and "qtv_a" in content
    assert "motcua_b" not in content and "qtv_b" not in content and "qtht" not in content


def test_staff_list_search(client, units):
    content = (
        _login(client, units.admin_a)
        .get(reverse("egov_units:staff_list"), {"q": "motcua"})
        .content.decode()
    )
    assert "motcua_a" in content and "qtv_a" not in content


def test_staff_list_agency_filter_stays_in_own_units(client, units):
    # motcua_a also works in unit B: filtering A's list by B's agency shows nobody.
    Position.objects.create(user=units.clerk_a, role=Role.SPECIALIST, agency=units.agency_b)
    url = reverse("egov_units:staff_list")
    _login(client, units.admin_a)
    assert "motcua_a" not in client.get(url, {"agency": units.agency_b.pk}).content.decode()
    assert "motcua_a" in client.get(url, {"agency": units.agency_a.pk}).content.decode()


def test_system_admin_sees_all_units_staff(client, units):
    content = _login(client, units.sysadmin).get(reverse("egov_units:staff_list")).content.decode()
    assert "motcua_a" in content and "motcua_b" in content


def test_agency_list_shows_only_own_unit(client, units):
    content = _login(client, units.admin_a).get(reverse("egov_units:agency_list")).content.decode()
    assert "UBND xã An Phú" in content and "Văn phòng - Thống kê A" in content
    assert "UBND xã Bình Minh" not in content and "Văn phòng - Thống kê B" not in content


# --- Positions ---------------------------------------------------------------------------------


def test_assign_position_in_own_unit(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:position_assign", args=[units.clerk_a.pk]),
        {
            "role": Role.SPECIALIST,
            "agency": units.agency_a.pk,
            "department": units.department_a.pk,
            "title": "Công chức Văn phòng",
        },
        REMOTE_ADDR="10.2.3.4",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("egov_units:staff_edit", args=[units.clerk_a.pk])
    position = Position.objects.get(user=units.clerk_a, role=Role.SPECIALIST)
    assert position.title == "Công chức Văn phòng"
    event = AuditEvent.objects.get(
        action="organizations.position.assign", object_id=str(position.pk)
    )
    assert event.actor == units.admin_a and event.ip_address == "10.2.3.4"


def test_assign_position_with_agency_of_other_unit_is_a_form_error(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:position_assign", args=[units.clerk_a.pk]),
        {"role": Role.SPECIALIST, "agency": units.agency_b.pk, "title": "Giữ lại chức vụ"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "không thuộc đơn vị bạn được quản trị" in content
    assert 'value="Giữ lại chức vụ"' in content  # nothing lost
    assert not Position.objects.filter(user=units.clerk_a, role=Role.SPECIALIST).exists()


def test_unit_admin_cannot_grant_system_admin(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:position_assign", args=[units.clerk_a.pk]),
        {"role": Role.SYSTEM_ADMIN, "agency": units.agency_a.pk},
    )
    assert response.status_code == 400
    assert "Bạn không được giao vai trò này." in response.content.decode()
    assert not Position.objects.filter(role=Role.SYSTEM_ADMIN, user=units.clerk_a).exists()
    form_page = client.get(reverse("egov_units:position_assign", args=[units.clerk_a.pk]))
    assert 'value="system_admin"' not in form_page.content.decode()


def test_department_of_other_agency_is_a_form_error(client, units):
    own_other_agency = Agency.objects.create(
        code="000.00.77.H01", name="Trạm Y tế", kind="public_service", unit=units.commune_a
    )
    response = _login(client, units.admin_a).post(
        reverse("egov_units:position_assign", args=[units.clerk_a.pk]),
        {
            "role": Role.SPECIALIST,
            "agency": own_other_agency.pk,
            "department": units.department_a.pk,
        },
    )
    assert response.status_code == 400
    assert "không thuộc cơ quan" in response.content.decode()


def test_end_position(client, units):
    position = _position(units.clerk_a)
    _login(client, units.admin_a)
    page = client.get(reverse("egov_units:position_end", args=[position.pk]))
    assert "Kết thúc vai trò" in page.content.decode()
    response = client.post(reverse("egov_units:position_end", args=[position.pk]))
    assert response.status_code == 302
    position.refresh_from_db()
    assert not position.is_active
    assert not units.clerk_a.groups.exists()
    assert AuditEvent.objects.filter(
        action="organizations.position.end", object_id=str(position.pk)
    ).exists()


def test_unit_admin_cannot_end_own_admin_role_message(client, units):
    position = _position(units.admin_a)
    response = _login(client, units.admin_a).post(
        reverse("egov_units:position_end", args=[position.pk])
    )
    assert response.status_code == 400
    assert "không thể tự kết thúc vai trò quản trị" in response.content.decode()
    position.refresh_from_db()
    assert position.is_active


# --- Staff accounts ----------------------------------------------------------------------------


def _create_payload(**overrides):
    data = {
        "username": "cb_moi",
        "last_name": "Võ Thị",
        "first_name": "Hoa",
        "email": "hoa@example.vn",
        "phone": "0909 123 456",
        "role": Role.DESK_CLERK,
        "title": "Công chức Một cửa",
        "password1": "",
        "password2": "",
    }
    data.update(overrides)
    return data


def test_create_staff_in_own_unit(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_create"),
        _create_payload(agency=units.agency_a.pk, department=units.department_a.pk),
    )
    assert response.status_code == 302
    user = User.objects.get(username="cb_moi")
    assert response["Location"] == reverse("egov_units:staff_edit", args=[user.pk])
    assert user.phone == "0909123456" and user.kind == "staff"
    assert _position(user).agency == units.agency_a
    assert AuditEvent.objects.filter(
        action="accounts.user.create_staff", actor=units.admin_a
    ).exists()


def test_create_staff_with_agency_of_other_unit_keeps_input(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_create"), _create_payload(agency=units.agency_b.pk)
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "không thuộc đơn vị bạn được quản trị" in content
    assert 'value="cb_moi"' in content and 'value="Võ Thị"' in content
    assert not User.objects.filter(username="cb_moi").exists()


def test_create_staff_duplicate_username_is_a_form_error(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_create"),
        _create_payload(username="motcua_b", agency=units.agency_a.pk),
    )
    assert response.status_code == 400
    assert "Tên đăng nhập “motcua_b” đã có người dùng." in response.content.decode()


def test_create_staff_password_checks(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_create"),
        _create_payload(agency=units.agency_a.pk, password1="Mat-khau-2026!", password2="khac"),
    )
    assert response.status_code == 400
    assert "Hai lần nhập mật khẩu không khớp." in response.content.decode()


def test_edit_staff_details(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_edit", args=[units.clerk_a.pk]),
        {"last_name": "Đỗ", "first_name": "Minh", "email": "minh@example.vn", "phone": ""},
    )
    assert response.status_code == 302
    units.clerk_a.refresh_from_db()
    assert units.clerk_a.get_full_name() == "Đỗ Minh"
    assert AuditEvent.objects.filter(
        action="accounts.user.update_staff", object_id=str(units.clerk_a.pk)
    ).exists()


def test_edit_staff_invalid_phone_is_400(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:staff_edit", args=[units.clerk_a.pk]),
        {"last_name": "Đỗ", "first_name": "Minh", "email": "", "phone": "abc"},
    )
    assert response.status_code == 400
    assert "Số điện thoại chỉ gồm chữ số" in response.content.decode()


def test_deactivate_and_reactivate_staff(client, units):
    _login(client, units.admin_a)
    response = client.post(reverse("egov_units:staff_deactivate", args=[units.clerk_a.pk]))
    assert response.status_code == 302
    units.clerk_a.refresh_from_db()
    assert not units.clerk_a.is_active
    # Still listed (history) and can be unlocked.
    assert "motcua_a" in client.get(reverse("egov_units:staff_list")).content.decode()
    response = client.post(reverse("egov_units:staff_reactivate", args=[units.clerk_a.pk]))
    assert response.status_code == 302
    units.clerk_a.refresh_from_db()
    assert units.clerk_a.is_active
    actions = set(
        AuditEvent.objects.filter(object_id=str(units.clerk_a.pk)).values_list("action", flat=True)
    )
    assert {"accounts.user.deactivate", "accounts.user.reactivate"} <= actions


# --- Agencies and departments ------------------------------------------------------------------


def test_create_and_edit_department(client, units):
    _login(client, units.admin_a)
    response = client.post(
        reverse("egov_units:department_create", args=[units.agency_a.pk]),
        {"code": "tu-phap", "name": "Tư pháp - Hộ tịch"},
    )
    assert response.status_code == 302
    department = Department.objects.get(agency=units.agency_a, code="tu-phap")
    response = client.post(
        reverse("egov_units:department_edit", args=[department.pk]),
        {"code": "tu-phap", "name": "Tư pháp", "is_active": "on"},
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.name == "Tư pháp"
    assert (
        AuditEvent.objects.filter(
            object_id=str(department.pk), action__startswith="organizations.department."
        ).count()
        == 2
    )


def test_department_duplicate_code_and_bad_code_are_form_errors(client, units):
    _login(client, units.admin_a)
    url = reverse("egov_units:department_create", args=[units.agency_a.pk])
    response = client.post(url, {"code": units.department_a.code, "name": "Trùng"})
    assert response.status_code == 400
    assert "đã được dùng cho một phòng, bộ phận khác" in response.content.decode()
    response = client.post(url, {"code": "Tư pháp", "name": "Sai mã"})
    assert response.status_code == 400
    assert "chữ thường không dấu" in response.content.decode()


def test_create_agency_unit_outside_scope_is_form_error(client, units):
    _login(client, units.admin_a)
    payload = {
        "unit": units.commune_b.pk,
        "code": "000.00.55.H01",
        "name": "Cơ quan lạ",
        "kind": "other",
    }
    response = client.post(reverse("egov_units:agency_create"), payload)
    assert response.status_code == 400
    assert 'value="Cơ quan lạ"' in response.content.decode()
    assert not Agency.objects.filter(code="000.00.55.H01").exists()
    payload["unit"] = units.commune_a.pk
    assert client.post(reverse("egov_units:agency_create"), payload).status_code == 302
    agency = Agency.objects.get(code="000.00.55.H01")
    assert agency.unit == units.commune_a
    assert AuditEvent.objects.filter(action="organizations.agency.create", object_id=str(agency.pk))


def test_edit_agency(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:agency_edit", args=[units.agency_a.pk]),
        {"name": "Ủy ban nhân dân xã An Phú", "kind": "people_committee", "is_active": "on"},
    )
    assert response.status_code == 302
    units.agency_a.refresh_from_db()
    assert units.agency_a.name == "Ủy ban nhân dân xã An Phú"


# --- Calendar ----------------------------------------------------------------------------------


def _calendar_payload(unit, **overrides):
    data = {
        "unit": unit.pk if unit is not None else "",
        "date": TUESDAY.strftime("%d/%m/%Y"),
        "kind": "day_off",
        "name": "Nghỉ bù ngày bầu cử",
    }
    data.update(overrides)
    return data


def test_calendar_create_list_delete(client, units):
    _login(client, units.admin_a)
    response = client.post(
        reverse("egov_units:calendar_create"), _calendar_payload(units.commune_a)
    )
    assert response.status_code == 302
    entry = CalendarEntry.objects.get(unit=units.commune_a, date=TUESDAY)
    assert AuditEvent.objects.filter(object_id=str(entry.pk), actor=units.admin_a).exists()
    page = client.get(reverse("egov_units:calendar"), {"year": 2026}).content.decode()
    assert "Nghỉ bù ngày bầu cử" in page and "10/03/2026" in page
    assert "Quốc khánh" in page  # the year's holidays from the package
    response = client.post(reverse("egov_units:calendar_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not CalendarEntry.objects.filter(pk=entry.pk).exists()


def test_calendar_overlap_shows_calendar_message(client, units):
    _login(client, units.admin_a)
    client.post(reverse("egov_units:calendar_create"), _calendar_payload(units.commune_a))
    response = client.post(
        reverse("egov_units:calendar_create"),
        _calendar_payload(units.commune_a, name="Mục thứ hai"),
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "đã có trong lịch" in content
    assert 'value="Mục thứ hai"' in content
    assert CalendarEntry.objects.filter(unit=units.commune_a).count() == 1


def test_calendar_bad_date_is_400(client, units):
    response = _login(client, units.admin_a).post(
        reverse("egov_units:calendar_create"), _calendar_payload(units.commune_a, date="31/02/2026")
    )
    assert response.status_code == 400
    assert "Ngày không hợp lệ" in response.content.decode()


def test_calendar_other_unit_is_form_error_and_404(client, units):
    entry_b = CalendarEntry.objects.create(
        unit=units.commune_b, date=TUESDAY, kind="day_off", name="Lịch của xã B"
    )
    national = CalendarEntry.objects.create(
        unit=None, date=dt.date(2026, 3, 11), kind="day_off", name="Nghỉ chung"
    )
    _login(client, units.admin_a)
    response = client.post(
        reverse("egov_units:calendar_create"), _calendar_payload(units.commune_b)
    )
    assert response.status_code == 400
    assert not CalendarEntry.objects.filter(unit=units.commune_b, name="Nghỉ bù ngày bầu cử")
    for entry in (entry_b, national):
        url = reverse("egov_units:calendar_delete", args=[entry.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
        assert CalendarEntry.objects.filter(pk=entry.pk).exists()
    page = client.get(reverse("egov_units:calendar"), {"year": 2026}).content.decode()
    assert "Lịch của xã B" not in page
    assert "Nghỉ chung" in page  # nationwide entries: read-only
    assert reverse("egov_units:calendar_delete", args=[national.pk]) not in page


def test_calendar_system_admin_adds_nationwide_entry(client, units):
    response = _login(client, units.sysadmin).post(
        reverse("egov_units:calendar_create"),
        _calendar_payload(None, name="Nghỉ bù toàn quốc"),
    )
    assert response.status_code == 302
    assert CalendarEntry.objects.filter(unit__isnull=True, name="Nghỉ bù toàn quốc").exists()


def test_calendar_bad_year_falls_back(client, units):
    response = _login(client, units.admin_a).get(reverse("egov_units:calendar"), {"year": "abc"})
    assert response.status_code == 200


# --- Query counts: lists do not grow with their rows -------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["egov_units:staff_list", "egov_units:agency_list", "egov_units:calendar"]
)
def test_lists_use_a_fixed_number_of_queries(client, units, name):
    from egov.organizations.tests.conftest import make_staff
    from egov.organizations.tests.factories import AgencyFactory, DepartmentFactory

    _login(client, units.admin_a)
    url = reverse(name)
    _queries(client, url)  # warm caches (content types, site, menu)
    before = _queries(client, url)
    for n in range(5):
        agency = AgencyFactory(unit=units.commune_a)
        make_staff(Role.SPECIALIST, agency, DepartmentFactory(agency=agency))
        CalendarEntry.objects.create(
            unit=units.commune_a,
            date=dt.date(timezone.localdate().year, 4, 6 + n),
            kind="day_off",
            name=f"Nghỉ {n}",
        )
    assert _queries(client, url) == before
