"""The notifications module in the staff console (Wagtail admin at ``/admin/``).

* URLs under ``/admin/notifications/`` (namespace ``egov_notifications``);
* the "Thông báo" menu: delivery log, templates, opt-outs, each shown to whoever holds its
  Django permission (system admins); other modules' items may join it through the
  ``register_notifications_menu_item`` hook;
* "Thông báo của tôi" for every console user, with a bell icon (ours: Wagtail ships none)
  and the unread count, bounded ("99+"), one indexed query per page;
* a dashboard panel with the newest unread notifications (only when there are some).
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
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from egov.notifications import console_urls, selectors
from egov.notifications.views import VIEW_LOG, VIEW_OPTOUTS, VIEW_TEMPLATES, has_perm
from egov.notifications.views.bell import BELL_LABEL, bell_items, request_unread_count

_F = TypeVar("_F", bound=Callable[..., Any])

BELL_ICON = "notifications/console/icon-bell.svg"
PANEL_SIZE = 5


def register(hook_name: str) -> Callable[[_F], _F]:
    """``wagtail.hooks.register`` with a type (Wagtail's own is untyped)."""
    return cast(Callable[[_F], _F], hooks.register(hook_name))


class PermissionMenuItem(MenuItem):  # type: ignore[misc]
    """A menu item shown to users holding ``permission``."""

    def __init__(self, *args: Any, permission: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: HttpRequest) -> bool:
        return has_perm(request, self.permission)


class BellMenuItem(MenuItem):  # type: ignore[misc]
    """ "Thông báo của tôi (3)": every console user, labelled with the unread count."""

    def is_shown(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_authenticated", False))

    def render_component(self, request: HttpRequest) -> Any:
        label = str(self.label)
        count = request_unread_count(request)
        if count:
            label = f"{label} ({selectors.badge(count)})"
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


notifications_menu = Menu(
    register_hook_name="register_notifications_menu_item",
    construct_hook_name="construct_notifications_menu",
)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("notifications/", include(console_urls, namespace="egov_notifications"))]


@register("register_icons")
def register_bell_icon(icons: list[str]) -> list[str]:
    return [*icons, BELL_ICON]


@register("register_admin_menu_item")
def register_notifications_menu() -> MenuItem:
    return SubmenuMenuItem(
        _("Thông báo"), notifications_menu, name="notifications", icon_name="mail", order=8000
    )


@register("register_admin_menu_item")
def register_bell_menu_item() -> MenuItem:
    return BellMenuItem(
        BELL_LABEL,
        reverse("egov_notifications:bell"),
        name="my-notifications",
        icon_name="bell",
        order=50,
    )


@register("register_notifications_menu_item")
def register_log_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Nhật ký gửi"),
        reverse("egov_notifications:log"),
        name="notifications-log",
        icon_name="list-ul",
        order=100,
        permission=VIEW_LOG,
    )


@register("register_notifications_menu_item")
def register_templates_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Mẫu thông báo"),
        reverse("egov_notifications:templates"),
        name="notifications-templates",
        icon_name="doc-full",
        order=200,
        permission=VIEW_TEMPLATES,
    )


@register("register_notifications_menu_item")
def register_optouts_menu_item() -> MenuItem:
    return PermissionMenuItem(
        _("Từ chối nhận"),
        reverse("egov_notifications:optouts"),
        name="notifications-optouts",
        icon_name="no-view",
        order=300,
        permission=VIEW_OPTOUTS,
    )


class UnreadPanel(Component):  # type: ignore[misc]
    """Dashboard panel "Thông báo mới": the newest unread notifications of the user."""

    name = "egov_unread_notifications"
    template_name = "notifications/console/home_panel.html"
    order = 40

    def __init__(self, items: list[Any], unread: int) -> None:
        self.items = items
        self.unread = unread

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(parent_context)
        context.update(
            {
                "items": self.items,
                "unread": self.unread,
                "unread_badge": selectors.badge(self.unread),
                "more": self.unread > len(self.items),
            }
        )
        return context


@register("construct_homepage_panels")
def add_unread_panel(request: HttpRequest, panels: list[Any]) -> None:
    unread = request_unread_count(request)
    if unread:
        latest = selectors.bell_latest_unread(request.user, PANEL_SIZE)
        panels.append(UnreadPanel(bell_items(latest), unread))
