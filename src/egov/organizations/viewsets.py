"""Wagtail viewsets: the administrative units list, read-only, for system admins.

Units come from the official lists (``manage.py import_units``): nobody edits them in the
console, so the permission policy grants "view" to system admins and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from egov.organizations.models import AdministrativeUnit
from egov.organizations.scope import is_system_admin

READ_ACTIONS = {"view"}


class SystemAdminReadOnlyPolicy(BasePermissionPolicy):  # type: ignore[misc]
    """System admins may view; nobody may add, change or delete."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return action in READ_ACTIONS and is_system_admin(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        users = get_user_model()._default_manager.filter(is_active=True)
        if not READ_ACTIONS.intersection(actions):
            return users.none()
        return users.filter(is_superuser=True) | users.filter(
            positions__role="system_admin", positions__is_active=True
        )

    def users_with_permission(self, action: str) -> QuerySet[Any]:
        return self.users_with_any_permission([action])


register_permission_policy(
    AdministrativeUnit, SystemAdminReadOnlyPolicy(AdministrativeUnit), exact_class=True
)


class AdministrativeUnitViewSet(ModelViewSet):  # type: ignore[misc]
    model = AdministrativeUnit
    icon = "site"
    menu_label = _("Đơn vị hành chính")
    add_to_admin_menu = False
    url_prefix = "administrative-units"
    name = "administrative_units"
    list_display = ["name", "code", "level", "kind", "parent", "scheme", "is_active"]
    list_filter = ["scheme", "level", "kind", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_fields = ["name", "code", "scheme", "level", "kind", "parent", "path", "is_active"]
    copy_view_enabled = False
    form_fields = ["name", "is_active"]
    list_export = ["code", "name", "level", "kind", "scheme", "path"]
    export_filename = "don-vi-hanh-chinh"

    def get_queryset(self, request: Any) -> QuerySet[AdministrativeUnit]:
        return AdministrativeUnit.objects.select_related("parent")


administrative_unit_viewset = AdministrativeUnitViewSet()
