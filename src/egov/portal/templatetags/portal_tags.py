"""Template helpers of the portal: the current portal's home, its menu, an article's date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from wagtail.models import Page

from egov.portal.models import PortalHomePage

register = template.Library()


@register.simple_tag
def portal_home(page: Page | None) -> PortalHomePage | None:
    """The portal a page belongs to: its nearest ``PortalHomePage`` (itself included)."""
    if page is None or not isinstance(page, Page):
        return None
    if isinstance(page, PortalHomePage):
        return page
    home: PortalHomePage | None = PortalHomePage.objects.ancestor_of(page).last()
    return home


@register.filter
def portal_menu(home: PortalHomePage) -> Any:
    """The home's children marked "show in menus" (communes' portals are listed elsewhere)."""
    return home.get_children().live().public().in_menu().not_type(PortalHomePage).order_by("path")


@register.filter
def shown_date(article: Any) -> datetime | None:
    """The date an article is shown with: the annotation of the list, or the page's own."""
    shown = getattr(article, "shown_at", None)
    if shown is not None:
        return shown  # type: ignore[no-any-return]
    return getattr(article, "display_date", None)
