"""Menu items and URLs of the import/export pages of the staff console.

Wagtail loads this module because ``egov.procedures.interchange`` is an installed app, so
the catalogue's own ``wagtail_hooks`` needs no change.  "Nhập thủ tục từ tệp" is shown to
those who may create procedures; "Xuất thủ tục ra tệp" to every staff member.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from egov.procedures.interchange import urls as io_urls
from egov.procedures.permissions import is_staff_user, may_manage_some_procedure

_F = TypeVar("_F", bound=Callable[..., Any])


def register(hook_name: str) -> Callable[[_F], _F]:
    """``wagtail.hooks.register`` with a type (Wagtail's own is untyped)."""
    return cast(Callable[[_F], _F], hooks.register(hook_name))


class InterchangeMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user)


class ImportMenuItem(MenuItem):  # type: ignore[misc]
    def is_shown(self, request: HttpRequest) -> bool:
        return is_staff_user(request.user) and may_manage_some_procedure(request.user)


@register("register_admin_urls")
def register_interchange_urls() -> list[URLPattern | URLResolver]:
    return [path("procedures-io/", include(io_urls, namespace="egov_procedures_io"))]


@register("register_admin_menu_item")
def register_import_menu_item() -> MenuItem:
    return ImportMenuItem(
        _("Nhập thủ tục từ tệp"),
        reverse("egov_procedures_io:import"),
        name="procedures-import",
        icon_name="upload",
        order=301,
    )


@register("register_admin_menu_item")
def register_export_menu_item() -> MenuItem:
    return InterchangeMenuItem(
        _("Xuất thủ tục ra tệp"),
        reverse("egov_procedures_io:export"),
        name="procedures-export",
        icon_name="download",
        order=302,
    )
