"""The organizations module in the staff console (Wagtail admin at ``/admin/``).

* URLs of the unit-admin screens (``/admin/unit-admin/…``, namespace ``egov_units``);
* the "Quản trị đơn vị" menu: staff, calendar, agencies and departments for unit admins
  (and system admins), administrative units (read-only) for system admins.  Other modules
  may add items to it with the ``register_unit_admin_menu_item`` hook;
* Wagtail's own "Settings" menu (users, groups, sites...) for system admins only;
* the dashboard panel "Vai trò của bạn".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component

from egov.organizations import urls as console_urls
from egov.organizations.scope import is_system_admin
from egov.organizations.selectors import is_unit_admin, my_positions
from egov.organizations.viewsets import administrative_unit_viewset

SYSTEM_ADMIN_ONLY_MENUS = {"settings"}

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    """``wagtail.hooks.register`` with a type (Wagtail's own is untyped)."""
    return cast(Callable[[_F], _F], hooks.register(hook_name))


def _cached(request: HttpRequest, key: str, compute: Callable[[], bool]) -> bool:
    """Menu items ask the same question several times per request: ask the database once."""
    cache: dict[str, bool] = request.__dict__.setdefault("_egov_console_flags", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def request_is_unit_admin(request: HttpRequest) -> bool:
    return _cached(request, "unit_admin", lambda: is_unit_admin(request.user))


def request_is_system_admin(request: HttpRequest) -> bool:
    return _cached(request, "system_admin", lambda: is_system_admin(request.user))


class UnitAdminMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return request_is_unit_admin(request)


class SystemAdminMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return request_is_system_admin(request)


unit_admin_menu = Menu(
    register_hook_name="register_unit_admin_menu_item",
    construct_hook_name="construct_unit_admin_menu",
)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("unit-admin/", include(console_urls, namespace="egov_units"))]


@register("register_admin_viewset")
def register_administrative_unit_viewset() -> Any:
    return administrative_unit_viewset


@register("register_admin_menu_item")
def register_unit_admin_menu() -> MenuItem:
    return SubmenuMenuItem(
        _("Quản trị đơn vị"), unit_admin_menu, name="unit-admin", icon_name="group", order=9500
    )


@register("register_unit_admin_menu_item")
def register_staff_menu_item() -> MenuItem:
    return UnitAdminMenuItem(
        _("Cán bộ của đơn vị"),
        reverse("egov_units:staff_list"),
        name="unit-staff",
        icon_name="user",
        order=100,
    )


@register("register_unit_admin_menu_item")
def register_calendar_menu_item() -> MenuItem:
    return UnitAdminMenuItem(
        _("Lịch làm việc"),
        reverse("egov_units:calendar"),
        name="unit-calendar",
        icon_name="date",
        order=200,
    )


@register("register_unit_admin_menu_item")
def register_agencies_menu_item() -> MenuItem:
    return UnitAdminMenuItem(
        _("Cơ quan, phòng ban"),
        reverse("egov_units:agency_list"),
        name="unit-agencies",
        icon_name="site",
        order=300,
    )


@register("register_unit_admin_menu_item")
def register_administrative_units_menu_item() -> MenuItem:
    return SystemAdminMenuItem(
        _("Đơn vị hành chính"),
        reverse(administrative_unit_viewset.get_url_name("index")),
        name="administrative-units",
        icon_name="list-ul",
        order=400,
    )


@register("construct_main_menu")
def hide_system_menus(request: HttpRequest, menu_items: list[MenuItem]) -> None:
    """Wagtail's "Settings" (users, groups, sites, collections...) for system admins only."""
    if request_is_system_admin(request):
        return
    menu_items[:] = [item for item in menu_items if item.name not in SYSTEM_ADMIN_ONLY_MENUS]


class MyPositionsPanel(Component):  # type: ignore[misc]
    """Dashboard panel "Vai trò của bạn": the user's active positions."""

    name = "egov_my_positions"
    template_name = "organizations/home/my_positions.html"
    order = 50

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        request = parent_context["request"]
        context.update(
            {
                "positions": list(my_positions(request.user)),
                "is_system_admin": request_is_system_admin(request),
                "is_unit_admin": request_is_unit_admin(request),
                "request": request,
            }
        )
        return context


@register("construct_homepage_panels")
def add_my_positions_panel(request: HttpRequest, panels: list[Any]) -> None:
    panels.append(MyPositionsPanel())
