"""RSS 2.0 feeds: one per news category (``NewsIndexPage``) of every portal, and the page
that lists them ("Kênh RSS", ``/rss/``).

A feed's address carries the category page's id (``/rss/<id>/``), which stays the same when
editors rename or move the category, so subscriptions keep working.  Items are the newest
live articles, dated like the site shows them (``published_at``, else the first
publication), each with its share image as Media RSS (``media:content``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model
from wagtail.models import Page

from egov.portal import selectors
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage
from egov.portal.seo import SHARE_IMAGE_SPEC, feed_url, page_url, share_image

#: Items in one feed.
FEED_ITEMS = 20
MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with the article's image as ``<media:content medium="image">``."""

    def rss_attributes(self) -> dict[str, str]:
        attrs: dict[str, str] = super().rss_attributes()
        attrs["xmlns:media"] = MEDIA_RSS_NS
        return attrs

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        image = item.get("image")
        if image is not None:
            handler.addQuickElement(
                "media:content",
                None,
                {
                    "url": image.url,
                    "medium": "image",
                    "type": image.mime_type,
                    "width": str(image.width),
                    "height": str(image.height),
                },
            )


# --- Reads ------------------------------------------------------------------------------------


def feed_category(index_id: int) -> NewsIndexPage:
    """A live, public news category, or 404 (unknown, unpublished or restricted)."""
    index: NewsIndexPage | None = NewsIndexPage.objects.live().public().filter(pk=index_id).first()
    if index is None:
        raise Http404(_("Không có chuyên mục tin này."))
    return index


def feed_articles(index: NewsIndexPage) -> list[NewsArticlePage]:
    """The category's newest live articles with their share-image renditions."""
    renditions = (
        get_image_model().get_rendition_model().objects.filter(filter_spec=SHARE_IMAGE_SPEC)
    )
    return list(
        selectors.articles_in(index).prefetch_related(
            Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")
        )[:FEED_ITEMS]
    )


@dataclass(frozen=True)
class PortalFeeds:
    portal: PortalHomePage
    categories: list[NewsIndexPage]


def portal_feed_list() -> list[PortalFeeds]:
    """Every live portal with its live categories: the district first, then the communes
    by name."""
    portals = list(PortalHomePage.objects.live().public().order_by("depth", "title"))
    indexes = NewsIndexPage.objects.live().public().order_by("path")
    by_parent: dict[str, list[NewsIndexPage]] = {}
    for index in indexes:
        by_parent.setdefault(index.path[: -Page.steplen], []).append(index)
    return [
        PortalFeeds(portal, by_parent[portal.path])
        for portal in portals
        if portal.path in by_parent
    ]


# --- The feed ---------------------------------------------------------------------------------


class CategoryFeed(Feed):  # type: ignore[type-arg]
    """A category's newest articles.  One instance per request (``category_feed``): the
    request and the category are kept on it for the item methods."""

    feed_type = MediaRssFeed
    language = "vi"

    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        self.request = request
        self.index: NewsIndexPage | None = None

    def get_object(self, request: HttpRequest, index_id: int) -> NewsIndexPage:
        self.index = feed_category(index_id)
        return self.index

    def title(self, obj: NewsIndexPage) -> str:
        portal = PortalHomePage.objects.parent_of(obj).first()
        return f"{obj.title} – {portal.title}" if portal else str(obj.title)

    def link(self, obj: NewsIndexPage) -> str:
        return page_url(obj, self.request) or "/"

    def feed_url(self, obj: NewsIndexPage) -> str:
        return feed_url(self.request, obj)

    def description(self, obj: NewsIndexPage) -> str:
        if obj.intro:
            return str(obj.intro)
        return _("Tin mới nhất chuyên mục %(category)s.") % {"category": obj.title}

    def items(self, obj: NewsIndexPage) -> list[NewsArticlePage]:
        return feed_articles(obj)

    def item_title(self, item: NewsArticlePage) -> str:
        return str(item.title)

    def item_description(self, item: NewsArticlePage) -> str:
        return str(item.lead)

    def item_link(self, item: NewsArticlePage) -> str:
        return page_url(item, self.request) or "/"

    def item_guid(self, item: NewsArticlePage) -> str:
        # Stable across renames and moves (the link is not).
        return f"urn:uuid:{item.translation_key}"

    def item_guid_is_permalink(self, item: NewsArticlePage) -> bool:
        return False

    def item_pubdate(self, item: NewsArticlePage) -> datetime | None:
        shown: datetime | None = getattr(item, "shown_at", None)
        return shown or item.display_date

    def item_updateddate(self, item: NewsArticlePage) -> datetime | None:
        updated: datetime | None = item.last_published_at
        return updated

    def item_author_name(self, item: NewsArticlePage) -> str | None:
        return item.author or None

    def item_categories(self, item: NewsArticlePage) -> list[str]:
        return [str(self.index.title)] if self.index is not None else []

    def item_extra_kwargs(self, item: NewsArticlePage) -> dict[str, Any]:
        return {"image": share_image(item.image, self.request, alt=item.title)}


@require_GET
def category_feed(request: HttpRequest, index_id: int) -> HttpResponse:
    """``/rss/<id>/``: RSS 2.0 of one category (404 for an unknown or unpublished one)."""
    response: HttpResponse = CategoryFeed(request)(request, index_id=index_id)
    return response


@require_GET
def rss_list(request: HttpRequest) -> HttpResponse:
    """``/rss/``: every portal's category feeds, for people and for feed readers."""
    portals = portal_feed_list()
    groups = [
        {
            "portal": group.portal,
            "feeds": [
                {"index": index, "url": feed_url(request, index)} for index in group.categories
            ],
        }
        for group in portals
    ]
    return render(
        request,
        "portal/rss_list.html",
        {
            "groups": groups,
            "seo_title": _("Kênh RSS"),
            "seo_description": _(
                "Đăng ký nhận tin mới của cổng thông tin và các cổng thành viên xã, thị trấn "
                "bằng phần mềm đọc tin RSS."
            ),
        },
    )
