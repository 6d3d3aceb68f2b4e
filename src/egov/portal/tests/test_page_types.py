"""Editors cannot build nonsense: where each page type may be created."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page

from egov.portal.constants import NewsCategory
from egov.portal.models import (
    ContactPage,
    DirectiveIndexPage,
    IntroductionPage,
    MapPage,
    NewsArticlePage,
    NewsIndexPage,
    OrganisationPage,
    PortalHomePage,
    TopicPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> SimpleNamespace:
    root = Page.get_first_root_node()
    district = PortalHomePage(title="Huyện", slug="huyen")
    root.add_child(instance=district)
    commune = PortalHomePage(title="Xã", slug="xa")
    district.add_child(instance=commune)
    news = NewsIndexPage(title="Kinh tế", category=NewsCategory.ECONOMY)
    district.add_child(instance=news)
    intro = IntroductionPage(title="Giới thiệu")
    district.add_child(instance=intro)
    article = NewsArticlePage(title="Tin", lead="Sapo", body="<p>Nội dung</p>")
    news.add_child(instance=article)
    return SimpleNamespace(
        root=root, district=district, commune=commune, news=news, intro=intro, article=article
    )


def test_home_pages_sit_under_the_root_or_the_district_home_only(tree: SimpleNamespace) -> None:
    assert PortalHomePage.can_create_at(tree.root)
    assert PortalHomePage.can_create_at(tree.district)
    assert not PortalHomePage.can_create_at(tree.commune)
    assert not PortalHomePage.can_create_at(tree.news)
    assert not PortalHomePage.can_create_at(tree.intro)


def test_news_lives_in_a_category_of_a_portal(tree: SimpleNamespace) -> None:
    assert NewsIndexPage.can_create_at(tree.district)
    assert NewsIndexPage.can_create_at(tree.commune)
    assert not NewsIndexPage.can_create_at(tree.root)
    assert not NewsIndexPage.can_create_at(tree.intro)
    assert NewsArticlePage.can_create_at(tree.news)
    for parent in (tree.root, tree.district, tree.intro, tree.article):
        assert not NewsArticlePage.can_create_at(parent)
    assert list(NewsArticlePage.allowed_subpage_models()) == []
    assert set(NewsIndexPage.allowed_subpage_models()) == {NewsArticlePage}


def test_home_subpages(tree: SimpleNamespace) -> None:
    assert set(PortalHomePage.allowed_subpage_models()) == {
        PortalHomePage,
        NewsIndexPage,
        IntroductionPage,
        OrganisationPage,
        MapPage,
        TopicPage,
        DirectiveIndexPage,
        ContactPage,
    }
    assert IntroductionPage.can_create_at(tree.intro)
    assert not IntroductionPage.can_create_at(tree.news)


def test_one_contact_and_one_organisation_page_per_portal(tree: SimpleNamespace) -> None:
    assert ContactPage.can_create_at(tree.district)
    tree.district.add_child(instance=ContactPage(title="Liên hệ", address="Số 1"))
    assert not ContactPage.can_create_at(tree.district)
    assert ContactPage.can_create_at(tree.commune)

    assert OrganisationPage.can_create_at(tree.intro)
    tree.intro.add_child(instance=OrganisationPage(title="Cơ cấu tổ chức"))
    assert not OrganisationPage.can_create_at(tree.district)
    assert not OrganisationPage.can_create_at(tree.intro)
    assert OrganisationPage.can_create_at(tree.commune)


def test_a_category_once_per_portal(tree: SimpleNamespace) -> None:
    duplicate = NewsIndexPage(title="Kinh tế 2", category=NewsCategory.ECONOMY)
    with pytest.raises(ValidationError) as excinfo:
        tree.district.add_child(instance=duplicate)
    assert "đã có chuyên mục" in str(excinfo.value)
    # The same category in a commune's portal is fine.
    tree.commune.add_child(instance=NewsIndexPage(title="Kinh tế", category=NewsCategory.ECONOMY))
