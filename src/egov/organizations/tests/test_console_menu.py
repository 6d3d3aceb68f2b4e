"""What each role sees in the console: the rendered sidebar menu and the dashboard panel."""

import json
import re

import pytest
from django.urls import reverse

from egov.organizations.constants import Role
from egov.organizations.tests.conftest import make_staff
from egov.organizations.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UNIT_ADMIN_ITEMS = {"Quản trị đơn vị", "Cán bộ của đơn vị", "Lịch làm việc", "Cơ quan, phòng ban"}


def _menu(client, user):
    """``{name: label}`` of every main-menu item (submenu items included) on the dashboard."""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    props = json.loads(match.group(1))
    main_menu = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    items = {}

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").startswith("wagtail.sidebar.") and args:
                first = args[0]
                if isinstance(first, dict) and "label" in first:
                    name = first["name"]
                    name = name["_val"] if isinstance(name, dict) and "_val" in name else name
                    items[name] = first["label"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(main_menu["_args"][0])  # the menu items, not the account menu
    return items, html


def test_unit_admin_menu(client, units):
    items, _html = _menu(client, units.admin_a)
    assert set(items.values()) >= UNIT_ADMIN_ITEMS
    assert "Đơn vị hành chính" not in items.values()
    assert "settings" not in items  # Users, Groups, Sites...: system admins only
    assert "users" not in items and "groups" not in items
    assert "explorer" not in items and "images" not in items


def test_desk_clerk_menu_has_no_admin_items(client, units):
    items, _html = _menu(client, units.clerk_a)
    assert not UNIT_ADMIN_ITEMS & set(items.values())
    assert "settings" not in items and "unit-admin" not in items


def test_editor_menu_has_no_admin_items(client, units):
    # Pages, images and documents come with the editor's portal (egov.portal.editorial,
    # tests in portal/tests/test_editorial.py); a unit without a portal gives none.
    editor = make_staff(Role.EDITOR, units.agency_a)
    items, _html = _menu(client, editor)
    assert "unit-admin" not in items and "settings" not in items
    assert "explorer" not in items


def test_system_admin_menu(client, units):
    items, _html = _menu(client, units.sysadmin)
    assert set(items.values()) >= UNIT_ADMIN_ITEMS
    assert "Đơn vị hành chính" in items.values()
    assert {"settings", "users", "groups"} <= set(items)


def test_superuser_gets_the_system_admin_menu(client, units):
    items, _html = _menu(client, UserFactory(is_superuser=True, staff=True))
    assert {"settings", "unit-admin", "administrative-units"} <= set(items)


def test_settings_menu_hidden_even_with_a_stray_permission(client, units):
    """A group edited by hand must not open Wagtail's Users menu to a non-system admin."""
    from django.contrib.auth.models import Group, Permission

    stray = Group.objects.create(name="Nhóm lạ")
    stray.permissions.add(Permission.objects.get(codename="change_user"))
    units.clerk_a.groups.add(stray)
    items, _html = _menu(client, units.clerk_a)
    assert "settings" not in items


def test_dashboard_panel_lists_positions(client, units):
    _items, html = _menu(client, units.clerk_a)
    assert "Vai trò của bạn" in html
    assert "Cán bộ tiếp nhận (Một cửa)" in html
    assert "UBND xã An Phú" in html and "Xã An Phú" in html


def test_dashboard_panel_without_positions(client, db):
    user = UserFactory(staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    _items, html = _menu(client, user)
    assert "Bạn chưa được giao vai trò nào." in html


def test_administrative_units_read_only_for_system_admin(client, units):
    index = reverse("administrative_units:index")
    client.force_login(units.sysadmin)
    response = client.get(index, {"q": "An Phú"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Xã An Phú" in content and "Xã Bình Minh" not in content
    response = client.get(index, {"level": "province"})
    content = response.content.decode()
    assert "Tỉnh Thử" in content and "Xã An Phú" not in content
    edit = reverse("administrative_units:edit", args=[units.commune_a.pk])
    assert client.get(edit).status_code in (302, 403)
    assert client.post(edit, {"name": "Đổi tên", "is_active": "on"}).status_code in (302, 403)
    units.commune_a.refresh_from_db()
    assert units.commune_a.name == "Xã An Phú"
    assert client.get(reverse("administrative_units:add")).status_code in (302, 403)


def test_administrative_units_refused_to_unit_admin(client, units):
    client.force_login(units.admin_a)
    response = client.get(reverse("administrative_units:index"))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response["Location"] == reverse("wagtailadmin_home")
