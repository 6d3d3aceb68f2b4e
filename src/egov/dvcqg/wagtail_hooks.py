"""The connector in the staff console: ``/admin/dvcqg/`` and the menu item "Đồng bộ DVCQG"
(system admins and unit admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from egov.dvcqg import console_urls
from egov.dvcqg.selectors import may_use_dashboard

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    return cast(Callable[[_F], _F], hooks.register(hook_name))


class DashboardMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        cache: dict[str, bool] = request.__dict__.setdefault("_egov_dvcqg", {})
        if "shown" not in cache:
            cache["shown"] = may_use_dashboard(request.user)
        return cache["shown"]


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("dvcqg/", include(console_urls, namespace="egov_dvcqg"))]


@register("register_admin_menu_item")
def register_dashboard_menu_item() -> MenuItem:
    return DashboardMenuItem(
        _("Đồng bộ DVCQG"),
        reverse("egov_dvcqg:home"),
        name="dvcqg",
        icon_name="resubmit",
        order=8500,
    )
