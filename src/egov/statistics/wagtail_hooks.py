"""The statistics in the staff console: ``/admin/thong-ke/`` and the menu item "Thống kê"
(leaders, department heads, unit admins and system admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from egov.statistics import urls
from egov.statistics.views import request_may_view

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    return cast(Callable[[_F], _F], hooks.register(hook_name))


class StatisticsMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return request_may_view(request)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("thong-ke/", include(urls, namespace="egov_statistics"))]


@register("register_admin_menu_item")
def register_statistics_menu_item() -> MenuItem:
    return StatisticsMenuItem(
        _("Thống kê"),
        reverse("egov_statistics:dashboard"),
        name="statistics",
        icon_name="table",
        order=250,
    )
