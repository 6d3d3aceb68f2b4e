"""The catalogue in the staff console: the "Thủ tục hành chính" menu and its URLs.

Every staff member with console access sees the menu (browsing the catalogue is part of
every role's work); what they may change is decided per procedure by
``permissions.can_manage_procedure``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from egov.procedures import urls as console_urls
from egov.procedures.permissions import is_staff_user

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    """``wagtail.hooks.register`` with a type (Wagtail's own is untyped)."""
    return cast(Callable[[_F], _F], hooks.register(hook_name))


class StaffMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("procedures/", include(console_urls, namespace="egov_procedures"))]


@register("register_admin_menu_item")
def register_procedures_menu_item() -> MenuItem:
    return StaffMenuItem(
        _("Thủ tục hành chính"),
        reverse("egov_procedures:procedure_list"),
        name="procedures",
        icon_name="list-ul",
        order=300,
    )
