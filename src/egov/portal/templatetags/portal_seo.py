"""Template helpers for search engines and sharing (logic in ``egov.portal.seo``)."""

from __future__ import annotations

from typing import Any

from django import template

from egov.portal import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def seo_meta(context: Any) -> seo.SeoMeta | None:
    """Canonical URL, Open Graph data and RSS links of the page being rendered."""
    if context.get("request") is None:
        return None
    return seo.seo_meta(context)


@register.simple_tag(takes_context=True)
def not_found_help(context: Any) -> seo.NotFoundHelp | None:
    """The 404 page's suggestions: the portal the address was under, words to search."""
    request = context.get("request")
    if request is None:
        return None
    return seo.not_found_help(request)
