"""The "Lịch hẹn" section of the staff console: the day's bookings (desk clerks, unit
admins) and the desks' weekly schedules (unit admins)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from egov.bookings import console, console_urls

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    return cast(Callable[[_F], _F], hooks.register(hook_name))


def _cached(request: HttpRequest, key: str, check: Callable[[Any], bool]) -> bool:
    cache: dict[str, bool] = request.__dict__.setdefault("_egov_bookings_perms", {})
    if key not in cache:
        cache[key] = check(request.user)
    return cache[key]


class DayMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return _cached(request, "day", console.may_see_day)


class ScheduleMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return _cached(request, "schedule", console.may_set_schedule)


bookings_menu = Menu(
    register_hook_name="register_bookings_menu_item",
    construct_hook_name="construct_bookings_menu",
)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("bookings/", include(console_urls, namespace="egov_bookings"))]


@register("register_admin_menu_item")
def register_bookings_menu() -> MenuItem:
    return SubmenuMenuItem(
        _("Lịch hẹn"), bookings_menu, name="bookings", icon_name="date", order=310
    )


@register("register_bookings_menu_item")
def register_day_menu_item() -> MenuItem:
    return DayMenuItem(
        _("Lịch hẹn trong ngày"),
        reverse("egov_bookings:day"),
        name="bookings-day",
        icon_name="list-ul",
        order=100,
    )


@register("register_bookings_menu_item")
def register_schedule_menu_item() -> MenuItem:
    return ScheduleMenuItem(
        _("Khung giờ tiếp nhận"),
        reverse("egov_bookings:schedule"),
        name="bookings-schedule",
        icon_name="time",
        order=200,
    )
