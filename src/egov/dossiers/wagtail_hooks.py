"""The one-stop shop in the staff console: the "Một cửa" menu and its URLs.

The menu is shown to staff holding a one-stop role (desk clerk, specialist, department
head, leader, document clerk) and to system admins.  Its items are the worklists the
user's roles use, each with a bounded count ("99+", refreshed at most every minute; the
queue page itself always counts afresh).  Other screens of the module (the desk's intake)
add their items with the ``register_onestop_menu_item`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent

from egov.dossiers import selectors
from egov.dossiers import urls as console_urls
from egov.dossiers.views import request_is_onestop_staff
from egov.dossiers.views.intake import intake_menu_item
from egov.dossiers.views.queues import badge, queue_counts, queues_for

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    """``wagtail.hooks.register`` with a type (Wagtail's own is untyped)."""
    return cast(Callable[[_F], _F], hooks.register(hook_name))


def _request_counts(request: HttpRequest) -> dict[str, int]:
    cached: dict[str, int] | None = request.__dict__.get("_egov_queue_counts")
    if cached is None:
        cached = queue_counts(request.user)
        request.__dict__["_egov_queue_counts"] = cached
    return cached


def _request_queues(request: HttpRequest) -> set[str]:
    cached: set[str] | None = request.__dict__.get("_egov_queues")
    if cached is None:
        cached = {q.slug for q in queues_for(request.user)}
        request.__dict__["_egov_queues"] = cached
    return cached


class QueueMenuItem(MenuItem):  # type: ignore[misc]
    """One worklist in the menu, labelled with its count."""

    def __init__(self, queue: selectors.Queue, order: int) -> None:
        super().__init__(
            queue.label,
            reverse("egov_dossiers:queue", args=[queue.slug]),
            name=f"onestop-{queue.slug.replace('_', '-')}",
            icon_name="list-ul",
            order=order,
        )
        self.queue = queue.slug

    def is_shown(self, request: HttpRequest) -> bool:
        return request_is_onestop_staff(request) and self.queue in _request_queues(request)

    def render_component(self, request: HttpRequest) -> Any:
        label = str(self.label)
        if self.queue != "all":
            count = _request_counts(request).get(self.queue)
            if count:
                label = f"{label} ({badge(count)})"
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, attrs=self.attrs
        )


onestop_menu = Menu(
    register_hook_name="register_onestop_menu_item",
    construct_hook_name="construct_onestop_menu",
)


@register("register_admin_urls")
def register_console_urls() -> list[URLPattern | URLResolver]:
    return [path("dossiers/", include(console_urls, namespace="egov_dossiers"))]


@register("register_admin_menu_item")
def register_onestop_menu() -> MenuItem:
    return SubmenuMenuItem(_("Một cửa"), onestop_menu, name="onestop", icon_name="tasks", order=200)


def _queue_item(slug: str, order: int) -> Callable[[], MenuItem]:
    def item() -> MenuItem:
        return QueueMenuItem(selectors.QUEUES[slug], order)

    return item


for _index, _slug in enumerate(selectors.QUEUES, start=1):
    hooks.register("register_onestop_menu_item", _queue_item(_slug, 100 + 10 * _index))

# "Tiếp nhận hồ sơ" first (order 50), for those who may receive at a desk.
hooks.register("register_onestop_menu_item", intake_menu_item)


def register_menu_item() -> MenuItem:
    """ "Sổ theo dõi hồ sơ" (the register for any period, Excel or PDF), last in the menu."""
    return OnestopLinkItem(
        _("Sổ theo dõi hồ sơ"),
        reverse("egov_dossiers:register"),
        name="onestop-register",
        icon_name="doc-full",
        order=900,
    )


class OnestopLinkItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return request_is_onestop_staff(request)


hooks.register("register_onestop_menu_item", register_menu_item)
