"""Reads of the portal: latest news, pagination, neighbours, related articles, snippets."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import Coalesce, Left, RowNumber
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search.query import Phrase

from egov.core.text import fold_vietnamese
from egov.organizations.facade import AdministrativeUnit, Agency, Department
from egov.portal.constants import LATEST_PER_CATEGORY, NEWS_PER_PAGE, RELATED_LIMIT
from egov.portal.models import (
    DirectiveIndexPage,
    DirectivePage,
    ExternalLink,
    NewsArticlePage,
    NewsIndexPage,
    PortalHomePage,
    Spokesperson,
    TopicPage,
)
from egov.statistics import facade as statistics
from egov.statistics.facade import BoardFigures

if TYPE_CHECKING:
    from wagtail.search.backends.base import BaseSearchResults

#: The renditions the portal's lists show, read with the list (``renditions_prefetch``)
#: rather than one cache or database read per image.
LIST_IMAGE_SPEC = "fill-320x180"  # includes/article_item.html
BANNER_IMAGE_SPEC = "fill-720x180|format-webp"  # home_page.html, the topics' banners


def articles_live(*, private: Q | None = None) -> PageQuerySet:
    """Live articles with their display date (``shown_at``), newest first (``private``: see
    ``private_pages_q``)."""
    return (
        _public(NewsArticlePage.objects.live(), private)
        .annotate(shown_at=Coalesce(F("published_at"), F("first_published_at")))
        .select_related("image")
        .order_by("-shown_at", "-pk")
    )


def articles_in(index: Page, *, private: Q | None = None) -> PageQuerySet:
    return articles_live(private=private).child_of(index)


#: What an article shows in a list (``includes/article_item.html``, the roll-up, the
#: newer/older/related links): reading only these makes each list cheaper to fetch.  A list
#: that shows another field must add it here (else one query per article).
ARTICLE_ITEM_FIELDS = (
    "title",
    "url_path",
    "path",
    "depth",
    "lead",
    "image",
    "published_at",
    "first_published_at",
)


def _items(articles: PageQuerySet) -> PageQuerySet:
    return articles.only(*ARTICLE_ITEM_FIELDS)


def renditions_prefetch(images: Iterable[AbstractImage | None], *specs: str) -> None:
    """Read the renditions ``specs`` of ``images`` in one query and keep them on each
    image as Wagtail's ``ImageQuerySet.prefetch_renditions`` does (``prefetched_renditions``):
    ``{% portal_image %}`` then reads neither the cache nor the database for them; a
    rendition still missing is made on the first view as before."""
    by_pk: defaultdict[int, list[AbstractImage]] = defaultdict(list)
    for image in images:
        if image is not None:
            by_pk[image.pk].append(image)
    if not by_pk:
        return
    found: defaultdict[int, list[Any]] = defaultdict(list)
    renditions = get_image_model().get_rendition_model().objects
    for rendition in renditions.filter(image_id__in=list(by_pk), filter_spec__in=specs):
        found[rendition.image_id].append(rendition)
    for pk, copies in by_pk.items():
        for image in copies:
            for rendition in found[pk]:
                rendition.image = image  # its alt text and URL need no query
            image.prefetched_renditions = list(found[pk])


def _list_page(articles: PageQuerySet, number: str | None) -> PaginatorPage[NewsArticlePage]:
    """One page of a list of articles, read now with the renditions of its images."""
    page = Paginator(articles, NEWS_PER_PAGE).get_page(number)
    page.object_list = list(page.object_list)
    renditions_prefetch([article.image for article in page.object_list], LIST_IMAGE_SPEC)
    return page


@dataclass(frozen=True)
class CategoryBlock:
    index: Page  # the category (``NewsIndexPage``), as a link
    articles: list[NewsArticlePage]


def home_latest_by_category(
    home: PortalHomePage,
    *,
    private: Q | None = None,
    children: Sequence[Page] | None = None,
) -> list[CategoryBlock]:
    """The home page's news blocks: each category of this portal with its latest articles,
    all in one query (plus one for the categories, unless ``children``, the home's
    ``portal_children``, are given)."""
    if private is None:
        private = private_pages_q()
    if children is None:
        children = portal_children(home, private=private)
    indexes = _of_type(children, NewsIndexPage)
    latest = articles_latest_per_parent(indexes, LATEST_PER_CATEGORY, private=private)
    return [CategoryBlock(index, latest.get(index.path, [])) for index in indexes]


def articles_latest_per_parent(
    parents: Sequence[Page], limit: int, *, private: Q | None = None
) -> dict[str, list[NewsArticlePage]]:
    """The ``limit`` newest live articles right under each of ``parents`` (pages of one
    depth, e.g. a portal's categories), by the parent's path, in one query: the articles
    are numbered per parent (``ROW_NUMBER() OVER (PARTITION BY`` the parent's path, SQLite
    ≥ 3.25 and PostgreSQL) and only the first ``limit`` of each are read."""
    if not parents:
        return {}
    depths = {parent.depth for parent in parents}
    if len(depths) != 1:
        raise ValueError("articles_latest_per_parent: the parents must have one depth")
    depth = depths.pop()
    under = Q()
    for parent in parents:
        under |= Q(path__startswith=parent.path)
    articles = (
        articles_live(private=private)
        .filter(under, depth=depth + 1)
        .annotate(parent_path=Left("path", depth * Page.steplen))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("parent_path"),
                order_by=[F("shown_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=limit)
    )
    latest: dict[str, list[NewsArticlePage]] = {parent.path: [] for parent in parents}
    for article in _items(articles):
        latest[article.parent_path].append(article)
    return latest


def news_page(
    index: NewsIndexPage, number: str | None, *, private: Q | None = None
) -> PaginatorPage[NewsArticlePage]:
    """One page of a category's list; a missing or odd page number gives the first/last."""
    return _list_page(_items(articles_in(index, private=private)), number)


def article_neighbours(
    article: NewsArticlePage, *, private: Q | None = None
) -> tuple[list[NewsArticlePage], list[NewsArticlePage]]:
    """The category's newer and older articles ("Các tin mới hơn / Các tin cũ hơn")."""
    parent = article.get_parent()
    shown_at = article.display_date
    siblings = _items(articles_in(parent, private=private).select_related(None))
    siblings = siblings.exclude(pk=article.pk)
    if shown_at is None:
        return [], list(siblings[:LATEST_PER_CATEGORY])
    newer_q = Q(shown_at__gt=shown_at) | Q(shown_at=shown_at, pk__gt=article.pk)
    newer = list(siblings.filter(newer_q).order_by("shown_at", "pk")[:LATEST_PER_CATEGORY])
    newer.reverse()
    older = list(siblings.exclude(newer_q)[:LATEST_PER_CATEGORY])
    return newer, older


def related_articles(
    article: NewsArticlePage,
    *,
    tag_ids: Sequence[int] | None = None,
    private: Q | None = None,
) -> list[NewsArticlePage]:
    """Articles of the same portal sharing the most tags, then the newest of the same
    category, in one query (``tag_ids``: the article's tags, when the caller has read them
    already)."""
    if tag_ids is None:
        tag_ids = list(article.tags.values_list("pk", flat=True))
    portal = portal_home_of(article)
    parent = article.get_parent()
    scope = _items(articles_live(private=private).select_related(None)).exclude(pk=article.pk)
    if portal is not None:
        scope = scope.descendant_of(portal)
    same_category = Q(path__startswith=parent.path, depth=parent.depth + 1)
    if not tag_ids:
        return list(scope.filter(same_category)[:RELATED_LIMIT])
    shared = Count("tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True)
    related = (
        scope.annotate(shared=shared)
        .filter(Q(shared__gt=0) | same_category)
        .order_by("-shared", "-shown_at", "-pk")
    )
    return list(related[:RELATED_LIMIT])


def spokespersons_for(unit_id: int | None) -> list[Spokesperson]:
    if unit_id is None:
        return []
    # One unit: its own order, without joining the units for the model's default order.
    persons = Spokesperson.objects.filter(unit_id=unit_id, is_active=True)
    return list(persons.order_by("sort_order", "name"))


def external_links() -> list[ExternalLink]:
    return list(ExternalLink.objects.filter(is_active=True))


@dataclass(frozen=True)
class OnestopSummary:
    """The one-stop shop's results for the home page (from the cached public board)."""

    year: BoardFigures
    month: BoardFigures
    year_label: str
    month_label: str


def onestop_summary(home: PortalHomePage) -> OnestopSummary | None:
    """The on-time rate block of the district home: None on a commune's home, and None
    until the year has resolved dossiers (the block is hidden, never shows made-up 0 %)."""
    if not home.is_root_portal():
        return None
    board = statistics.public_board()
    year = board.total.figures.get("year")
    month = board.total.figures.get("month")
    if year is None or month is None or year.on_time_rate is None:
        return None
    return OnestopSummary(
        year=year,
        month=month,
        year_label=f"{board.periods['year'].start:%Y}",
        month_label=f"{board.periods['month'].start:%m/%Y}",
    )


def member_portals(
    home: PortalHomePage, *, private: Q | None = None, children: Sequence[Page] | None = None
) -> list[Page]:
    """The communes' portals under a district home (none under a commune's home), as links,
    by name without diacritics ("Đ" with "D", where database collations put it after "Z");
    ``children``: the home's ``portal_children`` when read already."""
    if children is None:
        children = portal_children(home, private=private)
    portals = _of_type(children, PortalHomePage)
    return sorted(portals, key=lambda portal: (fold_vietnamese(portal.title), portal.title))


# --- the page's place in the tree: its portal, its ancestors, the menu ------------------------


def _routed_parent(page: Page) -> Page | None:
    """The parent Wagtail's routing left on ``page`` (it keeps each routed page's parent,
    Treebeard's ``_cached_parent_obj``, which ``get_parent()`` returns), else None: asking
    ``get_parent()`` for a page that was not routed would cost a query per level."""
    if "_cached_parent_obj" not in vars(page):
        return None
    parent: Page | None = page.get_parent()
    return parent


def portal_home_of(page: Page) -> PortalHomePage | None:
    """The portal a page belongs to: its nearest ``PortalHomePage``, itself included.

    Without a query for a page Wagtail routed to (its parents up to the site's root page
    are known, as specific pages); otherwise, or when a parent on the way is a plain
    ``Page``, one query."""
    node: Page | None = page
    while node is not None:
        if isinstance(node, PortalHomePage):
            return node
        if type(node) is Page:
            break
        node = _routed_parent(node)
    home: PortalHomePage | None = PortalHomePage.objects.ancestor_of(page).last()
    return home


def page_ancestors(page: Page) -> list[Page]:
    """The page's ancestors below Wagtail's root, top first (the breadcrumb): without a
    query when Wagtail routed the request to the page down from the district's home,
    otherwise one query."""
    chain: list[Page] = []
    node: Page | None = page
    while node is not None and node.depth > 2:
        node = _routed_parent(node)
        if node is not None:
            chain.append(node)
    if node is None:
        return list(page.get_ancestors().filter(depth__gte=2))
    chain.reverse()
    return chain


#: What a link to a page needs (title and ``{% pageurl %}``) and what picks the menu and
#: the home's categories out of a portal's children.
_LINK_FIELDS = ("title", "url_path", "path", "depth", "content_type", "show_in_menus")


def portal_children(home: Page, *, private: Q | None = None) -> list[Page]:
    """The home's live, public children by path, as plain pages (a link each): its menu,
    categories and directive index are picked from this one list."""
    children = home.get_children().live().only(*_LINK_FIELDS).order_by("path")
    return list(_public(children, private))


def _of_type(pages: Sequence[Page], model: type[Page]) -> list[Page]:
    content_type = ContentType.objects.get_for_model(model)
    return [page for page in pages if page.content_type_id == content_type.pk]


def portal_menu(
    home: Page, *, private: Q | None = None, children: Sequence[Page] | None = None
) -> list[Page]:
    """The home's children marked "show in menus", whatever their type (categories,
    introduction, map, topics, directives, contact); communes' portals are listed elsewhere.
    ``children``: the home's ``portal_children`` when read already."""
    if children is None:
        children = portal_children(home, private=private)
    portal_type = ContentType.objects.get_for_model(PortalHomePage).pk
    return [p for p in children if p.show_in_menus and p.content_type_id != portal_type]


def unit_agencies(unit_id: int | None) -> list[Agency]:
    """Active agencies of a unit with their active departments (Cơ cấu tổ chức)."""
    if unit_id is None:
        return []
    departments = Department.objects.filter(is_active=True).order_by("name")
    return list(
        Agency.objects.filter(unit_id=unit_id, is_active=True)
        .order_by("name")
        .prefetch_related(
            Prefetch("departments", queryset=departments, to_attr="active_departments")
        )
    )


# --- pages: map, topics, directives, roll-up -------------------------------------------------

DIRECTIVES_PER_PAGE = 20
HOME_DIRECTIVES = 5
ROLLUP_LIMIT = 8
DIRECTIVE_TEXT_MAX = 100
YEAR_PARAM = "nam"
TEXT_PARAM = "tu-khoa"
PAGE_PARAM = "trang"
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
# A word of the directive filter: letters and digits ("125/UBND-VP" is three words), as the
# search index's folded copies cut them (``models.FoldedSearchMixin``).
_WORD = re.compile(r"[^\W_]+")


def private_pages_q() -> Q:
    """Pages under a view restriction (what ``PageQuerySet.public()`` leaves out), read in
    one query so that several lists of one page can share it (an empty ``Q`` when no page
    is restricted)."""
    private = Q()
    for path in PageViewRestriction.objects.values_list("page__path", flat=True):
        private |= Q(path__startswith=path)
    return private


_T = TypeVar("_T")


def _per_request(request: HttpRequest | None, key: Hashable, read: Callable[[], _T]) -> _T:
    """``read()`` once per request: kept on the request, never across requests (a page
    published or made private shows in the very next one)."""
    if request is None:
        return read()
    memo: dict[Hashable, Any] = request.__dict__.setdefault("_egov_portal_reads", {})
    if key not in memo:
        memo[key] = read()
    value: _T = memo[key]
    return value


def private_pages_for(request: HttpRequest | None) -> Q:
    """``private_pages_q`` read once per request, so that the page's lists, its menu and
    its blocks share one query."""
    return _per_request(request, "private", private_pages_q)


def portal_children_for(request: HttpRequest | None, home: Page) -> list[Page]:
    """``portal_children`` of ``home`` read once per request (the menu, the home's
    categories and its directive index come from it)."""
    return _per_request(
        request,
        ("children", home.pk),
        lambda: portal_children(home, private=private_pages_for(request)),
    )


def _public(pages: PageQuerySet, private: Q | None) -> PageQuerySet:
    if private is None:
        return pages.public()
    return pages.exclude(private) if private else pages


def topics_open(
    home: PortalHomePage, on: date | None = None, *, private: Q | None = None
) -> list[TopicPage]:
    """The portal's topics whose period includes ``on`` (today in Asia/Ho_Chi_Minh), the
    most recently opened first."""
    day = on or timezone.localdate()
    topics = (
        _public(TopicPage.objects.child_of(home).live(), private)
        .filter(starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("image")
        .only(*_LINK_FIELDS, "image", "starts_on", "ends_on")
        .order_by("-starts_on", "path")
    )
    return list(topics)


def topic_articles_page(
    topic: TopicPage, number: str | None, *, private: Q | None = None
) -> PaginatorPage[NewsArticlePage]:
    """One page of a topic's articles (like a category's list: odd numbers give the first
    or the last page)."""
    return _list_page(_items(articles_in(topic, private=private)), number)


@dataclass(frozen=True)
class DirectiveFilters:
    """The directive list's filters, parsed from the query string; what could not be used
    is named in ``errors`` (Vietnamese) and ignored."""

    year: int | None = None
    text: str = ""
    errors: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.year is not None or bool(self.text)

    @property
    def phrase(self) -> str:
        """The text as the search index holds it: folded words (no diacritics, lower case)
        separated by spaces: "Công văn 125/UBND" → "cong van 125 ubnd"."""
        return " ".join(_WORD.findall(fold_vietnamese(self.text)))

    def querystring(self) -> str:
        """``nam=…&tu-khoa=…`` for the pagination links (empty without filters)."""
        params: dict[str, str | int] = {}
        if self.year is not None:
            params[YEAR_PARAM] = self.year
        if self.text:
            params[TEXT_PARAM] = self.text
        return urlencode(params)


def directive_filters_parse(params: Mapping[str, str]) -> DirectiveFilters:
    """Read ``nam`` (a year, 4 digits) and ``tu-khoa`` (text in the number or summary).

    Never raises: a bad year is dropped with a message; the text loses control characters
    (a NUL would make PostgreSQL fail) and is cut to ``DIRECTIVE_TEXT_MAX`` characters; a
    text without a letter or digit (only punctuation) is dropped with a message.
    """
    errors: list[str] = []
    year: int | None = None
    raw_year = (params.get(YEAR_PARAM) or "").strip()
    if raw_year:
        if raw_year.isascii() and raw_year.isdigit() and len(raw_year) == 4:
            year = int(raw_year)
        else:
            shown = _CONTROL_CHARS.sub("", raw_year)[:20]
            errors.append(
                _("Năm “%(value)s” không hợp lệ (cần 4 chữ số, ví dụ 2026): đã bỏ qua bộ lọc năm.")
                % {"value": shown}
            )
    text = " ".join(_CONTROL_CHARS.sub(" ", params.get(TEXT_PARAM) or "").split())
    if len(text) > DIRECTIVE_TEXT_MAX:
        text = text[:DIRECTIVE_TEXT_MAX].rstrip()
        errors.append(
            _("Từ khóa dài quá %(max)d ký tự: chỉ tìm theo %(max)d ký tự đầu.")
            % {"max": DIRECTIVE_TEXT_MAX}
        )
    if text and not _WORD.search(text):
        errors.append(
            _("Từ khóa “%(value)s” không có chữ hoặc số nào: đã bỏ qua bộ lọc từ khóa.")
            % {"value": text[:20]}
        )
        text = ""
    return DirectiveFilters(year=year, text=text, errors=tuple(errors))


def directives_in(index: DirectiveIndexPage, *, private: Q | None = None) -> PageQuerySet:
    """An index's live directives, newest first (by date of issue, then by creation)."""
    return (
        _public(DirectivePage.objects.child_of(index).live(), private)
        .select_related("document")
        .order_by("-issued_on", "-pk")
    )


def directives_page(
    index: DirectiveIndexPage,
    filters: DirectiveFilters,
    number: str | None,
    *,
    private: Q | None = None,
) -> PaginatorPage[DirectivePage]:
    """One page of the index's directives, filtered by year and by text in the number,
    the summary line (title), the summary, the issuer or the signer.

    The text is matched as a phrase (its words, in order and next to each other) against
    the folded copies in Wagtail's search index (``FoldedSearchMixin``), so case and
    diacritics do not matter on SQLite (FTS5) and PostgreSQL alike: "125/ubnd" finds
    "125/UBND-VP", "cong van" finds "Công văn".  The year, live/public and the index are
    filters of the same query, and the order stays newest first.
    """
    directives: PageQuerySet = directives_in(index, private=private).order_by("-issued_on", "-id")
    if filters.year is not None:
        directives = directives.filter(issued_on__year=filters.year)
    listed: PageQuerySet | BaseSearchResults = directives
    if filters.text:
        phrase = filters.phrase
        listed = (
            directives.search(Phrase(phrase), order_by_relevance=False)
            if phrase
            else directives.none()
        )
    return Paginator(listed, DIRECTIVES_PER_PAGE).get_page(number)


def directive_years(index: DirectiveIndexPage) -> list[int]:
    """The years that have directives in this index, latest first (the year filter's list)."""
    days = DirectivePage.objects.child_of(index).live().dates("issued_on", "year", order="DESC")
    return [day.year for day in days]


@dataclass(frozen=True)
class LatestDirectives:
    index: Page  # the portal's ``DirectiveIndexPage``, as a link
    directives: list[DirectivePage]


def directives_latest(
    home: PortalHomePage,
    limit: int = HOME_DIRECTIVES,
    *,
    private: Q | None = None,
    children: Sequence[Page] | None = None,
) -> LatestDirectives | None:
    """The home page's block: the portal's own directive index and its newest directives
    (a commune's directives stay on the commune's home); ``children``: the home's
    ``portal_children`` when read already."""
    if children is None:
        children = portal_children(home, private=private)
    index = next(iter(_of_type(children, DirectiveIndexPage)), None)
    if index is None:
        return None
    directives = directives_in(index, private=private).select_related(None)
    directives = directives.only(*_LINK_FIELDS, "number", "issued_on")[:limit]
    return LatestDirectives(index=index, directives=list(directives))


@dataclass(frozen=True)
class CommuneArticle:
    article: NewsArticlePage
    portal: Page  # the commune's portal home, as a link


def communes_news(
    home: PortalHomePage,
    portals: Sequence[Page] | None = None,
    limit: int = ROLLUP_LIMIT,
    *,
    private: Q | None = None,
) -> list[CommuneArticle]:
    """The district home's roll-up: the newest articles of all member portals, each with
    its commune's portal.  One query for the articles (plus one for the portals unless
    ``portals``, the home's ``member_portals``, is given); empty on a commune's home."""
    if not home.is_root_portal():
        return []
    if portals is None:
        portals = member_portals(home)
    if not portals:
        return []
    by_path = {portal.path: portal for portal in portals}
    under_a_portal = Q()
    for path in by_path:
        under_a_portal |= Q(path__startswith=path)
    prefix = len(home.path) + home.steplen
    articles = _items(articles_live(private=private).select_related(None)).filter(under_a_portal)
    articles = articles[:limit]
    return [CommuneArticle(article, by_path[article.path[:prefix]]) for article in articles]


@dataclass(frozen=True)
class HomeBlocks:
    """What the home page adds to its categories: open topics, latest directives, and on
    the district's home the communes' news."""

    topics: list[TopicPage]
    directives: LatestDirectives | None
    rollup: list[CommuneArticle]


def home_blocks(
    home: PortalHomePage,
    portals: Sequence[Page] | None,
    *,
    private: Q | None = None,
    children: Sequence[Page] | None = None,
) -> HomeBlocks:
    """The home page's topics, directives and roll-up, with the view restrictions read once
    (``private`` and ``children``, the home's ``portal_children``: already read for the
    request; otherwise one more query each): then three queries on the district's home, two
    on a commune's."""
    if private is None:
        private = private_pages_q()
    if children is None:
        children = portal_children(home, private=private)
    return HomeBlocks(
        topics=topics_open(home, private=private),
        directives=directives_latest(home, private=private, children=children),
        rollup=communes_news(home, portals, private=private),
    )


@dataclass(frozen=True)
class MapUnit:
    """A sub-unit listed beside the map, with its member portal when it has one."""

    unit: AdministrativeUnit
    portal: PortalHomePage | None


@dataclass(frozen=True)
class MapUnits:
    home: PortalHomePage | None
    unit: AdministrativeUnit | None
    units: list[MapUnit]
    parent_portal: PortalHomePage | None


def map_units(page: Page, *, private: Q | None = None) -> MapUnits:
    """The units of the map's portal: its unit's active sub-units (official order, by
    code), each linked to its member portal when one is live; for a commune (no sub-units
    in the organizations module) the district's portal it belongs to."""
    home: PortalHomePage | None = (
        PortalHomePage.objects.ancestor_of(page).select_related("unit").order_by("path").last()
    )
    if home is None or home.unit is None:
        return MapUnits(home=home, unit=None, units=[], parent_portal=None)
    children = list(
        AdministrativeUnit.objects.filter(parent_id=home.unit_id, is_active=True).order_by("code")
    )
    portals: dict[int, PortalHomePage] = {}
    if children:
        for portal in (
            _public(PortalHomePage.objects.live(), private)
            .filter(unit__in=children)
            .order_by("path")
        ):
            if portal.unit_id is not None:
                portals.setdefault(portal.unit_id, portal)
    parent_portal = None
    if not home.is_root_portal():
        parent_portal = _public(PortalHomePage.objects.ancestor_of(home).live(), private).last()
    return MapUnits(
        home=home,
        unit=home.unit,
        units=[MapUnit(unit, portals.get(unit.pk)) for unit in children],
        parent_portal=parent_portal,
    )
