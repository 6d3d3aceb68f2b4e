"""Reads of the portal: latest news, pagination, neighbours, related articles, snippets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from wagtail.query import PageQuerySet

from egov.organizations.facade import Agency, Department
from egov.portal.constants import LATEST_PER_CATEGORY, NEWS_PER_PAGE, RELATED_LIMIT
from egov.portal.models import (
    ExternalLink,
    NewsArticlePage,
    NewsIndexPage,
    PortalHomePage,
    Spokesperson,
)
from egov.statistics import facade as statistics
from egov.statistics.facade import BoardFigures

if TYPE_CHECKING:
    from wagtail.models import Page


def articles_live() -> PageQuerySet:
    """Live articles with their display date (``shown_at``), newest first."""
    return (
        NewsArticlePage.objects.live()
        .public()
        .annotate(shown_at=Coalesce(F("published_at"), F("first_published_at")))
        .select_related("image")
        .order_by("-shown_at", "-pk")
    )


def articles_in(index: Page) -> PageQuerySet:
    return articles_live().child_of(index)


@dataclass(frozen=True)
class CategoryBlock:
    index: NewsIndexPage
    articles: list[NewsArticlePage]


def home_latest_by_category(home: PortalHomePage) -> list[CategoryBlock]:
    """The home page's news blocks: each category of this portal with its latest articles."""
    indexes = NewsIndexPage.objects.child_of(home).live().public().order_by("path")
    return [
        CategoryBlock(index, list(articles_in(index)[:LATEST_PER_CATEGORY])) for index in indexes
    ]


def news_page(index: NewsIndexPage, number: str | None) -> PaginatorPage[NewsArticlePage]:
    """One page of a category's list; a missing or odd page number gives the first/last."""
    return Paginator(articles_in(index), NEWS_PER_PAGE).get_page(number)


def article_neighbours(
    article: NewsArticlePage,
) -> tuple[list[NewsArticlePage], list[NewsArticlePage]]:
    """The category's newer and older articles ("Các tin mới hơn / Các tin cũ hơn")."""
    parent = article.get_parent()
    shown_at = article.display_date
    siblings = articles_in(parent).exclude(pk=article.pk)
    if shown_at is None:
        return [], list(siblings[:LATEST_PER_CATEGORY])
    newer_q = Q(shown_at__gt=shown_at) | Q(shown_at=shown_at, pk__gt=article.pk)
    newer = list(siblings.filter(newer_q).order_by("shown_at", "pk")[:LATEST_PER_CATEGORY])
    newer.reverse()
    older = list(siblings.exclude(newer_q)[:LATEST_PER_CATEGORY])
    return newer, older


def related_articles(article: NewsArticlePage) -> list[NewsArticlePage]:
    """Articles sharing the most tags, then the newest of the same category."""
    tag_ids = list(article.tags.values_list("pk", flat=True))
    portal = PortalHomePage.objects.ancestor_of(article).last()
    scope = articles_live().exclude(pk=article.pk)
    if portal is not None:
        scope = scope.descendant_of(portal)
    related: list[NewsArticlePage] = []
    if tag_ids:
        related = list(
            scope.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(shared=Count("tagged_items", distinct=True))
            .order_by("-shared", "-shown_at", "-pk")[:RELATED_LIMIT]
        )
    if len(related) < RELATED_LIMIT:
        seen = [a.pk for a in related]
        same_category = scope.child_of(article.get_parent()).exclude(pk__in=seen)
        related += list(same_category[: RELATED_LIMIT - len(related)])
    return related


def spokespersons_for(unit_id: int | None) -> list[Spokesperson]:
    if unit_id is None:
        return []
    return list(Spokesperson.objects.filter(unit_id=unit_id, is_active=True))


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


def member_portals(home: PortalHomePage) -> list[PortalHomePage]:
    """The communes' portals under a district home (none under a commune's home)."""
    return list(PortalHomePage.objects.child_of(home).live().public().order_by("title"))


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
