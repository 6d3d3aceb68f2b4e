"""Map, topic and directive pages, and the home page's topics, directives and roll-up."""

from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, PageViewRestriction

from egov.portal import selectors
from egov.portal.demo import data
from egov.portal.models import (
    DirectiveIndexPage,
    DirectivePage,
    IntroductionPage,
    MapPage,
    NewsArticlePage,
    NewsIndexPage,
    PortalHomePage,
    TopicPage,
)
from egov.portal.templatetags.portal_tags import file_size

pytestmark = pytest.mark.django_db

# The home pages' queries (33 and 28 before the reads were shared, issue 8 §11): Wagtail's
# own (site, route, the page's view restrictions: 5 on the district's home, 6 on a commune's
# one level down), then the view restrictions and the home's children once, the latest
# articles of all categories at once, their images' renditions, topics, directives, the
# communes' news (district only), spokespersons and links.
QUERIES_DISTRICT_HOME = 13
QUERIES_COMMUNE_HOME = 14
# First load of the home page, excluding article images (the budget).
HOME_WEIGHT_LIMIT = 150 * 1024


@pytest.fixture
def client(seeded: SimpleNamespace) -> Client:
    return Client(HTTP_HOST="localhost")


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _district() -> PortalHomePage:
    return PortalHomePage.objects.get(depth=2)


def _commune(slug: str = "xa-binh-minh") -> PortalHomePage:
    return PortalHomePage.objects.get(slug=slug)


def _index(home: PortalHomePage) -> DirectiveIndexPage:
    return DirectiveIndexPage.objects.child_of(home).get()


def _topic(home: PortalHomePage, title: str) -> TopicPage:
    return TopicPage.objects.child_of(home).get(title=title)


def _directive(
    index: DirectiveIndexPage, number: str, issued_on: date, title: str
) -> DirectivePage:
    page = DirectivePage(
        title=title,
        number=number,
        issued_on=issued_on,
        issuer="UBND huyện Thăng Bình",
        signer="Hồ Quang Vinh",
        summary="<p>Tóm tắt.</p>",
        document=DirectivePage.objects.child_of(index).first().document,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


# --- Where each page type can be created ----------------------------------------------------


def test_where_the_new_page_types_can_be_created(seeded: SimpleNamespace) -> None:
    root = Page.get_first_root_node()
    district, commune = _district(), _commune()
    about = IntroductionPage.objects.child_of(district).get(slug="gioi-thieu")
    news = NewsIndexPage.objects.child_of(district).first()
    topic = _topic(district, data.NEW_COUNTRYSIDE)
    index = _index(district)

    for parent in (district, commune, about):
        assert MapPage.can_create_at(parent)
    for parent in (root, news, topic, index):
        assert not MapPage.can_create_at(parent)

    assert TopicPage.can_create_at(district) and TopicPage.can_create_at(commune)
    for parent in (root, about, news, topic, index):
        assert not TopicPage.can_create_at(parent)
    assert NewsArticlePage.can_create_at(topic)
    assert set(TopicPage.allowed_subpage_models()) == {NewsArticlePage}

    # One directive index per portal: the seeded portals have theirs already.
    assert not DirectiveIndexPage.can_create_at(district)
    assert not DirectiveIndexPage.can_create_at(commune)
    other = PortalHomePage(title="Huyện thử", slug="huyen-thu")
    root.add_child(instance=other)
    assert DirectiveIndexPage.can_create_at(other)
    for parent in (about, news, topic, index):
        assert not DirectiveIndexPage.can_create_at(parent)
    assert DirectivePage.can_create_at(index)
    for parent in (district, about, news, topic):
        assert not DirectivePage.can_create_at(parent)
    assert list(DirectivePage.allowed_subpage_models()) == []


def test_a_directive_needs_a_pdf_document(seeded: SimpleNamespace) -> None:
    document = get_document_model()(
        title="Công văn bản Word", file=ContentFile(b"PK\x03\x04", name="cong-van.docx")
    )
    document.save()
    page = DirectivePage(
        title="Văn bản bằng Word",
        number="1/UBND-VP",
        issued_on=timezone.localdate(),
        issuer="UBND huyện Thăng Bình",
        signer="Hồ Quang Vinh",
        document=document,
    )
    with pytest.raises(ValidationError) as excinfo:
        _index(_district()).add_child(instance=page)
    assert "phải là tệp PDF" in str(excinfo.value)


def test_a_topic_cannot_end_before_it_starts(seeded: SimpleNamespace) -> None:
    today = timezone.localdate()
    topic = TopicPage(
        title="Chuyên đề sai ngày", starts_on=today, ends_on=today - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as excinfo:
        _district().add_child(instance=topic)
    assert "Ngày kết thúc phải sau ngày mở chuyên đề" in str(excinfo.value)


# --- Map -------------------------------------------------------------------------------------


def test_district_map_lists_the_communes_with_their_portals(client: Client) -> None:
    page = MapPage.objects.descendant_of(_district()).get(depth=4)
    html = _html(client, page.url)
    assert "<h1>Bản đồ hành chính</h1>" in html
    image = re.search(r'<img [^>]*class="map-figure__image"[^>]*>', html)
    assert image is not None and 'alt="Sơ đồ hành chính huyện Thăng Bình' in image.group(0)
    table = html.split('<table class="data-table">')[1].split("</table>")[0]
    for name in ("Thị trấn Hà Lam", "Xã Bình Dương", "Xã Bình Minh", "Xã Bình An"):
        assert f'<th scope="row">{name}</th>' in table
    assert table.index("Thị trấn Hà Lam") < table.index("Xã Bình Dương")  # official order
    assert "<td>Thị trấn</td>" in table and "<td>Xã</td>" in table
    assert 'href="/xa-binh-minh/"' in table and 'href="/thi-tran-ha-lam/"' in table
    assert 'href="/xa-binh-an/"' in table
    assert "Huyện Thăng Bình: 4 đơn vị hành chính" in html
    # Listed under the introduction page.
    assert f'href="{page.url}"' in _html(client, "/gioi-thieu/")


def test_a_unit_without_a_live_portal_has_no_link(client: Client) -> None:
    _commune("xa-binh-duong").unpublish()
    page = MapPage.objects.descendant_of(_district()).get(depth=4)
    table = _html(client, page.url).split('<table class="data-table">')[1]
    assert 'href="/xa-binh-duong/"' not in table
    assert "Chưa có cổng thông tin" in table


def test_commune_map_names_its_villages_and_its_district(client: Client) -> None:
    page = MapPage.objects.descendant_of(_commune()).get()
    html = _html(client, page.url)
    assert "Sơ đồ hành chính xã Bình Minh" in html
    assert "Thôn 1" in html and "Thôn 5" in html
    assert "Trực thuộc" in html and 'href="/"' in html


# --- Topics ----------------------------------------------------------------------------------


def test_open_and_closed_topic_pages(client: Client) -> None:
    district = _district()
    open_topic = _topic(district, data.NEW_COUNTRYSIDE)
    closed = _topic(district, data.CONSTITUTION_CONTEST)
    assert open_topic.is_open() and not closed.is_open()

    html = _html(client, open_topic.url)
    assert f"Từ {open_topic.starts_on:%d/%m/%Y} đến {open_topic.ends_on:%d/%m/%Y}" in html
    assert "Đang diễn ra" in html and "Đã kết thúc" not in html
    for article in NewsArticlePage.objects.child_of(open_topic):
        assert article.title in html
    assert "Tin bài trong chuyên đề" in html

    html = _html(client, closed.url)
    assert "Đã kết thúc" in html
    assert f"Từ {closed.starts_on:%d/%m/%Y} đến {closed.ends_on:%d/%m/%Y}" in html
    assert "Trao giải Cuộc thi tìm hiểu Hiến pháp năm 2013" in html  # kept as an archive

    for odd in ("abc", "0", "999", "%3Cb%3E"):
        assert "Đang diễn ra" in _html(client, f"{open_topic.url}?trang={odd}")


def test_topic_articles_are_paginated(client: Client) -> None:
    topic = _topic(_commune(), data.NEW_COUNTRYSIDE)
    for number in range(selectors.NEWS_PER_PAGE):
        article = NewsArticlePage(title=f"Tin chuyên đề {number}", lead="Sapo.", body="<p>x</p>")
        topic.add_child(instance=article)
        article.save_revision().publish()
    html = _html(client, topic.url)
    assert "Trang 1/2" in html and 'href="?trang=2"' in html
    assert "Trang 2/2" in _html(client, f"{topic.url}?trang=2")


def test_a_topic_article_links_and_neighbours_stay_in_the_topic(client: Client) -> None:
    topic = _topic(_district(), data.NEW_COUNTRYSIDE)
    oldest, middle, newest = sorted(
        NewsArticlePage.objects.child_of(topic), key=lambda a: a.published_at
    )
    html = _html(client, middle.url)
    assert f'<p class="article-category"><a href="{topic.url}">{topic.title}</a></p>' in html
    newer_part, rest = html.split("Các tin mới hơn")[1].split("Các tin cũ hơn")
    older_part = rest.split("Tin liên quan")[0]
    assert newest.title in newer_part and oldest.title in older_part
    links = re.findall(r'href="(/[^"]*)"', newer_part + older_part)
    assert links and all(link.startswith(topic.url) for link in links)
    breadcrumb = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert topic.title in breadcrumb


def test_topics_open_follows_the_period(seeded: SimpleNamespace) -> None:
    district = _district()
    topic = _topic(district, data.NEW_COUNTRYSIDE)
    assert topic.ends_on is not None
    assert topic in selectors.topics_open(district, on=topic.ends_on)  # the last day counts
    assert topic not in selectors.topics_open(district, on=topic.ends_on + timedelta(days=1))
    assert topic not in selectors.topics_open(district, on=topic.starts_on - timedelta(days=1))
    closed = _topic(district, data.CONSTITUTION_CONTEST)
    assert [t.pk for t in selectors.topics_open(district)] == [topic.pk]
    assert closed in selectors.topics_open(district, on=closed.starts_on)


# --- Directives ------------------------------------------------------------------------------


def test_directive_index_lists_newest_first(client: Client) -> None:
    index = _index(_district())
    html = _html(client, index.url)
    table = html.split('<table class="data-table directive-table">')[1].split("</table>")[0]
    for header in ("Số ký hiệu", "Ngày ban hành", "Trích yếu", "Người ký"):
        assert header in table
    directives = sorted(
        DirectivePage.objects.child_of(index), key=lambda d: d.issued_on, reverse=True
    )
    assert len(directives) >= 6
    positions = [table.index(d.number) for d in directives]
    assert positions == sorted(positions)
    first = directives[0]
    assert f"{first.issued_on:%d/%m/%Y}" in table
    assert f'<a href="{first.url}">{first.title}</a>' in table
    assert first.signer in table
    assert f"{len(directives)} văn bản" in html
    # The district's list holds none of a commune's directives.
    commune_numbers = {d.number for d in DirectivePage.objects.descendant_of(_commune())}
    assert not any(f">{number}<" in table for number in commune_numbers)


def test_directive_filters(client: Client) -> None:
    index = _index(_district())
    old = _directive(index, "07/CT-UBND", date(2019, 3, 4), "Về phòng chống hạn hán năm 2019")
    html = _html(client, f"{index.url}?nam=2019")
    assert old.title in html and "1 văn bản" in html and "1890/UBND-VP" not in html
    assert '<option value="2019" selected>2019</option>' in html
    html = _html(client, f"{index.url}?tu-khoa=1890/UBND-VP")
    assert "1 văn bản" in html and "1890/UBND-VP" in html
    html = _html(client, f"{index.url}?tu-khoa=thiên+tai")  # the summary line and summary
    assert "thiên tai" in html.split("<tbody>")[1].lower()
    html = _html(client, f"{index.url}?nam=2019&tu-khoa=khong-co-van-ban-nay")
    assert "Không có văn bản nào khớp với bộ lọc." in html


def _listed(html: str) -> str:
    """The rows of the directive table ("" when nothing is listed)."""
    return html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""


def test_directive_text_filter_ignores_case_and_diacritics(client: Client) -> None:
    index = _index(_district())
    letter = _directive(index, "125/UBND-VP", date(2024, 5, 6), "Về việc rà soát hộ nghèo cuối năm")
    guide = _directive(
        index, "88/UBND-KT", date(2024, 7, 8), "Công văn hướng dẫn kê khai giá dịch vụ lưu trú"
    )
    for text in ("125/ubnd", "125/UBND", "125 ubnd vp", "125-Ubnd"):
        html = _html(client, f"{index.url}?{urlencode({'tu-khoa': text})}")
        assert "1 văn bản" in html and letter.number in _listed(html), text
    for text in ("cong van", "CONG VAN", "Công văn", "công  VĂN", "cong van huong dan"):
        html = _html(client, f"{index.url}?{urlencode({'tu-khoa': text})}")
        rows = _listed(html)
        assert "1 văn bản" in html and guide.title in rows and letter.number not in rows, text
    # In the summary too, and with the year filter.
    html = _html(client, f"{index.url}?tu-khoa=thien+tai")
    assert "1890/UBND-VP" in _listed(html)
    assert guide.number in _listed(_html(client, f"{index.url}?nam=2024&tu-khoa=cong+van"))
    html = _html(client, f"{index.url}?nam=2023&tu-khoa=cong+van")
    assert "Không có văn bản nào khớp với bộ lọc." in html
    # Words in another order, or another portal's directive, do not match.
    assert "Không có văn bản nào" in _html(client, f"{index.url}?tu-khoa=van+cong")
    commune = _commune()
    commune_directive = DirectivePage.objects.descendant_of(commune).first()
    number = commune_directive.number
    html = _html(client, f"{index.url}?{urlencode({'tu-khoa': number})}")
    assert number not in _listed(html)
    html = _html(client, f"{_index(commune).url}?{urlencode({'tu-khoa': number.lower()})}")
    assert number in _listed(html)


def test_directive_text_filter_pages_and_keeps_the_text(client: Client) -> None:
    index = _index(_district())
    for number in range(selectors.DIRECTIVES_PER_PAGE + 1):
        _directive(index, f"{number + 1}/TB-UBND", date(2021, 3, 4), f"Thông báo lịch họp {number}")
    html = _html(client, f"{index.url}?tu-khoa=thong+bao+lich")
    assert f"{selectors.DIRECTIVES_PER_PAGE + 1} văn bản" in html and "Trang 1/2" in html
    assert 'href="?tu-khoa=thong+bao+lich&amp;trang=2"' in html
    html = _html(client, f"{index.url}?tu-khoa=thong+bao+lich&trang=2")
    assert "Trang 2/2" in html and _listed(html).count("<tr>") == 1


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("nam=abc", "Năm “abc” không hợp lệ"),
        ("nam=99999", "Năm “99999” không hợp lệ"),
        ("nam=-1", "không hợp lệ"),
        ("nam=%00%01", "không hợp lệ"),
        ("nam=%D9%A2%D9%A0%D9%A2%D9%A6", "không hợp lệ"),  # Arabic-Indic digits
        ("tu-khoa=" + "a" * 300, "Từ khóa dài quá 100 ký tự"),
        ("tu-khoa=%00x", ""),
        ("tu-khoa=%2F%2F%3F%21", "không có chữ hoặc số nào"),
        ("tu-khoa=%27%22%3Cscript%3E", ""),
        ("trang=abc", ""),
        ("trang=99999", ""),
        ("nam=2026&nam=x&trang=-5", ""),
    ],
)
def test_bad_directive_filters_never_fail(client: Client, query: str, message: str) -> None:
    index = _index(_district())
    html = _html(client, f"{index.url}?{query}")
    assert "văn bản" in html
    if message:
        assert message in html and 'role="alert"' in html
    assert "<script>" not in html.split('class="directive-filter"')[1]


def test_directive_pagination_keeps_the_filters(client: Client) -> None:
    index = _index(_district())
    for number in range(selectors.DIRECTIVES_PER_PAGE + 1):
        _directive(index, f"{number + 1}/TB-UBND", date(2020, 1, 2), f"Thông báo số {number}")
    html = _html(client, f"{index.url}?nam=2020")
    assert "Trang 1/2" in html
    assert 'href="?nam=2020&amp;trang=2"' in html
    html = _html(client, f"{index.url}?nam=2020&trang=2")
    assert "Trang 2/2" in html and 'href="?nam=2020&amp;trang=1"' in html


def test_directive_page_and_its_pdf(client: Client) -> None:
    index = _index(_district())
    directive = DirectivePage.objects.child_of(index).get(number="1890/UBND-VP")
    html = _html(client, directive.url)
    for text in (
        directive.title,
        "Số, ký hiệu",
        "1890/UBND-VP",
        f"{directive.issued_on:%d/%m/%Y}",
        "UBND huyện Thăng Bình",
        "Hồ Quang Vinh",
        "Chủ tịch UBND huyện",
        "phương châm bốn tại chỗ",
    ):
        assert text in html, text
    document = directive.document
    assert document is not None and document.file_size
    assert f"(PDF, {file_size(document.file_size)})" in html
    assert re.search(r"\(PDF, \d+ KB\)", html)
    assert f'href="{document.url}"' in html
    # Served by Wagtail's document view (which checks collection privacy); the tests'
    # in-memory storage has no files on disk to stream, so read the stored file instead.
    assert resolve(document.url).url_name == "wagtaildocs_serve"
    with document.open_file() as handle:
        content = handle.read()
    assert content.startswith(b"%PDF") and len(content) == document.file_size


def test_file_size_labels() -> None:
    assert file_size(None) == ""
    assert file_size(200) == "1 KB"
    assert file_size(245 * 1024) == "245 KB"
    assert file_size(1258291) == "1,2 MB"


# --- Home pages ------------------------------------------------------------------------------


def test_district_home_rolls_up_the_communes_news(client: Client) -> None:
    html = _html(client, "/")
    assert "Tin từ các xã, thị trấn" in html
    rollup = html.split('class="news-block rollup"')[1].split("</section>")[0]
    expected = selectors.communes_news(_district())
    assert len(expected) == selectors.ROLLUP_LIMIT
    for item in expected:
        assert item.article.title in rollup
        assert item.portal.depth == 3 and item.article.path.startswith(item.portal.path)
    assert "Xã Bình Minh" in rollup or "Thị trấn Hà Lam" in rollup or "Xã Bình Dương" in rollup
    district_articles = NewsArticlePage.objects.child_of(
        NewsIndexPage.objects.child_of(_district()).first()
    )
    assert not any(a.title in rollup for a in district_articles)


def test_commune_home_has_no_rollup(client: Client) -> None:
    html = _html(client, "/xa-binh-minh/")
    assert "Tin từ các xã, thị trấn" not in html
    assert selectors.communes_news(_commune()) == []


def test_home_shows_open_topics_and_latest_directives(client: Client) -> None:
    district = _district()
    html = _html(client, "/")
    open_topic = _topic(district, data.NEW_COUNTRYSIDE)
    closed = _topic(district, data.CONSTITUTION_CONTEST)
    banners = html.split('class="topic-banners"')[1].split("</section>")[0]
    assert f'href="{open_topic.url}"' in banners and "topic-banner__image" in banners
    assert f'href="{closed.url}"' not in html  # a closed topic is not on the home page
    box = html.split('class="side-box directives-box"')[1].split("</section>")[0]
    index = _index(district)
    latest = list(selectors.directives_in(index)[: selectors.HOME_DIRECTIVES])
    assert len(latest) == 5
    for directive in latest:
        assert f'href="{directive.url}"' in box and directive.number in box
    assert "Xem tất cả văn bản chỉ đạo điều hành" in box and f'href="{index.url}"' in box
    commune_box = _html(client, "/xa-binh-minh/").split('class="side-box directives-box"')[1]
    assert "/xa-binh-minh/chi-dao-dieu-hanh/" in commune_box.split("</section>")[0]


def test_topics_and_directives_in_the_menu_when_marked(client: Client) -> None:
    district = _district()
    index = _index(district)
    topic = _topic(district, data.NEW_COUNTRYSIDE)
    assert index.show_in_menus and index in [p.specific for p in selectors.portal_menu(district)]
    nav = _html(client, "/lien-he/").split('class="portal-nav"')[1].split("</nav>")[0]
    assert f'href="{index.url}"' in nav and f'href="{topic.url}"' not in nav
    topic.show_in_menus = True
    topic.save_revision().publish()
    nav = _html(client, "/lien-he/").split('class="portal-nav"')[1].split("</nav>")[0]
    assert f'href="{topic.url}"' in nav


def test_home_query_count_is_bounded(client: Client) -> None:
    for url in ("/", "/xa-binh-minh/"):
        client.get(url)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as district:
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as commune:
        assert client.get("/xa-binh-minh/").status_code == 200
    print(f"home queries: district {len(district)}, commune {len(commune)}")
    assert len(district) <= QUERIES_DISTRICT_HOME
    assert len(commune) <= QUERIES_COMMUNE_HOME


def test_rollup_reads_the_articles_in_one_query_whatever_the_number_of_communes(
    seeded: SimpleNamespace, django_assert_num_queries: object
) -> None:
    district = _district()
    portals = selectors.member_portals(district)
    # The articles, and the view restrictions that ``public()`` leaves out.
    with django_assert_num_queries(2):  # type: ignore[operator]
        items = selectors.communes_news(district, portals)
    assert {item.portal.pk for item in items} <= {p.pk for p in portals}


def test_home_page_weight_is_within_budget(client: Client) -> None:
    client.get("/")
    html = _html(client, "/")
    total = len(html.encode())
    for path in re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html) + re.findall(
        r'<script src="/static/([^"]+)"', html
    ):
        found = finders.find(path.split("?")[0])
        assert found, path
        with open(found, "rb") as handle:
            total += len(handle.read())
    for topic in selectors.topics_open(_district()):
        if topic.image is not None:
            total += topic.image.get_rendition("fill-720x180|format-webp").file.size
    print(f"home page first load without article images: {total / 1024:.0f} KB")
    assert total <= HOME_WEIGHT_LIMIT


def test_private_pages_stay_off_the_home_page(client: Client) -> None:
    district = _district()
    topic = _topic(district, data.NEW_COUNTRYSIDE)
    PageViewRestriction.objects.create(page=topic, restriction_type="password", password="x")
    commune = _commune()
    PageViewRestriction.objects.create(page=commune, restriction_type="login")
    html = _html(client, "/")
    assert 'class="topic-banners"' not in html
    rollup = html.split('class="news-block rollup"')[1].split("</section>")[0]
    assert commune.url not in rollup
    blocks = selectors.home_blocks(district, selectors.member_portals(district))
    assert blocks.topics == []
    assert all(not item.article.path.startswith(commune.path) for item in blocks.rollup)
    assert blocks.directives is not None and len(blocks.directives.directives) == 5
