"""Slugs without diacritics, on creation only, when the editor left the slug to Wagtail."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from egov.portal.models import IntroductionPage, PortalHomePage
from egov.portal.slugs import is_wagtail_default_slug, portal_slugify


def test_portal_slugify_folds_vietnamese() -> None:
    assert portal_slugify("Cải cách hành chính") == "cai-cach-hanh-chinh"
    assert portal_slugify("Đường Tiểu La – Thị trấn Hà Lam") == "duong-tieu-la-thi-tran-ha-lam"
    assert portal_slugify("Quốc phòng - An ninh") == "quoc-phong-an-ninh"


def test_wagtail_default_slug_recognised() -> None:
    title = "Cải cách hành chính"
    assert is_wagtail_default_slug("", title)
    assert is_wagtail_default_slug("cải-cách-hành-chính", title)
    assert is_wagtail_default_slug("cải-cách-hành-chính-2", title)
    assert not is_wagtail_default_slug("cchc", title)


@pytest.fixture
def home(db: None) -> PortalHomePage:
    page = PortalHomePage(title="Cổng thử", slug="cong-thu")
    Page.get_first_root_node().add_child(instance=page)
    return page


@pytest.mark.parametrize("given", ["", "cải-cách-hành-chính"])
def test_slug_left_to_wagtail_is_folded(home: PortalHomePage, given: str) -> None:
    page = IntroductionPage(title="Cải cách hành chính", slug=given)
    home.add_child(instance=page)
    assert page.slug == "cai-cach-hanh-chinh"
    again = IntroductionPage(title="Cải cách hành chính", slug="")
    home.add_child(instance=again)
    assert again.slug == "cai-cach-hanh-chinh-2"


def test_typed_slug_is_kept_and_later_edits_keep_the_slug(home: PortalHomePage) -> None:
    page = IntroductionPage(title="Lịch sử phát triển", slug="lich-su")
    home.add_child(instance=page)
    assert page.slug == "lich-su"
    page.title = "Lịch sử hình thành"
    page.slug = "lịch-sử-hình-thành"
    page.save()
    page.refresh_from_db()
    assert page.slug == "lịch-sử-hình-thành"  # an edited page keeps what the editor set
