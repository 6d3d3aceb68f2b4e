"""The e-portal in Chromium (issue 8): what a newcomer does after ``make run``.

A visitor browses the district portal and a commune's member portal, reads news in every
category, switches the text size (remembered across pages, without JavaScript too), and
searches without diacritics; an editor writes an article and submits it, a moderator
approves it and it appears on the portal.  axe-core checks the home, a category, an
article and the search page; the home's first load is weighed.  Screenshots for
``docs/user-guide/cong-thong-tin.md``, ``tim-kiem.md`` and ``bien-tap-cong-thong-tin.md``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.a11y import TransferMeter, assert_accessible, assert_no_horizontal_scroll
from tests.e2e.conftest import login, shoot

#: Issue 8 item 10: the home page's first load, article images excluded.
HOME_BUDGET_BYTES = 150 * 1024


def _wagtail_roots() -> None:
    """Wagtail's root page, default locale and root collection, as its migrations leave them
    on a fresh ``make run`` database; the flush after an earlier browser test removed them."""
    from django.conf import settings as django_settings
    from wagtail.models import Collection, Locale, Page

    locale, _created = Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


@pytest.fixture
def portal(demo_data: Any, settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.e2e.urls"  # the CMS's images too (see that module)
    _wagtail_roots()
    call_command("seed_portal", verbosity=0)


def follow(page: Any, target: Any) -> Any:
    with page.expect_navigation(wait_until="load") as navigation:
        target.click()
    return navigation.value


def _is_article_image(url: str) -> bool:
    return "/media/images/" in url or "/media/original_images/" in url


def test_a_visitor_reads_news_in_every_category_of_the_district_portal(  # type: ignore[no-untyped-def]
    page, portal
):
    meter = TransferMeter(page)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thăng Bình")
    weight = sum(size for url, size in meter.responses if not _is_article_image(url))
    assert weight <= HOME_BUDGET_BYTES, f"home page {weight} bytes:\n{meter.report()}"
    assert_accessible(page, name="Trang chủ cổng thông tin")
    shoot(page, "portal-trang-chu")

    categories = page.locator("section.news-block h2 a")
    names = [categories.nth(i).inner_text() for i in range(categories.count())]
    assert len(names) == 8, names
    for name in names:
        page.goto("/")
        follow(page, page.locator("section.news-block h2 a", has_text=name))
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        first = page.locator("article.news-item h3 a").first
        title = first.inner_text()
        if name == names[0]:
            assert_accessible(page, name=f"Chuyên mục {name}")
            shoot(page, "portal-chuyen-muc")
        follow(page, first)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        if name == names[0]:
            assert_accessible(page, name=f"Tin bài {title}")
            shoot(page, "portal-tin-bai")


def test_a_visitor_opens_a_commune_portal_on_a_phone(  # type: ignore[no-untyped-def]
    phone_page, portal
):
    page = phone_page
    page.goto("/")
    commune = page.locator("a", has_text="Xã Bình Dương").first
    follow(page, commune)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bình Dương")
    assert_no_horizontal_scroll(page, width=390)
    # A commune's portal runs the categories it writes in (4–5 in the demo).
    assert page.locator("section.news-block h2 a").count() >= 4
    follow(page, page.locator("article.news-item h3 a").first)
    assert_no_horizontal_scroll(page, width=390)
    assert_accessible(page, name="Tin bài của xã trên điện thoại")
    shoot(page, "portal-cong-xa-dien-thoai")


def _root_font_size(page: Any) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_text_size_is_remembered_with_and_without_javascript(  # type: ignore[no-untyped-def]
    browser, live_server, portal
):
    for javascript in (True, False):
        context = browser.new_context(
            locale="vi-VN",
            base_url=live_server.url,
            java_script_enabled=javascript,
        )
        page = context.new_page()
        page.goto("/")
        normal = _root_font_size(page)
        follow(page, page.get_by_role("button", name="tăng cỡ chữ"))
        larger = _root_font_size(page)
        assert larger > normal
        # Remembered on the next page (a cookie), whatever page it is.
        follow(page, page.locator("section.news-block h2 a").first)
        assert _root_font_size(page) == larger
        follow(page, page.get_by_role("button", name="cỡ chữ mặc định"))
        assert _root_font_size(page) == normal
        context.close()


def test_a_visitor_searches_without_diacritics(page, portal):  # type: ignore[no-untyped-def]
    page.goto("/")
    search = page.get_by_role("searchbox", name="Tìm kiếm").first
    search.fill("nong thon moi")
    with page.expect_navigation(wait_until="load"):
        search.press("Enter")
    assert "/tim-kiem/" in page.url
    expect(page.locator("main")).to_contain_text("kết quả cho")
    first = page.locator("main mark").first
    expect(first).to_be_visible()
    assert "nông thôn mới" in page.locator("main").inner_text().lower()
    assert page.locator("main mark").count() >= 3
    assert_accessible(page, name="Tìm kiếm")
    shoot(page, "portal-search")
    # Nasty input: a clear message, never an error page.
    page.goto("/tim-kiem/?q=%22%29%28*%3A%21")
    expect(page.locator("main")).to_be_visible()
    assert page.locator("h1").count() == 1


def _fill_rich_text(page: Any, field: str, text: str) -> None:
    editor = page.locator(f"[data-contentpath='{field}'] [contenteditable='true']").first
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    # Draftail writes its hidden input a moment after the last keystroke.
    expect(page.locator(f"input[name='{field}']")).to_have_value(re.compile(re.escape(text)))


def test_an_editor_writes_an_article_and_a_moderator_publishes_it(  # type: ignore[no-untyped-def]
    browser, live_server, portal
):
    from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

    district = PortalHomePage.objects.get(depth=2)
    category = NewsIndexPage.objects.child_of(district).get(category="cai-cach-hanh-chinh")
    title = "Huyện Thăng Bình đưa vào sử dụng ki-ốt tra cứu hồ sơ tự động"

    def new_page() -> Any:
        context = browser.new_context(
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            viewport={"width": 1280, "height": 900},
            base_url=live_server.url,
        )
        pg = context.new_page()
        pg.set_default_timeout(20_000)
        return pg

    # The editor writes and submits for review; she has no "publish" button.
    editor = new_page()
    login(editor, "demo.editor")
    editor.goto(f"/admin/pages/add/portal/newsarticlepage/{category.pk}/")
    editor.fill("#id_title", title)
    editor.fill("#id_lead", "Người dân tự tra cứu tình trạng hồ sơ tại ki-ốt ở Bộ phận Một cửa.")
    _fill_rich_text(editor, "body", "Từ tháng này, người dân có thể quét mã trên giấy hẹn.")
    editor.fill("#id_author", "Ban Biên tập")
    assert editor.locator("button[name='action-publish']").count() == 0
    editor.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    submit = editor.locator("button[name='action-submit']")
    expect(submit).to_be_visible()
    editor.wait_for_timeout(400)  # the menu's opening animation, for the screenshot
    shoot(editor, "portal-editorial-submit")
    with editor.expect_navigation(wait_until="load"):
        submit.click()
    article = NewsArticlePage.objects.get(title=title)
    assert not article.live
    assert article.current_workflow_state is not None

    # Not on the portal yet.
    visitor = new_page()
    visitor.goto(category.url)
    expect(visitor.locator("main")).not_to_contain_text(title)

    # The moderator approves: the article is published.
    moderator = new_page()
    login(moderator, "demo.moderator")
    moderator.goto("/admin/")
    expect(moderator.locator("main")).to_contain_text(title)
    moderator.goto(f"/admin/pages/{article.pk}/edit/")
    approve = moderator.locator("button[data-workflow-action-name='approve']").first
    moderator.locator("footer .dropdown-toggle, [data-w-dropdown-target='toggle']").last.click()
    expect(approve).to_be_visible()
    moderator.wait_for_timeout(400)  # the menu's opening animation, for the screenshot
    shoot(moderator, "portal-editorial-review")
    with moderator.expect_navigation(wait_until="load"):
        approve.click()
    article.refresh_from_db()
    assert article.live

    visitor.goto(category.url)
    expect(visitor.locator("main")).to_contain_text(title)
    for pg in (editor, visitor, moderator):
        pg.context.close()
