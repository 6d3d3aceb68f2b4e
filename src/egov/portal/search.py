"""Portal search (issue 8 §5): a portal's pages and the procedure catalogue.

Matching.  Each searchable page (``models.FoldedSearchMixin``) is indexed by Wagtail's
database backend (SQLite FTS5 locally, PostgreSQL full-text search in production) with
``folded_title`` and ``folded_text``: diacritic-free copies of its text.  The query is
folded the same way (``egov.core.text.fold_vietnamese``) and cut into plain terms, so
"cai cach hanh chinh" finds "Cải cách hành chính" and nothing the user types reaches FTS5
or ``to_tsquery`` as an operator.  ``search(fields=["folded_title", "folded_text"])`` is not
possible: both backends build a ``fields=`` search from columns (FTS5's "title"/"body"
columns, PostgreSQL's model columns) and the folded copies are methods; they are stored in
the entry's body, so the whole entry is searched, which finds the same pages on both.

Ranking.  Pages whose folded title holds every term come first, then pages whose title
holds some of them, then the others; newest first within each group.  The backends' own
relevance is not used: SQLite's BM25 score is a correlated FTS query per matching page
(seconds once a few thousand pages match), it cannot weight ``folded_title`` (stored in
the body column), and the two backends would order differently.  The newest
``MAX_RANKED`` matches are ranked and listed; the count shown is the real one.

Scope.  A portal is its home's sub-tree (ADR 0016): the district's search covers the
communes' portals too, a commune's covers its own pages only.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, Q, TextChoices
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet
from wagtail.search.query import PlainText

from egov.core.text import fold_vietnamese
from egov.portal.constants import NewsCategory
from egov.portal.models import (
    DirectivePage,
    IntroductionPage,
    MapPage,
    NewsArticlePage,
    NewsIndexPage,
    PortalHomePage,
    TopicPage,
)
from egov.procedures import facade as procedures

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "RESULTS_PER_PAGE",
    "PageHit",
    "PortalSearchResult",
    "SearchKind",
    "default_portal",
    "highlight",
    "portal_homes",
    "portal_search",
    "search_terms",
]

MAX_QUERY_LENGTH = 200
#: Words of a query that are searched; the rest are dropped (a pasted paragraph stays cheap).
MAX_TERMS = 12
RESULTS_PER_PAGE = 10
#: Pages (and procedures) ranked and listed for one query: 100 result pages.
MAX_RANKED = 1000
#: Procedures shown beside the pages; the catalogue's own search lists the rest.
PROCEDURES_SHOWN = 5
SNIPPET_CHARS = 240


class SearchKind(TextChoices):
    """The "loai" filter of the search page."""

    ALL = "", _("Tất cả")
    NEWS = "tin-tuc", _("Tin tức")
    INTRODUCTION = "gioi-thieu", _("Trang giới thiệu")
    DIRECTIVE = "chi-dao-dieu-hanh", _("Chỉ đạo điều hành")
    TOPIC = "chuyen-de", _("Chuyên đề")
    PROCEDURE = "thu-tuc", _("Thủ tục hành chính")


#: The page types searched, with the kind each one is listed as.
PAGE_KINDS: dict[type[Page], SearchKind] = {
    NewsArticlePage: SearchKind.NEWS,
    IntroductionPage: SearchKind.INTRODUCTION,
    MapPage: SearchKind.INTRODUCTION,
    DirectivePage: SearchKind.DIRECTIVE,
    TopicPage: SearchKind.TOPIC,
}

#: Where a result's snippet is taken from, first field holding a term first.
SNIPPET_FIELDS: dict[type[Page], tuple[str, ...]] = {
    NewsArticlePage: ("lead", "body"),
    IntroductionPage: ("lead", "body"),
    MapPage: ("lead", "body"),
    TopicPage: ("lead", "body"),
    DirectivePage: ("summary", "issuer", "signer"),
}

# A word: letters and digits ("125/UBND-VP" is three words, "1.001612" two).
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
# The end of a block of rich text: a space there keeps "…tháng.</p><p>Ban…" two words.
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|div|blockquote|td|th)>|<br\s*/?>|<hr\s*/?>)", re.I)


# --- terms and highlighting ------------------------------------------------------------------


def search_terms(query: str | None) -> list[str]:
    """The folded plain words of a query, in order, without repeats, at most ``MAX_TERMS``.

    Everything else (quotes, ``&|!:*()``, emoji, FTS or SQL syntax) is a separator:
    ``'"Cải cách" OR (hành*)'`` → ``["cai", "cach", "or", "hanh"]``.
    """
    terms: list[str] = []
    for word in _WORD.findall(fold_vietnamese(query)):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def _text_words(text: str) -> set[str]:
    return set(_WORD.findall(fold_vietnamese(text)))


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` escaped, the words matching a term (diacritics ignored) in ``<mark>``."""
    wanted = set(terms)
    text = unicodedata.normalize("NFC", text)
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        if fold_vietnamese(match.group()) in wanted:
            pieces.append(escape(text[last : match.start()]))
            pieces.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above  # nosec B308, B703


def _first_match(text: str, wanted: set[str]) -> int | None:
    for match in _WORD.finditer(text):
        if fold_vietnamese(match.group()) in wanted:
            return match.start()
    return None


def _window(text: str, at: int, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around position ``at``, cut between words."""
    if len(text) <= width:
        return text
    start = max(0, at - width // 4)
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < at else start
    end = start + width
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > at else end
    return ("… " if start > 0 else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def snippet(texts: Sequence[str], terms: Iterable[str]) -> SafeString:
    """A highlighted extract of the first text holding a term (else of the first text)."""
    wanted = set(terms)
    cleaned = [text for text in (_clean(t) for t in texts) if text]
    for text in cleaned:
        at = _first_match(text, wanted)
        if at is not None:
            return highlight(_window(text, at), wanted)
    return highlight(_window(cleaned[0], 0), wanted) if cleaned else mark_safe("")  # nosec B308  # the empty string


def _plain_text(value: Any) -> str:
    """A model, rich text or stream field's value as plain text."""
    if value is None:
        return ""
    if hasattr(value, "stream_block"):  # a StreamValue: its blocks' searchable text
        value = " ".join(
            str(text) for block in value for text in block.block.get_searchable_content(block.value)
        )
    return html.unescape(strip_tags(_BLOCK_END.sub(r"\1 ", str(value))))


# --- portals ---------------------------------------------------------------------------------


def portal_homes() -> list[PortalHomePage]:
    """The live, public portals: the district's first, then the communes' (tree order)."""
    return list(PortalHomePage.objects.live().public().order_by("path"))


def default_portal(request: HttpRequest, homes: Sequence[PortalHomePage]) -> PortalHomePage | None:
    """The portal of the request's site (its root page), else the first district portal."""
    site = Site.find_for_request(request)
    if site is not None:
        for home in homes:
            if home.pk == site.root_page_id:
                return home
    return next((home for home in homes if home.is_root_portal()), homes[0] if homes else None)


# --- the search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageHit:
    """One page of the results, ready to show."""

    page: Page
    kind: SearchKind
    category: str
    portal: str
    date: date | datetime | None
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class PortalSearchResult:
    """What one search found.  ``pages``/``procedures`` are paginated (``None``: not searched)."""

    terms: list[str]
    pages: PaginatorPage[Any] | None = None
    page_total: int = 0
    procedures: PaginatorPage[Any] | list[Any] | None = None
    procedure_total: int = 0
    truncated: bool = False
    procedures_paginated: bool = False

    @property
    def total(self) -> int:
        return self.page_total + self.procedure_total


def _any_of(conditions: list[Q]) -> Q | None:
    return reduce(or_, conditions) if conditions else None


def _pages_to_search(
    scope_home: PortalHomePage | None, kind: SearchKind, category: str
) -> PageQuerySet | None:
    """The live, public pages of the scope a search may return (``None``: none at all)."""
    pages: PageQuerySet = Page.objects.live().public()
    if scope_home is not None:
        pages = pages.descendant_of(scope_home)
    if category:
        # Only news articles have a category: those right under the category's index pages.
        if kind not in (SearchKind.ALL, SearchKind.NEWS):
            return None
        indexes = NewsIndexPage.objects.filter(category=category)
        if scope_home is not None:
            indexes = indexes.descendant_of(scope_home)
        in_category = _any_of(
            [
                Q(path__startswith=path, depth=depth + 1)
                for path, depth in indexes.values_list("path", "depth")
            ]
        )
        return None if in_category is None else pages.type(NewsArticlePage).filter(in_category)
    if kind == SearchKind.TOPIC:
        # A topic and the articles it holds.
        topics = TopicPage.objects.all()
        if scope_home is not None:
            topics = topics.descendant_of(scope_home)
        in_topics = _any_of(
            [Q(path__startswith=path) for path in topics.values_list("path", flat=True)]
        )
        return None if in_topics is None else pages.type(*PAGE_KINDS).filter(in_topics)
    return pages.type(*[model for model, of_kind in PAGE_KINDS.items() if kind in ("", of_kind)])


def _title_group(title: str, wanted: set[str]) -> int:
    """0: every term in the title, 1: some of them, 2: none (the text matched)."""
    hits = len(wanted & _text_words(title))
    return 0 if hits == len(wanted) else 1 if hits else 2


def _newest_first(moment: datetime | None) -> float:
    return -moment.timestamp() if moment is not None else 0.0


def _category_of(page: Page, parents: dict[str, Page]) -> str:
    if isinstance(page, NewsArticlePage):
        parent = parents.get(page.path[: -Page.steplen])
        if isinstance(parent, NewsIndexPage):
            return str(parent.get_category_display())
        if isinstance(parent, TopicPage):
            return str(_("Chuyên đề: %(title)s") % {"title": parent.title})
    if isinstance(page, DirectivePage):
        return str(_("Số %(number)s") % {"number": page.number})
    return ""


def _date_of(page: Page) -> date | datetime | None:
    if isinstance(page, NewsArticlePage):
        return page.display_date
    if isinstance(page, DirectivePage):
        return page.issued_on
    if isinstance(page, TopicPage):
        return page.starts_on
    return page.last_published_at or page.first_published_at  # type: ignore[no-any-return]


def _hits(page_ids: Sequence[int], terms: Sequence[str]) -> list[PageHit]:
    """The results of one result page, in ranked order, with what the list shows."""
    by_id = {page.pk: page for page in Page.objects.filter(pk__in=page_ids).specific()}
    pages = [by_id[pk] for pk in page_ids if pk in by_id]
    parent_paths = {
        page.path[: -Page.steplen] for page in pages if isinstance(page, NewsArticlePage)
    }
    parents: dict[str, Page] = {}
    for model in (NewsIndexPage, TopicPage):
        parents.update({p.path: p for p in model.objects.filter(path__in=parent_paths)})
    homes = {home.path: home.title for home in PortalHomePage.objects.only("path", "title")}
    hits = []
    for page in pages:
        portal = next(
            (
                homes[page.path[:length]]
                for length in range(len(page.path) - Page.steplen, 0, -Page.steplen)
                if page.path[:length] in homes
            ),
            "",
        )
        texts = [_plain_text(getattr(page, name, "")) for name in SNIPPET_FIELDS[type(page)]]
        hits.append(
            PageHit(
                page=page,
                kind=PAGE_KINDS[type(page)],
                category=_category_of(page, parents),
                portal=portal,
                date=_date_of(page),
                title_html=highlight(page.title, terms),
                snippet_html=snippet(texts, terms),
            )
        )
    return hits


def _paginate(items: Sequence[Any], number: int | str | None) -> PaginatorPage[Any]:
    """One page of ``items``; a page beyond the last gives the last, an odd one the first."""
    return Paginator(items, RESULTS_PER_PAGE).get_page(number)


def _search_pages(
    terms: list[str],
    scope_home: PortalHomePage | None,
    kind: SearchKind,
    category: str,
    page_number: int | str | None,
) -> tuple[PaginatorPage[Any], int, bool]:
    pages = _pages_to_search(scope_home, kind, category)
    if pages is None:
        return _paginate([], 1), 0, False
    results = (
        pages.only("id", "title", "first_published_at")
        .annotate(shown_at=Coalesce(F("newsarticlepage__published_at"), F("first_published_at")))
        .order_by("-first_published_at", "-id")
        .search(PlainText(" ".join(terms), operator="and"), order_by_relevance=False)
    )
    candidates = list(results[:MAX_RANKED])
    total = len(candidates) if len(candidates) < MAX_RANKED else results.count()
    wanted = set(terms)
    candidates.sort(key=lambda p: (_title_group(p.title, wanted), _newest_first(p.shown_at), -p.pk))
    listed = _paginate([page.pk for page in candidates], page_number)
    shown: PaginatorPage[Any] = PaginatorPage(
        _hits(list(listed.object_list), terms), listed.number, listed.paginator
    )
    return shown, total, total > MAX_RANKED


def _search_procedures(terms: list[str], limit: int) -> tuple[list[Any], int]:
    """Procedures in force whose name, code, sector or keywords hold every term; names
    holding them first, then by code."""
    versions = procedures.procedure_search(q=" ".join(terms))
    candidates = list(versions[:limit])
    total = len(candidates) if len(candidates) < limit else versions.count()
    wanted = set(terms)
    return sorted(candidates, key=lambda v: _title_group(v.name, wanted)), total


def portal_search(
    query: str,
    *,
    scope_home: PortalHomePage | None,
    kind: str = SearchKind.ALL,
    category: str = "",
    page_number: int | str | None = 1,
) -> PortalSearchResult:
    """Search a portal's pages and the procedure catalogue for ``query``.

    ``scope_home``: the portal searched (its sub-tree; ``None`` searches every portal);
    ``kind``: a ``SearchKind`` value; ``category``: a ``NewsCategory`` value (news only);
    ``page_number``: the result page ("trang"), the last one when beyond it.  Procedures
    are searched for "all" (the first ``PROCEDURES_SHOWN``) and "thủ tục" (paginated).
    """
    kind = SearchKind(kind)
    if category and category not in NewsCategory.values:
        raise ValueError(f"unknown news category {category!r}")
    terms = search_terms(query)
    result = PortalSearchResult(terms=terms)
    if not terms:
        return result
    if kind != SearchKind.PROCEDURE:
        result.pages, result.page_total, result.truncated = _search_pages(
            terms, scope_home, kind, category, page_number
        )
    if kind == SearchKind.PROCEDURE:
        found, result.procedure_total = _search_procedures(terms, MAX_RANKED)
        result.procedures = _paginate(found, page_number)
        result.procedures_paginated = True
        result.truncated = result.procedure_total > MAX_RANKED
    elif kind == SearchKind.ALL and not category:
        found, result.procedure_total = _search_procedures(terms, MAX_RANKED)
        result.procedures = found[:PROCEDURES_SHOWN]
    return result
