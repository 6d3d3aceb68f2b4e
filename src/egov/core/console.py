"""What every section of the staff console shares (a Wagtail admin screen of one module).

``SectionView``: a 403 page with a Vietnamese message (``forbidden``), breadcrumbs
"section › … › this page" (``section_label``, ``section_url``, ``extra_breadcrumbs``), and
``render(status=…, **context)`` for answers such as 409/422 that keep the typed input.
"""

from __future__ import annotations

from typing import Any, Protocol, cast
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class SectionView(WagtailAdminTemplateMixin, View):
    #: The section's name in the breadcrumbs and its landing page.
    section_label: Any = ""
    #: The URL name of the section's landing page (``"egov_dossiers:home"``).
    section_url_name: str = "wagtailadmin_home"
    forbidden_template = "core/console/forbidden.html"

    def section_url(self) -> str:
        return reverse(self.section_url_name)

    def forbidden(self, request: HttpRequest, message: str) -> HttpResponse:
        return TemplateResponse(
            request,
            self.forbidden_template,
            {
                "header_title": _("Không có quyền truy cập"),
                "page_title": _("Không có quyền truy cập"),
                "breadcrumbs_items": [],
                "message": message,
            },
            status=403,
        )

    def extra_breadcrumbs(self) -> list[dict[str, Any]]:
        return []

    def get_breadcrumbs_items(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = list(super().get_breadcrumbs_items())
        items.append({"url": self.section_url(), "label": self.section_label})
        items.extend(self.extra_breadcrumbs())
        title = self.get_page_title()
        if title and str(title) != str(self.section_label):
            items.append({"url": "", "label": title})
        return items

    def render(self, status: int = 200, **context: Any) -> HttpResponse:
        ctx = self.get_context_data(**context)
        return cast(HttpResponse, self.render_to_response(ctx, status=status))


class KeysetPage(Protocol):
    prev_cursor: str | None
    next_cursor: str | None


def page_links(page: KeysetPage, base: dict[str, str], had_cursor: bool) -> dict[str, str]:
    """``first_url``/``prev_url``/``next_url`` of a keyset page, keeping the filters
    (for ``core/console/_pagination.html``)."""

    def link(cursor: str | None) -> str:
        query = {**base, "cursor": cursor} if cursor else base
        return f"?{urlencode(query)}" if query else "?"

    return {
        "first_url": link(None) if had_cursor else "",
        "prev_url": link(page.prev_cursor) if page.prev_cursor else "",
        "next_url": link(page.next_cursor) if page.next_cursor else "",
    }
