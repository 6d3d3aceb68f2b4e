"""Role → Django permissions: the single source of what each role may open in the console.

One Django ``Group`` per role, named with the role's Vietnamese label
(``Role.UNIT_ADMIN`` → group “Quản trị đơn vị”).  ``roles_sync()`` creates the groups and
sets their permissions to exactly what ``ROLE_GRANTS`` says (idempotent); it runs after
every ``migrate`` (``post_migrate``, see ``apps.py``) and from ``manage.py sync_roles``.
``user_sync_groups(user)`` puts a user in the groups of the roles they hold through active
positions (and takes them out of the other role groups; groups that are not role groups
are left alone).

Permissions say *which screens* a role may open; *which records* it sees there is the
scope's job (``scope.units_actionable_by``): a unit admin's views list their own unit only.
Later modules add their permissions to ``ROLE_GRANTS`` here.

Modules above ``organizations`` that keep groups of their own in step with positions (the
portal's per-portal editor and moderator groups) register a function with
``group_syncer_register(key, fn)``: ``fn(user)`` runs at the end of every
``user_sync_groups(user)``, in the caller's transaction, so it follows every position
change (assign, end, account locked).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation

from egov.organizations.constants import Role

logger = logging.getLogger(__name__)

ACCESS_ADMIN = "wagtailadmin.access_admin"
ADMINISTER_UNIT = "organizations.administer_unit"


@dataclass(frozen=True)
class RoleGrant:
    """What one role's group receives.

    * ``permissions``: ``"app_label.codename"`` (``"app_label.*"`` = every permission of
      the app), given to the group;
    * ``page_permissions``: Wagtail page permission codenames (``"change_page"``...) on
      the root of the page tree;
    * ``collection_permissions``: Wagtail image/document permissions
      (``"wagtailimages.add_image"``...) on the root collection.
    """

    permissions: tuple[str, ...] = ()
    page_permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()


_CHOOSE_MEDIA = ("wagtailimages.choose_image", "wagtaildocs.choose_document")

ROLE_GRANTS: dict[Role, RoleGrant] = {
    Role.DESK_CLERK: RoleGrant(permissions=(ACCESS_ADMIN,)),
    Role.SPECIALIST: RoleGrant(permissions=(ACCESS_ADMIN,)),
    Role.DEPARTMENT_HEAD: RoleGrant(permissions=(ACCESS_ADMIN,)),
    Role.LEADER: RoleGrant(permissions=(ACCESS_ADMIN,)),
    # Portal editors and moderators: *where* they may edit (their portal's home page) and
    # upload (their portal's collection) is granted per portal by ``egov.portal.editorial``;
    # here only the console and choosing any image or document (the shared ones too).
    Role.EDITOR: RoleGrant(permissions=(ACCESS_ADMIN,), collection_permissions=_CHOOSE_MEDIA),
    Role.PORTAL_MODERATOR: RoleGrant(
        permissions=(ACCESS_ADMIN,), collection_permissions=_CHOOSE_MEDIA
    ),
    Role.CLERK_OFFICE: RoleGrant(permissions=(ACCESS_ADMIN,)),
    Role.JUSTICE_OFFICER: RoleGrant(permissions=(ACCESS_ADMIN,)),
    Role.UNIT_ADMIN: RoleGrant(permissions=(ACCESS_ADMIN, ADMINISTER_UNIT)),
    Role.SYSTEM_ADMIN: RoleGrant(
        permissions=(
            ACCESS_ADMIN,
            "organizations.*",
            "audit.view_auditevent",
            "attachments.view_attachment",
            # User and group management (Wagtail's "Users" and "Groups").
            "accounts.add_user",
            "accounts.change_user",
            "accounts.delete_user",
            "accounts.view_user",
            "auth.add_group",
            "auth.change_group",
            "auth.delete_group",
            "auth.view_group",
            # Wagtail's "Settings": sites, collections, redirects.
            "wagtailcore.add_site",
            "wagtailcore.change_site",
            "wagtailcore.delete_site",
            "wagtailcore.add_collection",
            "wagtailcore.change_collection",
            "wagtailcore.delete_collection",
            "wagtailredirects.add_redirect",
            "wagtailredirects.change_redirect",
            "wagtailredirects.delete_redirect",
            # Notifications: delivery log (resend), templates, opt-outs.
            "notifications.view_message",
            "notifications.change_message",
            "notifications.view_templateoverride",
            "notifications.change_templateoverride",
            "notifications.view_optout",
            "notifications.add_optout",
            "notifications.delete_optout",
        ),
    ),
}


def group_name(role: str) -> str:
    """The group of ``role``: its Vietnamese label, whatever language is active."""
    with translation.override("vi"):
        return str(Role(role).label)


def role_group_names() -> dict[str, str]:
    """``{group name: role}`` for every role."""
    return {group_name(role): str(role) for role in Role}


def _resolve(perms: Iterable[str]) -> tuple[list[Permission], list[str]]:
    """The ``Permission`` rows for ``"app.codename"`` / ``"app.*"``, and the names not found."""
    found: list[Permission] = []
    missing: list[str] = []
    for name in perms:
        app_label, _dot, codename = name.partition(".")
        if codename == "*":
            rows = list(Permission.objects.filter(content_type__app_label=app_label))
        else:
            rows = list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        if rows:
            found.extend(rows)
        else:
            missing.append(name)
    return found, missing


@dataclass
class SyncReport:
    groups_created: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _sync_page_permissions(group: Group, codenames: tuple[str, ...], report: SyncReport) -> None:
    if not global_apps.is_installed("wagtail"):
        return
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    wanted: list[Permission] = []
    for codename in codenames:
        perm = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if perm is None:
            report.missing.append(f"page:{codename}")
        else:
            wanted.append(perm)
    existing = GroupPagePermission.objects.filter(group=group)
    if root is None:
        if wanted:
            report.missing.append("page:<root>")
        existing.delete()
        return
    existing.exclude(page=root, permission__in=wanted).delete()
    for perm in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)


def _sync_collection_permissions(group: Group, names: tuple[str, ...], report: SyncReport) -> None:
    if not global_apps.is_installed("wagtail"):
        return
    from wagtail.models import Collection, GroupCollectionPermission

    wanted, missing = _resolve(names)
    report.missing.extend(f"collection:{name}" for name in missing)
    existing = GroupCollectionPermission.objects.filter(group=group)
    root = Collection.get_first_root_node()
    if root is None:
        if wanted:
            report.missing.append("collection:<root>")
        existing.delete()
        return
    existing.exclude(collection=root, permission__in=wanted).delete()
    for perm in wanted:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=perm
        )


@transaction.atomic
def roles_sync() -> SyncReport:
    """Create or update one group per role with exactly the permissions of ``ROLE_GRANTS``.

    Idempotent.  Permissions that do not exist (an app not migrated yet) are skipped and
    listed in the report's ``missing``.
    """
    report = SyncReport()
    for role, grant in ROLE_GRANTS.items():
        group, created = Group.objects.get_or_create(name=group_name(role))
        if created:
            report.groups_created.append(group.name)
        perms, missing = _resolve(grant.permissions)
        report.missing.extend(missing)
        group.permissions.set(perms)
        _sync_page_permissions(group, grant.page_permissions, report)
        _sync_collection_permissions(group, grant.collection_permissions, report)
    if report.missing:
        logger.warning("roles_sync: permissions not found: %s", ", ".join(report.missing))
    return report


GroupSyncer = Callable[[Any], None]

_group_syncers: dict[str, GroupSyncer] = {}


def group_syncer_register(key: str, fn: GroupSyncer) -> None:
    """Run ``fn(user)`` after every ``user_sync_groups(user)``.

    Keyed: registering the same key again replaces the function (reloads, tests).
    Modules register from their ``AppConfig.ready``, so every process has the same list.
    """
    _group_syncers[key] = fn


def user_sync_groups(user: Any) -> None:
    """Put ``user`` in the groups of their active roles, out of the other role groups.

    Then the registered group syncers keep their own groups in step (``group_syncer_register``).
    """
    from egov.organizations.scope import active_positions

    names = role_group_names()
    held = set(active_positions(user).values_list("role", flat=True)) if user.is_active else set()
    wanted_names = [name for name, role in names.items() if role in held]
    current_role_groups = user.groups.filter(name__in=list(names))
    to_remove = current_role_groups.exclude(name__in=wanted_names)
    if to_remove.exists():
        user.groups.remove(*to_remove)
    missing_names = set(wanted_names) - set(current_role_groups.values_list("name", flat=True))
    if missing_names:
        groups = list(Group.objects.filter(name__in=missing_names))
        if len(groups) < len(missing_names):
            # Groups not synced yet (a fresh database before ``sync_roles``): create them now.
            roles_sync()
            groups = list(Group.objects.filter(name__in=missing_names))
        user.groups.add(*groups)
    for syncer in list(_group_syncers.values()):
        syncer(user)
