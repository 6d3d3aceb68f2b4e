"""Another portal's pages: a 403 with a Vietnamese message instead of Wagtail's redirect.

Wagtail answers a page editor opened without the permission by redirecting to the
dashboard with an English-only flash message.  A commune editor who opens (or POSTs to)
another commune's page gets a plain **403** here instead, saying why; nothing is saved.
The views check the same page permission Wagtail checks (``can_edit`` /
``can_add_subpage``), then hand over to Wagtail's own view unchanged.  Mounted before
Wagtail's admin URLs in ``egov/urls.py`` (same paths, so ``reverse`` is unaffected).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

FORBIDDEN_TEMPLATE = "core/console/forbidden.html"

_wagtail_edit = page_viewset_registry.as_view("edit", page_id_kwarg="page_id")
_wagtail_revert = page_viewset_registry.as_view("revisions_revert", page_id_kwarg="page_id")
_wagtail_add = page_viewset_registry.as_view(
    "add", app_label_kwarg="content_type_app_name", model_name_kwarg="content_type_model_name"
)
_wagtail_add_subpage = page_viewset_registry.as_view(
    "add_subpage", parent_page_id_kwarg="parent_page_id"
)


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    title = _("Không có quyền truy cập")
    return TemplateResponse(
        request,
        FORBIDDEN_TEMPLATE,
        {"header_title": title, "page_title": title, "breadcrumbs_items": [], "message": message},
        status=403,
    )


def _cannot_edit(request: HttpRequest, page_id: int) -> HttpResponse | None:
    page = get_object_or_404(Page, pk=page_id)
    if page.permissions_for_user(request.user).can_edit():
        return None
    return _forbidden(
        request,
        _(
            "Bạn không có quyền sửa trang “%(title)s”: trang này thuộc cổng thông tin mà bạn "
            "không được giao biên tập. Mỗi biên tập viên chỉ sửa được các trang của cổng thông "
            "tin của đơn vị mình."
        )
        % {"title": page.get_admin_display_title()},
    )


def _cannot_add_under(request: HttpRequest, parent_page_id: int) -> HttpResponse | None:
    parent = get_object_or_404(Page, pk=parent_page_id)
    if parent.permissions_for_user(request.user).can_add_subpage():
        return None
    return _forbidden(
        request,
        _(
            "Bạn không có quyền thêm trang vào “%(title)s”: trang này thuộc cổng thông tin mà "
            "bạn không được giao biên tập."
        )
        % {"title": parent.get_admin_display_title()},
    )


def _page_edit(request: HttpRequest, page_id: int) -> HttpResponse:
    return _cannot_edit(request, page_id) or _wagtail_edit(request, page_id=page_id)


def _page_revision_revert(request: HttpRequest, page_id: int, revision_id: int) -> HttpResponse:
    return _cannot_edit(request, page_id) or _wagtail_revert(
        request, page_id=page_id, revision_id=revision_id
    )


def _page_add(request: HttpRequest, parent_page_id: int, **kwargs: Any) -> HttpResponse:
    return _cannot_add_under(request, parent_page_id) or _wagtail_add(
        request, parent_page_id=parent_page_id, **kwargs
    )


def _page_add_subpage(request: HttpRequest, parent_page_id: int) -> HttpResponse:
    return _cannot_add_under(request, parent_page_id) or _wagtail_add_subpage(
        request, parent_page_id=parent_page_id
    )


# Wagtail's own wrapper: sign-in and ``access_admin`` checks, the user's admin language.
page_edit = require_admin_access(_page_edit)
page_revision_revert = require_admin_access(_page_revision_revert)
page_add = require_admin_access(_page_add)
page_add_subpage = require_admin_access(_page_add_subpage)


# Under ``admin/pages/``, before Wagtail's admin URLs.
admin_page_urlpatterns = [
    path("<int:page_id>/edit/", page_edit),
    path("<int:page_id>/revisions/<int:revision_id>/revert/", page_revision_revert),
    path(
        "add/<slug:content_type_app_name>/<slug:content_type_model_name>/<int:parent_page_id>/",
        page_add,
    ),
    path("<int:parent_page_id>/add_subpage/", page_add_subpage),
]
