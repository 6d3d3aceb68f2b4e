"""Template helpers of the portal: the current portal's home, its menu and breadcrumb, an
article's date, list images, and the reads of the page types without a view of their own
(map, topic, directives), each a call to one selector.  What a page reads more than once
(the view restrictions, the home's children) is read once per request."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import template
from django.core.paginator import Page as PaginatorPage
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from wagtail.images.models import Filter
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.models import Page

from egov.portal import selectors
from egov.portal.models import (
    DirectiveIndexPage,
    DirectivePage,
    NewsArticlePage,
    PortalHomePage,
    TopicPage,
)

register = template.Library()


def _request(context: template.Context) -> HttpRequest | None:
    request: HttpRequest | None = context.get("request")
    return request


@register.simple_tag
def portal_home(page: Page | None) -> PortalHomePage | None:
    """The portal a page belongs to: its nearest ``PortalHomePage`` (itself included)."""
    if page is None or not isinstance(page, Page):
        return None
    return selectors.portal_home_of(page)


@register.simple_tag(takes_context=True)
def portal_menu(context: template.Context, home: Page) -> list[Page]:
    """The portal's menu (``selectors.portal_menu``), from the home's children as read once
    for the request."""
    return selectors.portal_menu(
        home, children=selectors.portal_children_for(_request(context), home)
    )


@register.simple_tag
def page_ancestors(page: Page) -> list[Page]:
    """The breadcrumb's pages above ``page`` (``selectors.page_ancestors``)."""
    return selectors.page_ancestors(page)


@functools.lru_cache(maxsize=64)
def _image_filter(spec: str) -> Filter:
    """The parsed ``spec`` (parsing builds its operations, a third of an image's cost);
    it depends only on the spec and on the operations registered at start-up."""
    return Filter(spec=spec)


@register.simple_tag
def portal_image(image: Any, spec: str, **attrs: Any) -> SafeString | str:
    """``{% image %}`` with the same ``<img>`` (``spec`` as ``"fill-720x180|format-webp"``),
    which takes the rendition prefetched with the list (``selectors.with_renditions``) or
    cached as it is: Wagtail's ``{% image %}`` writes the rendition back to the shared cache
    on every render, one more round trip per image."""
    if not image:
        return ""
    rendition = get_renditions_or_not_found(image, [_image_filter(spec)])[spec]
    tag: SafeString = rendition.img_tag(attrs)
    return tag


@register.filter
def shown_date(article: Any) -> datetime | None:
    """The date an article is shown with: the annotation of the list, or the page's own."""
    shown = getattr(article, "shown_at", None)
    if shown is not None:
        return shown  # type: ignore[no-any-return]
    return getattr(article, "display_date", None)


@register.filter
def time_tag(value: datetime | None, shown_format: str) -> SafeString | str:
    """``<time datetime="{{ value|date:'c' }}">{{ value|date:shown_format }}</time>`` in one
    step (the lists call it for every article), in the current time zone."""
    if not value:  # None, or "" for a missing variable (as the ``date`` filter)
        return ""
    local = template_localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        formats.date_format(local, "c"),
        formats.date_format(local, shown_format),
    )


@register.filter
def file_size(size: int | None) -> str:
    """A file's size the Vietnamese way: "245 KB", "1,2 MB" ("" when unknown)."""
    if size is None:
        return ""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _query(context: template.Context) -> Any:
    """The request's query string (empty when a template renders without a request)."""
    request = context.get("request")
    return request.GET if request is not None else {}


@register.simple_tag(takes_context=True)
def topic_articles(context: template.Context, topic: TopicPage) -> PaginatorPage[NewsArticlePage]:
    """The page of the topic's articles named by ``?trang=``."""
    return selectors.topic_articles_page(
        topic,
        _query(context).get(selectors.PAGE_PARAM),
        private=selectors.private_pages_for(_request(context)),
    )


@dataclass(frozen=True)
class DirectiveListing:
    page: PaginatorPage[DirectivePage]
    filters: selectors.DirectiveFilters
    years: list[int]

    @property
    def querystring(self) -> str:
        """The filters to repeat in the pagination links, with a trailing "&"."""
        query = self.filters.querystring()
        return f"{query}&" if query else ""


@register.simple_tag(takes_context=True)
def directive_listing(context: template.Context, index: DirectiveIndexPage) -> DirectiveListing:
    """The directive index's list: filters from the query string (bad values ignored, with
    a message), the page named by ``?trang=``, the years for the filter."""
    params = _query(context)
    filters = selectors.directive_filters_parse(params)
    return DirectiveListing(
        page=selectors.directives_page(
            index,
            filters,
            params.get(selectors.PAGE_PARAM),
            private=selectors.private_pages_for(_request(context)),
        ),
        filters=filters,
        years=selectors.directive_years(index),
    )


@register.simple_tag(takes_context=True)
def map_units(context: template.Context, page: Page) -> selectors.MapUnits:
    return selectors.map_units(page, private=selectors.private_pages_for(_request(context)))


@register.simple_tag
def topic_state(topic: TopicPage) -> str:
    """ "open", "upcoming" (not started yet) or "closed" (ended), today in Asia/Ho_Chi_Minh."""
    today = timezone.localdate()
    if topic.is_open(today):
        return "open"
    return "upcoming" if topic.starts_on > today else "closed"
