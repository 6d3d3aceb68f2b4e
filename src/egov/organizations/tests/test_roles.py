from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import translation
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from egov.organizations.constants import Role
from egov.organizations.roles import ROLE_GRANTS, group_name, roles_sync

pytestmark = pytest.mark.django_db


def _perms(role):
    group = Group.objects.get(name=group_name(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def _counts():
    return (
        Group.objects.count(),
        sum(g.permissions.count() for g in Group.objects.all()),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
    )


def test_migrate_created_one_group_per_role_named_in_vietnamese():
    # post_migrate ran roles_sync when the test database was created.
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "Cán bộ tiếp nhận (Một cửa)",
        "Chuyên viên xử lý",
        "Lãnh đạo phòng",
        "Lãnh đạo UBND",
        "Biên tập viên cổng thông tin",
        "Kiểm duyệt tin bài cổng thông tin",
        "Văn thư",
        "Công chức Tư pháp - Hộ tịch",
        "Quản trị đơn vị",
        "Quản trị hệ thống",
    } <= names
    assert set(ROLE_GRANTS) == set(Role)


def test_group_name_does_not_depend_on_active_language():
    with translation.override("en"):
        assert group_name(Role.UNIT_ADMIN) == "Quản trị đơn vị"


def test_roles_sync_is_idempotent():
    roles_sync()
    before = _counts()
    report = roles_sync()
    assert report.groups_created == []
    assert report.missing == []  # every permission named in ROLE_GRANTS exists
    assert _counts() == before


def test_roles_sync_restores_exact_permissions():
    group = Group.objects.get(name=group_name(Role.DESK_CLERK))
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    Group.objects.filter(name=group_name(Role.SPECIALIST)).delete()

    report = roles_sync()

    assert report.groups_created == [group_name(Role.SPECIALIST)]
    assert _perms(Role.DESK_CLERK) == {"wagtailadmin.access_admin"}
    assert _perms(Role.SPECIALIST) == {"wagtailadmin.access_admin"}


def test_every_staff_role_gets_admin_access():
    roles_sync()
    for role in Role:
        assert "wagtailadmin.access_admin" in _perms(role), role


@pytest.mark.parametrize(
    "role",
    [
        Role.DESK_CLERK,
        Role.SPECIALIST,
        Role.DEPARTMENT_HEAD,
        Role.LEADER,
        Role.CLERK_OFFICE,
        Role.JUSTICE_OFFICER,
    ],
)
def test_module_roles_get_only_admin_access_for_now(role):
    roles_sync()
    assert _perms(role) == {"wagtailadmin.access_admin"}


def test_unit_admin_gets_console_permission_but_no_user_management():
    roles_sync()
    perms = _perms(Role.UNIT_ADMIN)
    assert perms == {"wagtailadmin.access_admin", "organizations.administer_unit"}


def test_system_admin_permissions():
    roles_sync()
    perms = _perms(Role.SYSTEM_ADMIN)
    assert {
        "wagtailadmin.access_admin",
        "audit.view_auditevent",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.delete_user",
        "auth.change_group",
        "organizations.administer_unit",
        "organizations.add_agency",
        "organizations.change_department",
        "organizations.view_position",
    } <= perms
    organizations_perms = set(
        Permission.objects.filter(content_type__app_label="organizations").values_list(
            "codename", flat=True
        )
    )
    assert {f"organizations.{c}" for c in organizations_perms} <= perms
    assert "attachments.view_attachment" in perms


@pytest.mark.parametrize("role", [Role.EDITOR, Role.PORTAL_MODERATOR])
def test_portal_roles_get_no_page_permissions_and_only_choose_media_on_the_root(role):
    """Where an editor edits is their portal's business (``egov.portal.editorial``)."""
    roles_sync()
    group = Group.objects.get(name=group_name(role))
    assert _perms(role) == {"wagtailadmin.access_admin"}
    assert not GroupPagePermission.objects.filter(group=group).exists()
    media = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection_id", "permission__codename"
        )
    )
    root_collection = Collection.get_first_root_node()
    assert media == {(root_collection.pk, "choose_image"), (root_collection.pk, "choose_document")}
    # Other roles get no page or media permissions.
    clerk = Group.objects.get(name=group_name(Role.DESK_CLERK))
    assert not GroupPagePermission.objects.filter(group=clerk).exists()
    assert not GroupCollectionPermission.objects.filter(group=clerk).exists()


def test_roles_sync_removes_a_stray_page_permission_on_the_root():
    """An upgrade from the time editors published anywhere: the root permission goes."""
    group = Group.objects.get(name=group_name(Role.EDITOR))
    publish = Permission.objects.get(content_type__app_label="wagtailcore", codename="publish_page")
    GroupPagePermission.objects.create(
        group=group, page=Page.get_first_root_node(), permission=publish
    )
    roles_sync()
    assert not GroupPagePermission.objects.filter(group=group).exists()


def test_registered_group_syncer_runs_after_user_sync_groups():
    from egov.organizations.roles import _group_syncers, group_syncer_register, user_sync_groups
    from egov.organizations.tests.factories import UserFactory

    seen = []
    saved = dict(_group_syncers)
    try:
        group_syncer_register("test.seen", seen.append)
        group_syncer_register("test.seen", lambda user: seen.append(("again", user)))
        user = UserFactory(staff=True)
        user_sync_groups(user)
    finally:
        _group_syncers.clear()
        _group_syncers.update(saved)
    assert seen == [("again", user)]


def test_sync_roles_command():
    out = StringIO()
    call_command("sync_roles", stdout=out, stderr=StringIO())
    assert "Đã đồng bộ nhóm quyền theo vai trò." in out.getvalue()
    assert Group.objects.filter(name="Quản trị hệ thống").exists()
