"""Search engines and sharing: absolute and canonical URLs, Open Graph data, the sitemap,
robots.txt and the "which portal was this address under" lookup of the 404 page.

Absolute URLs: the default Wagtail site answers every hostname, so its stored hostname
says nothing about the public address; its pages are addressed from ``EGOV_BASE_URL``
(the address e-mails and printed QR codes already use).  A commune that has a ``Site`` of
its own (ADR 0016) is addressed from that site's hostname.  Templates never build URLs by
hand: the page part always comes from Wagtail (``Page.get_url_parts``).
"""

from __future__ import annotations

import mimetypes
import re
from abc import ABC, abstractmethod
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from html import unescape
from typing import Any

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views
from wagtail.images.models import AbstractImage, SourceImageIOError
from wagtail.models import Page, Site

from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

#: Open Graph and feed images: the 1.91:1 card Facebook, Zalo and X show (never upscaled).
SHARE_IMAGE_SPEC = "fill-1200x630"
#: Longest description in <meta name="description"> and og:description.
DESCRIPTION_CHARS = 300
#: Paths robots never need: staff console, accounts, the API, private attachments.
ROBOTS_DISALLOW = ("/admin/", "/accounts/", "/api/", "/files/")
#: Public pages outside the page tree listed in the sitemap (URL names, when installed).
PUBLIC_SERVICE_URL_NAMES = (
    "eservices:procedure_list",
    "dossier_lookup",
    "statistics_public_board",
)

_SLUG_WORDS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --- Absolute URLs ----------------------------------------------------------------------------


def _default_site_id(request: HttpRequest | None) -> int | None:
    """The default site's id, looked up once per request (usually free: the request's)."""
    cached = getattr(request, "_egov_default_site_id", False)
    if cached is not False:
        return cached
    site = Site.find_for_request(request) if request is not None else None
    if site is not None and site.is_default_site:
        site_id: int | None = site.pk
    else:
        site_id = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    if request is not None:
        request._egov_default_site_id = site_id  # type: ignore[attr-defined]
    return site_id


def _base_for(site_id: int | None, root_url: str, request: HttpRequest | None) -> str:
    if site_id is None or site_id == _default_site_id(request):
        return str(settings.EGOV_BASE_URL).rstrip("/")
    return root_url.rstrip("/")


def request_base_url(request: HttpRequest) -> str:
    """Scheme and host the current request's site is publicly reached at (no slash)."""
    site = Site.find_for_request(request)
    if site is None:
        return _base_for(None, "", request)
    return _base_for(site.pk, site.root_url, request)


def absolute_url(request: HttpRequest, url: str) -> str:
    """``url`` made absolute on the current site (already absolute URLs are kept)."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{request_base_url(request)}/{url.lstrip('/')}"


class _SiteRootPaths:
    """Holds Wagtail's site root paths for one request: ``Page.get_url_parts`` caches them
    on whatever object it is given.  Not being an ``HttpRequest``, it also makes Wagtail
    choose a page's most specific site (a commune's own domain) rather than the request's,
    so that a page has one canonical address whichever hostname served it."""


def _url_cache(request: HttpRequest | None) -> _SiteRootPaths | None:
    if request is None:
        return None
    holder: _SiteRootPaths | None = getattr(request, "_egov_site_root_paths", None)
    if holder is None:
        holder = _SiteRootPaths()
        request._egov_site_root_paths = holder  # type: ignore[attr-defined]
    return holder


def page_url(page: Page, request: HttpRequest | None) -> str | None:
    """A page's absolute, canonical public URL (None when the page is under no site)."""
    parts = page.get_url_parts(_url_cache(request))
    if parts is None:
        return None
    site_id, root_url, page_path = parts
    if root_url is None or page_path is None:
        return None
    return f"{_base_for(site_id, root_url, request)}{page_path}"


# --- Descriptions, images, Open Graph ---------------------------------------------------------


def page_description(page: Page) -> str:
    """What a page is about in one plain paragraph: the editor's search description, else
    the page's lead (sapo) or introduction."""
    for name in ("search_description", "lead", "intro", "summary"):
        value = getattr(page, name, "") or ""
        text = " ".join(unescape(strip_tags(str(value))).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_CHARS)
    return ""


@dataclass(frozen=True)
class ShareImage:
    url: str
    width: int
    height: int
    alt: str
    mime_type: str


def share_image(image: Any, request: HttpRequest | None, alt: str = "") -> ShareImage | None:
    """The 1200×630 rendition of an image, with an absolute URL."""
    if not isinstance(image, AbstractImage):
        return None
    try:
        rendition = image.get_rendition(SHARE_IMAGE_SPEC)
    except SourceImageIOError:  # the original file is gone: share without an image
        return None
    url = rendition.url
    if request is not None:
        url = absolute_url(request, url)
    elif not url.startswith(("http://", "https://")):
        url = f"{str(settings.EGOV_BASE_URL).rstrip('/')}/{url.lstrip('/')}"
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return ShareImage(url, rendition.width, rendition.height, alt or image.title, mime_type)


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str


@dataclass(frozen=True)
class SeoMeta:
    """Everything ``portal/includes/seo_head.html`` writes into <head>."""

    canonical: str
    title: str
    description: str
    site_name: str
    og_type: str = "website"
    image: ShareImage | None = None
    published_time: str = ""
    modified_time: str = ""
    section: str = ""
    feeds: list[FeedLink] = field(default_factory=list)


def feed_url(request: HttpRequest, index: NewsIndexPage) -> str:
    return absolute_url(request, reverse("portal:rss_category", args=[index.pk]))


def _feed_link(request: HttpRequest, index: NewsIndexPage) -> FeedLink:
    return FeedLink(_("Kênh RSS: %(name)s") % {"name": index.title}, feed_url(request, index))


def _iso(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value is not None else ""


def _site_name(context: Any, request: HttpRequest) -> str:
    """og:site_name: the Wagtail site's name (the district's portal, or a commune's own
    site once it has one), else the project's name.  No query: the request's site is
    already known."""
    site = Site.find_for_request(request)
    if site is not None and site.site_name:
        return str(site.site_name)
    return str(context.get("SITE_NAME") or settings.WAGTAIL_SITE_NAME)


def seo_meta(context: Any) -> SeoMeta:
    """The head tags of a portal page, from its template context (no query beyond the
    share image's).

    Works without a Wagtail page too (the RSS list, other pages extending
    ``portal/base_portal.html``): the canonical URL is then the request's path without its
    query string, and ``seo_title`` / ``seo_description`` name the page.
    """
    request: HttpRequest = context["request"]
    page = context.get("page")
    site_name = _site_name(context, request)
    if not isinstance(page, Page):
        return SeoMeta(
            canonical=absolute_url(request, request.path),
            title=str(context.get("seo_title") or site_name),
            description=str(context.get("seo_description") or ""),
            site_name=site_name,
        )
    canonical = page_url(page, request) or absolute_url(request, request.path)
    feeds: list[FeedLink] = []
    if isinstance(page, NewsIndexPage):
        number = getattr(context.get("articles"), "number", 1)
        if number > 1:  # each page of a category is its own canonical page
            canonical = f"{canonical}?trang={number}"
        feeds.append(_feed_link(request, page))
    for block in context.get("category_blocks") or ():
        feeds.append(_feed_link(request, block.index))
    meta: dict[str, Any] = {}
    if isinstance(page, NewsArticlePage):
        category = context.get("category_page")
        if isinstance(category, NewsIndexPage):
            feeds.append(_feed_link(request, category))
        meta = {
            "og_type": "article",
            "published_time": _iso(page.display_date),
            "modified_time": _iso(page.last_published_at),
            "section": category.title if isinstance(category, Page) else "",
        }
    title = page.seo_title or page.title
    return SeoMeta(
        canonical=canonical,
        title=title,
        description=page_description(page),
        site_name=site_name,
        image=share_image(getattr(page, "image", None), request, alt=title),
        feeds=feeds,
        **meta,
    )


# --- The 404 page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotFoundHelp:
    """What the 404 page offers: the member portal the address was under (None at the
    site's own home), the site home's title, and the last slug's words to search for."""

    portal: PortalHomePage | None
    portal_url: str
    home_title: str
    words: str


def not_found_help(request: HttpRequest) -> NotFoundHelp:
    """For ``/xa-binh-minh/tin-cu/``: the commune's portal and the words "tin cu"."""
    segments = [s for s in request.path.split("/") if s]
    last = segments[-1].lower() if segments else ""
    words = last.replace("-", " ") if _SLUG_WORDS.match(last) and len(last) <= 100 else ""
    site = Site.find_for_request(request)
    if site is None:
        return NotFoundHelp(None, "", "", words)
    root_page = site.root_page
    candidates = []
    prefix = root_page.url_path
    for segment in segments[:2]:  # a member portal sits right under the district home
        prefix = f"{prefix}{segment}/"
        candidates.append(prefix)
    portal = (
        PortalHomePage.objects.live()
        .public()
        .filter(url_path__in=candidates)
        .order_by("-depth")
        .first()
        if candidates
        else None
    )
    url = (portal.get_url(request) or "") if portal is not None else ""
    return NotFoundHelp(portal, url, str(root_page.title), words)


# --- Sitemap ----------------------------------------------------------------------------------


class _AbsoluteUrlsMixin(ABC):
    """Sitemap entries with the addresses of ``page_url``/``absolute_url`` (EGOV_BASE_URL
    for the default site), not the request's hostname."""

    request: HttpRequest | None
    paginator: Any
    latest_lastmod: Any

    @abstractmethod
    def absolute_location(self, item: Any) -> str | None:
        """The entry's absolute address, or None to leave it out."""

    def lastmod(self, item: Any) -> Any:
        return None

    def _urls(self, page: int, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = []
        lastmods: list[Any] = []
        for item in self.paginator.page(page).object_list:
            location = self.absolute_location(item)
            if location is None:
                continue
            lastmod = self.lastmod(item)
            lastmods.append(lastmod)
            urls.append({"item": item, "location": location, "lastmod": lastmod})
        if lastmods and None not in lastmods:
            self.latest_lastmod = max(lastmods)
        return urls


class PortalPageSitemap(_AbsoluteUrlsMixin, WagtailSitemap):  # type: ignore[misc]
    """Every live, public page of the request's site: the district's portal and the
    communes' member portals under it (ADR 0016)."""

    def items(self) -> Any:
        site = self.get_wagtail_site()
        root = site.root_page
        pages = root.get_descendants(inclusive=True).live().public()
        # A commune with a Site of its own lists its pages in its own sitemap.
        deeper = Site.objects.filter(
            root_page__path__startswith=root.path, root_page__depth__gt=root.depth
        ).select_related("root_page")
        for other in deeper:
            pages = pages.not_descendant_of(other.root_page, inclusive=True)
        return pages.order_by("path").only(
            "pk", "url_path", "depth", "last_published_at", "latest_revision_created_at"
        )

    def absolute_location(self, item: Any) -> str | None:
        return page_url(item, self.request)

    def lastmod(self, item: Any) -> Any:
        return item.last_published_at or item.latest_revision_created_at

    def get_latest_lastmod(self) -> Any:
        return self.items().aggregate(latest=Max("last_published_at"))["latest"]


class PublicServiceSitemap(_AbsoluteUrlsMixin, WagtailSitemap):  # type: ignore[misc]
    """Public pages outside the page tree: the procedure catalogue, the dossier lookup and
    the one-stop shop's public results board (those installed)."""

    def items(self) -> list[str]:
        paths = []
        for name in PUBLIC_SERVICE_URL_NAMES:
            try:
                paths.append(reverse(name))
            except NoReverseMatch:
                continue
        return paths

    def absolute_location(self, item: Any) -> str | None:
        if self.request is None:
            return f"{str(settings.EGOV_BASE_URL).rstrip('/')}{item}"
        return absolute_url(self.request, item)

    def get_latest_lastmod(self) -> Any:
        return None


#: Sections of /sitemap.xml (the index), each at /sitemap-<section>.xml.
SITEMAPS: dict[str, Any] = {"trang": PortalPageSitemap, "dich-vu": PublicServiceSitemap}


@require_GET
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """``/sitemap.xml``: the sections (and their pages past 50,000 addresses), addressed
    like the pages inside them (not from the request's hostname, as Django's view does)."""
    entries: list[SitemapIndexItem] = []
    for section, sitemap in wagtail_sitemap_views.prepare_sitemaps(request, SITEMAPS).items():
        location = absolute_url(request, reverse("portal:sitemap_section", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for number in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={number}", lastmod))
    response = TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response


@require_GET
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    response: HttpResponse = wagtail_sitemap_views.sitemap(request, SITEMAPS, section=section)
    return response


# --- robots.txt -------------------------------------------------------------------------------


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    disallow = list(ROBOTS_DISALLOW)
    with suppress(NoReverseMatch):  # search results are endless and thin: not for crawlers
        disallow.append(reverse("portal:search"))
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow), ""]
    lines.append(f"Sitemap: {absolute_url(request, reverse('portal:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
