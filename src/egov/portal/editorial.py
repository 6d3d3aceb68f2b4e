"""Editorial rights and review of the portals: who edits which portal, and who approves.

Every portal (every ``PortalHomePage``: the district's and each commune's, ADR 0016) gets:

* the group **“Biên tập viên – <portal>”**: add, change, lock and unlock pages on the
  portal's home, that is its whole sub-tree; **no publish**;
* the group **“Kiểm duyệt – <portal>”**: the same and ``publish_page``;
* the collection **“Ảnh, tài liệu – <portal>”** (inside the collection of the portal above
  it, or the root): both groups add, change and choose images and documents there; the
  role groups (``organizations.roles``) may only *choose* any image or document;
* the workflow **“Duyệt tin bài – <portal>”** assigned to the home, with one
  ``GroupApprovalTask`` “Kiểm duyệt – <portal>” that the portal's moderators **and the
  moderators of the portals above it** approve (the district reviews its communes too).

Members follow positions: a user holding an active ``Role.EDITOR`` (``Role.PORTAL_MODERATOR``)
position in an agency whose unit is the portal's ``unit`` is in its editors' (moderators')
group, and in no other such group.  ``editorial_user_sync(user)`` runs after every
``user_sync_groups`` (registered in ``apps.py``); ``editorial_setup_portal(home)`` runs when
a portal home is created, renamed or given another unit; ``editorial_setup()`` (all
portals, ``manage.py portal_editorial_setup``, after every ``migrate``) repairs the rest.

Wagtail's page permissions inherit down the tree, so the district's editors also edit the
communes' portals (which sit under the district home).  An editor cannot publish; with a
workflow on the page they submit it, and the task's approval publishes it (or schedules it
when “go live” is in the future: ``core.publish_scheduled`` runs every minute).

The groups, collection and workflow are found again by what they grant (the group with
``change_page`` on the home and the name prefix; the workflow assigned to the home), not by
name, and renamed with the portal.  A workflow switched off in Settings → Workflows is left
off.  Names are stored data, always Vietnamese.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from egov.organizations.facade import Position, Role, active_positions
from egov.portal.models import PortalHomePage

logger = logging.getLogger(__name__)

EDITORS_PREFIX = "Biên tập viên – "
MODERATORS_PREFIX = "Kiểm duyệt – "
WORKFLOW_PREFIX = "Duyệt tin bài – "
COLLECTION_PREFIX = "Ảnh, tài liệu – "

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "lock_page", "unlock_page")
MODERATOR_PAGE_PERMISSIONS = (*EDITOR_PAGE_PERMISSIONS, "publish_page")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
# The permission that identifies a portal's group (every portal group has it on its home).
_KEY_PERMISSION = "change_page"
_GROUP_NAME_MAX = 150  # auth.Group.name
_NAME_MAX = 255  # Workflow.name, Task.name, Collection.name


@dataclass(frozen=True)
class _Kind:
    role: str
    prefix: str
    page_permissions: tuple[str, ...]


EDITORS = _Kind(Role.EDITOR, EDITORS_PREFIX, EDITOR_PAGE_PERMISSIONS)
MODERATORS = _Kind(Role.PORTAL_MODERATOR, MODERATORS_PREFIX, MODERATOR_PAGE_PERMISSIONS)
KINDS = (EDITORS, MODERATORS)


@dataclass
class PortalEditorial:
    """What one portal has after ``editorial_setup_portal``."""

    home: PortalHomePage
    editors: Group
    moderators: Group
    collection: Collection
    workflow: Workflow | None  # None: switched off by an administrator


@dataclass
class EditorialSetupResult:
    portals: int = 0
    groups_created: list[str] = field(default_factory=list)
    groups_removed: list[str] = field(default_factory=list)
    collections_created: list[str] = field(default_factory=list)
    workflows_created: list[str] = field(default_factory=list)
    workflows_off: list[str] = field(default_factory=list)
    memberships_changed: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.groups_created
            or self.groups_removed
            or self.collections_created
            or self.workflows_created
            or self.memberships_changed
        )


# --- Names -----------------------------------------------------------------------------------


def _name(prefix: str, home: PortalHomePage, limit: int, suffix: str = "") -> str:
    room = limit - len(prefix) - len(suffix)
    title = home.title.strip()
    if len(title) > room:
        title = title[: room - 1].rstrip() + "…"
    return f"{prefix}{title}{suffix}"


def group_name_for(kind: _Kind, home: PortalHomePage, own: Group | None = None) -> str:
    """The group's name: the prefix and the portal's title (and the page id on a clash).

    A group of that name that grants nothing any more (its portal was deleted) is reused;
    one that belongs to another portal of the same title is not.
    """
    name = _name(kind.prefix, home, _GROUP_NAME_MAX)
    others = Group.objects.filter(name=name, page_permissions__isnull=False)
    if own is not None:
        others = others.exclude(pk=own.pk)
    if others.exists():
        name = _name(kind.prefix, home, _GROUP_NAME_MAX, f" (#{home.pk})")
    return name


# --- Lookups ---------------------------------------------------------------------------------


def _managed_groups_q() -> Q:
    return Q(name__startswith=EDITORS_PREFIX) | Q(name__startswith=MODERATORS_PREFIX)


def portal_group(home: PortalHomePage, kind: _Kind) -> Group | None:
    """The editors' or moderators' group of ``home``, if it was set up."""
    return (
        Group.objects.filter(
            name__startswith=kind.prefix,
            page_permissions__page=home,
            page_permissions__permission__codename=_KEY_PERMISSION,
        )
        .order_by("pk")
        .first()
    )


def _portal_groups_of_units(kind: _Kind, unit_ids: Iterable[int]) -> set[int]:
    homes = PortalHomePage.objects.filter(unit_id__in=list(unit_ids)).values("pk")
    return set(
        Group.objects.filter(
            name__startswith=kind.prefix,
            page_permissions__page__in=homes,
            page_permissions__permission__codename=_KEY_PERMISSION,
        ).values_list("pk", flat=True)
    )


def _ancestor_portals(home: PortalHomePage) -> list[PortalHomePage]:
    return list(PortalHomePage.objects.ancestor_of(home).order_by("depth"))


def _page_permissions(codenames: Iterable[str]) -> list[Permission]:
    perms = list(
        Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=codenames)
    )
    missing = set(codenames) - {p.codename for p in perms}
    if missing:
        raise LookupError(f"Wagtail page permissions missing: {', '.join(sorted(missing))}")
    return perms


def _media_permissions() -> list[Permission]:
    query = Q()
    for app_label, codename in MEDIA_PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


# --- Setting up one portal -------------------------------------------------------------------


def _ensure_group(home: PortalHomePage, kind: _Kind, result: EditorialSetupResult) -> Group:
    group = portal_group(home, kind)
    name = group_name_for(kind, home, group)
    if group is None:
        group, created = Group.objects.get_or_create(name=name)
        if created:
            result.groups_created.append(name)
    elif group.name != name:
        group.name = name
        group.save(update_fields=["name"])
    wanted = _page_permissions(kind.page_permissions)
    GroupPagePermission.objects.filter(group=group).exclude(
        page=home, permission__in=wanted
    ).delete()
    for perm in wanted:
        GroupPagePermission.objects.get_or_create(group=group, page=home, permission=perm)
    return group


def _ensure_collection(
    home: PortalHomePage,
    editors: Group,
    moderators: Group,
    parent_home: PortalHomePage | None,
    result: EditorialSetupResult,
) -> Collection:
    name = _name(COLLECTION_PREFIX, home, _NAME_MAX)
    link = (
        GroupCollectionPermission.objects.filter(group=editors, permission__codename="add_image")
        .select_related("collection")
        .order_by("pk")
        .first()
    )
    if link is not None:
        collection = link.collection
        if collection.name != name:
            collection.name = name
            collection.save(update_fields=["name"])
    else:
        parent: Collection | None = None
        if parent_home is not None:
            parent_editors = portal_group(parent_home, EDITORS)
            parent_link = (
                GroupCollectionPermission.objects.filter(
                    group=parent_editors, permission__codename="add_image"
                )
                .select_related("collection")
                .first()
                if parent_editors is not None
                else None
            )
            parent = parent_link.collection if parent_link is not None else None
        if parent is None:
            parent = Collection.get_first_root_node()
        existing = parent.get_children().filter(name=name).first()
        if existing is not None:
            collection = existing
        else:
            collection = parent.add_child(name=name)
            result.collections_created.append(name)
    wanted = _media_permissions()
    for group in (editors, moderators):
        GroupCollectionPermission.objects.filter(group=group).exclude(
            collection=collection, permission__in=wanted
        ).delete()
        for perm in wanted:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=perm
            )
    return collection


def _ensure_workflow(
    home: PortalHomePage, approvers: list[Group], result: EditorialSetupResult
) -> Workflow | None:
    name = _name(WORKFLOW_PREFIX, home, _NAME_MAX)
    link = WorkflowPage.objects.select_related("workflow").filter(page=home).first()
    if link is not None:
        workflow = link.workflow
    else:
        workflow = Workflow.objects.filter(name=name).order_by("pk").first()
        if workflow is not None and not workflow.active:
            # Switched off by an administrator (Settings → Workflows → Disable): left off.
            result.workflows_off.append(name)
            return None
        if workflow is None:
            workflow = Workflow.objects.create(name=name, active=True)
            result.workflows_created.append(name)
        WorkflowPage.objects.create(page=home, workflow=workflow)
    if not workflow.name.startswith(WORKFLOW_PREFIX):
        return workflow  # an administrator's own workflow on this portal: theirs to manage
    if workflow.name != name:
        workflow.name = name
        workflow.save(update_fields=["name"])
    _ensure_task(workflow, home, approvers)
    return workflow


def _ensure_task(workflow: Workflow, home: PortalHomePage, approvers: list[Group]) -> None:
    task_name = _name(MODERATORS_PREFIX, home, _NAME_MAX)
    task: GroupApprovalTask | None = None
    for link in WorkflowTask.objects.filter(workflow=workflow).select_related("task"):
        specific = link.task.specific
        if isinstance(specific, GroupApprovalTask) and specific.name.startswith(MODERATORS_PREFIX):
            task = specific
            break
    if task is None:
        task = GroupApprovalTask.objects.create(name=task_name)
        last = WorkflowTask.objects.filter(workflow=workflow).order_by("-sort_order").first()
        sort_order = (last.sort_order or 0) + 1 if last is not None else 0
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=sort_order)
    elif task.name != task_name or not task.active:
        task.name = task_name
        task.active = True
        task.save(update_fields=["name", "active"])
    # The portal's moderators and those of the portals above; groups an administrator added
    # by hand stay.
    current = set(task.groups.values_list("pk", flat=True))
    wanted = {group.pk for group in approvers}
    stale = task.groups.filter(_managed_groups_q()).exclude(pk__in=wanted)
    if stale.exists():
        task.groups.remove(*stale)
    missing = [group for group in approvers if group.pk not in current]
    if missing:
        task.groups.add(*missing)


def _holders(home: PortalHomePage, kind: _Kind) -> set[int]:
    if home.unit_id is None:
        return set()
    return set(
        Position.objects.filter(
            role=kind.role,
            is_active=True,
            agency__is_active=True,
            agency__unit_id=home.unit_id,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def _sync_members(group: Group, user_ids: set[int]) -> int:
    current = set(group.user_set.values_list("pk", flat=True))
    gone, new = current - user_ids, user_ids - current
    if gone:
        group.user_set.remove(*gone)
    if new:
        group.user_set.add(*new)
    return len(gone) + len(new)


@transaction.atomic
def editorial_setup_portal(
    home: PortalHomePage, result: EditorialSetupResult | None = None
) -> PortalEditorial:
    """Groups, page and media permissions, workflow and members of one portal (idempotent)."""
    result = result if result is not None else EditorialSetupResult()
    result.portals += 1
    ancestors = _ancestor_portals(home)
    editors = _ensure_group(home, EDITORS, result)
    moderators = _ensure_group(home, MODERATORS, result)
    collection = _ensure_collection(
        home, editors, moderators, ancestors[-1] if ancestors else None, result
    )
    approvers = [moderators]
    for ancestor in reversed(ancestors):
        group = portal_group(ancestor, MODERATORS)
        if group is not None:
            approvers.append(group)
    workflow = _ensure_workflow(home, approvers, result)
    for kind, group in ((EDITORS, editors), (MODERATORS, moderators)):
        result.memberships_changed += _sync_members(group, _holders(home, kind))
    return PortalEditorial(home, editors, moderators, collection, workflow)


@transaction.atomic
def editorial_setup() -> EditorialSetupResult:
    """Set up every portal, parents first, and drop the groups of deleted portals."""
    result = EditorialSetupResult()
    for home in PortalHomePage.objects.order_by("path"):
        editorial_setup_portal(home, result)
    orphans = Group.objects.filter(_managed_groups_q(), page_permissions__isnull=True)
    for group in orphans:
        result.groups_removed.append(group.name)
        group.delete()
    if result.workflows_off:
        logger.info("portal editorial: workflows left off: %s", ", ".join(result.workflows_off))
    return result


# --- Members follow positions ----------------------------------------------------------------


def editorial_user_sync(user: Any) -> None:
    """Put ``user`` in the editors' / moderators' groups of the portals of their units.

    Called after every ``user_sync_groups(user)`` (position assigned or ended, account
    locked): out of every other portal group.
    """
    if getattr(user, "pk", None) is None:
        return
    wanted: set[int] = set()
    if user.is_active:
        held = list(
            active_positions(user)
            .filter(role__in=[kind.role for kind in KINDS])
            .values_list("role", "agency__unit_id")
        )
        for kind in KINDS:
            unit_ids = {unit_id for role, unit_id in held if role == kind.role}
            if unit_ids:
                wanted |= _portal_groups_of_units(kind, unit_ids)
    current = set(user.groups.filter(_managed_groups_q()).values_list("pk", flat=True))
    if current - wanted:
        user.groups.remove(*(current - wanted))
    if wanted - current:
        user.groups.add(*(wanted - current))
