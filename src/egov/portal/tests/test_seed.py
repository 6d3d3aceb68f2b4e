"""``seed_portal``: the district portal, four commune portals, built once, rerun to no effect."""

from __future__ import annotations

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from egov.accounts.tests.factories import UserFactory
from egov.organizations.constants import Role
from egov.organizations.facade import position_assign
from egov.portal.constants import NewsCategory
from egov.portal.demo import data
from egov.portal.demo.builder import PortalSeedError, portal_seed
from egov.portal.demo.editorial import DRAFT_TITLE
from egov.portal.models import (
    ContactPage,
    DirectiveIndexPage,
    DirectivePage,
    ExternalLink,
    IntroductionPage,
    MapPage,
    NewsArticlePage,
    NewsIndexPage,
    OrganisationPage,
    PortalHomePage,
    Spokesperson,
    TopicPage,
)

pytestmark = pytest.mark.django_db


def test_seed_builds_the_portals_and_a_rerun_changes_nothing(demo_units: SimpleNamespace) -> None:
    placeholder_id = Site.objects.get(is_default_site=True).root_page_id
    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "Đã tạo cổng thông tin mẫu" in out.getvalue()
    directives = len(data.DISTRICT_DIRECTIVES) + sum(
        len(data.COMMUNE_DIRECTIVES[code]) for code in data.COMMUNE_CODES
    )
    assert f"ảnh, {directives} tài liệu," in out.getvalue()
    assert get_document_model().objects.count() == directives

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
        categories = NewsIndexPage.objects.child_of(commune)
        assert categories.count() >= 4
        for index in categories:  # every category of every commune portal has articles
            dates = sorted(a.published_at for a in NewsArticlePage.objects.child_of(index))
            assert len(dates) >= 2
        dates = sorted(
            a.published_at
            for a in NewsArticlePage.objects.descendant_of(commune).filter(depth=commune.depth + 2)
        )
        assert (dates[-1] - dates[0]).days > 60  # dated over the past months
        assert dates[-1] <= timezone.now()
        assert IntroductionPage.objects.child_of(commune).exists()
        assert Spokesperson.objects.filter(unit=commune.unit).exists()
        profile = data.COMMUNE_PROFILES[commune.unit.code]
        assert commune.intro and commune.address == profile.address
        contact = ContactPage.objects.child_of(commune).get()
        assert contact.phone == profile.phone and contact.show_in_menus
    assert Spokesperson.objects.filter(unit=demo_units.district).exists()
    assert ExternalLink.objects.count() >= 4
    # 8 district categories, 4 communes, 2 topics; 5 maps; 2 topic banners.
    images = get_image_model().objects
    assert images.filter(title__startswith="Ảnh minh họa").count() == 14
    assert images.filter(title__startswith="Sơ đồ hành chính").count() == 5
    assert images.filter(title__startswith="Ảnh chuyên đề").count() == 2

    for portal in [home, *communes]:
        _check_new_content(portal)

    counts = (
        Page.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Spokesperson.objects.count(),
    )
    again = portal_seed()
    assert not again.changed
    assert counts == (
        Page.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
        Spokesperson.objects.count(),
    )
    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "không có gì thay đổi" in out.getvalue()


def test_seed_leaves_the_demo_editors_draft_waiting_for_review(
    demo_units: SimpleNamespace,
) -> None:
    editor = UserFactory(staff=True, username="demo.editor")
    position_assign(actor=None, user=editor, role=Role.EDITOR, agency=demo_units.agency)
    moderator = UserFactory(staff=True, username="demo.moderator")
    position_assign(
        actor=None, user=moderator, role=Role.PORTAL_MODERATOR, agency=demo_units.agency
    )
    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "Đã gửi 1 bài mẫu chờ kiểm duyệt" in out.getvalue()

    draft = NewsArticlePage.objects.get(title=DRAFT_TITLE)
    assert not draft.live and draft.owner == editor
    state = draft.current_workflow_state
    assert state is not None and state.workflow.name == "Duyệt tin bài – Huyện Thăng Bình"
    assert state.requested_by == editor and draft.current_workflow_task is not None

    out = StringIO()
    call_command("seed_portal", stdout=out)
    assert "không có gì thay đổi" in out.getvalue()
    assert NewsArticlePage.objects.filter(title=DRAFT_TITLE).count() == 1


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


def _check_new_content(portal: PortalHomePage) -> None:
    """The map, the two topics and the directives with their PDF letters of one portal."""
    maps = MapPage.objects.descendant_of(portal).filter(depth=portal.depth + 2)
    assert maps.count() == 1
    map_page = maps.get()
    assert map_page.title == "Bản đồ hành chính" and map_page.map_image_id
    assert map_page.map_image.width == 1200 and map_page.map_image.height == 900

    today = timezone.localdate()
    topics = {t.title: t for t in TopicPage.objects.child_of(portal).live()}
    assert set(topics) == {data.NEW_COUNTRYSIDE, data.CONSTITUTION_CONTEST}
    assert topics[data.NEW_COUNTRYSIDE].is_open(today)
    closed = topics[data.CONSTITUTION_CONTEST]
    assert not closed.is_open(today) and closed.ends_on and closed.ends_on < today
    for topic in topics.values():
        assert topic.image_id and topic.lead
        assert 2 <= NewsArticlePage.objects.child_of(topic).live().count() <= 3

    index = DirectiveIndexPage.objects.child_of(portal).get()
    assert index.show_in_menus
    directives = list(DirectivePage.objects.child_of(index).live())
    assert len(directives) >= 6
    assert len({d.number for d in directives}) == len(directives)
    assert len({d.issued_on for d in directives}) >= 5  # spread over the past months
    assert all(d.issued_on <= today and d.signer and d.signer_position for d in directives)
    for directive in directives:
        document = directive.document
        assert document is not None and document.file_extension == "pdf"
        with document.open_file() as handle:
            content = handle.read()
        assert content.startswith(b"%PDF") and len(content) == document.file_size
