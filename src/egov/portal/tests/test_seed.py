"""``seed_portal``: the district portal, three commune portals, built once, rerun to no effect."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from egov.portal.constants import NewsCategory
from egov.portal.demo.builder import PortalSeedError, portal_seed
from egov.portal.models import (
    ContactPage,
    ExternalLink,
    IntroductionPage,
    NewsArticlePage,
    NewsIndexPage,
    OrganisationPage,
    PortalHomePage,
    Spokesperson,
)

pytestmark = pytest.mark.django_db


def test_seed_builds_the_portals_and_a_rerun_changes_nothing(demo_units: SimpleNamespace) -> None:
    placeholder_id = Site.objects.get(is_default_site=True).root_page_id
    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "Đã tạo cổng thông tin mẫu" in out.getvalue()

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, PortalHomePage)
    assert home.title == "Huyện Thăng Bình"
    assert home.unit == demo_units.district
    assert not Page.objects.filter(pk=placeholder_id).exists()

    indexes = NewsIndexPage.objects.child_of(home)
    assert {i.category for i in indexes} == set(NewsCategory.values)
    for index in indexes:
        articles = NewsArticlePage.objects.child_of(index).live()
        assert articles.count() >= 3
        assert all(a.published_at and a.lead and a.tags.exists() for a in articles)
        assert all('embedtype="image"' in a.body and a.image_id for a in articles)
    assert (
        IntroductionPage.objects.descendant_of(home)
        .filter(slug__in=["lich-su-phat-trien", "ten-duong-thi-tran-ha-lam"])
        .count()
        == 2
    )
    assert OrganisationPage.objects.descendant_of(home).exists()
    assert ContactPage.objects.child_of(home).exists()

    communes = PortalHomePage.objects.child_of(home)
    assert {c.unit.code for c in communes} == set(demo_units.communes)
    for commune in communes:
        assert NewsArticlePage.objects.descendant_of(commune).count() >= 3
        assert IntroductionPage.objects.child_of(commune).exists()
        assert Spokesperson.objects.filter(unit=commune.unit).exists()
    assert Spokesperson.objects.filter(unit=demo_units.district).exists()
    assert ExternalLink.objects.count() >= 4
    assert get_image_model().objects.filter(title__startswith="Ảnh minh họa").count() == 11

    counts = (Page.objects.count(), get_image_model().objects.count(), Spokesperson.objects.count())
    again = portal_seed()
    assert not again.changed
    assert counts == (
        Page.objects.count(),
        get_image_model().objects.count(),
        Spokesperson.objects.count(),
    )
    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "không có gì thay đổi" in out.getvalue()


def test_seed_keeps_what_editors_changed(demo_units: SimpleNamespace) -> None:
    portal_seed()
    article = NewsArticlePage.objects.live().first()
    assert article is not None
    article.title = "Tiêu đề do biên tập viên sửa"
    article.save_revision().publish()
    assert not portal_seed().changed
    article.refresh_from_db()
    assert article.title == "Tiêu đề do biên tập viên sửa"


def test_seed_needs_the_demo_units(db: None) -> None:
    with pytest.raises(PortalSeedError, match="seed_demo"):
        portal_seed()
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_portal", stdout=StringIO())


def test_seed_refuses_when_the_demo_is_off(
    demo_units: SimpleNamespace, settings: pytest.FixtureRequest
) -> None:
    settings.EGOV_DEMO = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="EGOV_DEMO"):
        call_command("seed_portal", stdout=StringIO())
    assert not PortalHomePage.objects.exists()
    assert portal_seed(force=True).changed
