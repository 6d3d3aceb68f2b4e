"""Every portal page renders with its Vietnamese text; news navigation; the print view."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.template import engines
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction

from egov.portal import selectors
from egov.portal.constants import (
    LATEST_PER_CATEGORY,
    NEWS_PER_PAGE,
    RELATED_LIMIT,
    NewsCategory,
)
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

pytestmark = pytest.mark.django_db

# Queries per page, whatever the number of categories, articles and images (before issue 8
# §11: home 33, category 13, article 23): Wagtail's own reads (the site, the route down to
# the page, the page's view restrictions), then the portal's: the view restrictions and the
# home's children (menu) once per request, one query per list.
QUERIES_HOME = 13
QUERIES_CATEGORY = 11
QUERIES_ARTICLE = 16  # of the district's portal (a commune's: two more routing steps)


@pytest.fixture
def client(seeded: SimpleNamespace) -> Client:
    return Client(HTTP_HOST="localhost")


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_district_home(client: Client) -> None:
    html = _html(client, "/")
    for text in (
        "Huyện Thăng Bình",
        "Chính trị",
        "Văn hóa - Xã hội",
        "Khoa học - Công nghệ",
        "Thông tin người phát ngôn",
        "Nguyễn Văn An",
        "Liên kết website",
        "Cổng Dịch vụ công quốc gia",
        "Cổng thông tin xã, thị trấn",
        "Thị trấn Hà Lam",
        "Tổ công nghệ số cộng đồng hỗ trợ người dân cài ứng dụng định danh",
    ):
        assert text in html, text
    for name in ("eservices:procedure_list", "eservices:home", "dossier_lookup"):
        assert f'href="{reverse(name)}"' in html
    assert 'class="text-size"' in html  # the public base's A−/A/A+ control
    assert f'href="{reverse("wagtailadmin_home")}"' in html  # the staff's way in stays


def test_commune_home(client: Client) -> None:
    html = _html(client, "/xa-binh-minh/")
    assert "Xã Bình Minh" in html
    assert "Phạm Thị Dung" in html
    assert "Nguyễn Văn An" not in html  # the district's spokesperson stays on the district home
    assert "Bình Minh công bố bảng giá dịch vụ du lịch mùa hè" in html


def test_category_list_is_paginated_and_odd_pages_do_not_fail(client: Client) -> None:
    index = NewsIndexPage.objects.get(slug="chinh-tri", depth=3)
    for number in range(NEWS_PER_PAGE):
        article = NewsArticlePage(title=f"Tin bổ sung {number}", lead="Sapo.", body="<p>x</p>")
        index.add_child(instance=article)
        article.save_revision().publish()
    html = _html(client, "/chinh-tri/")
    assert "Trang 1/2" in html
    assert 'href="?trang=2"' in html
    assert "Trang 2/2" in _html(client, "/chinh-tri/?trang=2")
    assert "Trang 2/2" in _html(client, "/chinh-tri/?trang=99")
    assert "Trang 1/2" in _html(client, "/chinh-tri/?trang=%3Cb%3E")


def test_article_page(client: Client) -> None:
    article = NewsArticlePage.objects.get(
        slug="hoi-dong-nhan-dan-huyen-khai-mac-ky-hop-thuong-le-giua-nam"
    )
    html = _html(client, article.url)
    local = timezone.localtime(article.published_at)
    assert local.strftime("%d/%m/%Y %H:%M") in html
    for text in (
        article.title,
        article.lead,
        "Tác giả",
        "Ban Biên tập",
        "Nguồn",
        "Từ khóa",
        "kỳ họp",
        "Bản in",
        "Các tin mới hơn",
        "Các tin cũ hơn",
        "Tin liên quan",
        # The canonical address (EGOV_BASE_URL), as in <head>, whatever host served it.
        "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F127.0.0.1%3A8000%2Fchinh-tri%2F",
    ):
        assert text in html, text
    assert "<script" not in html.split("<main", 1)[1]  # no third-party scripts in the page
    article.refresh_from_db()
    assert article.view_count == 0  # a view writes nothing


def test_newer_and_older_follow_the_publish_dates(client: Client) -> None:
    index = NewsIndexPage.objects.get(slug="chinh-tri", depth=3)
    oldest, middle, newest = sorted(
        NewsArticlePage.objects.child_of(index), key=lambda a: a.published_at
    )
    html = _html(client, middle.url)
    newer_part, older_part = html.split("Các tin mới hơn")[1].split("Các tin cũ hơn")
    assert newest.title in newer_part and oldest.title not in newer_part
    assert oldest.title in older_part.split("Tin liên quan")[0]
    html = _html(client, newest.url)
    assert "Các tin mới hơn" not in html
    html = _html(client, oldest.url)
    assert "Các tin cũ hơn" not in html


def test_print_view(client: Client) -> None:
    article = NewsArticlePage.objects.live().first()
    assert article is not None
    html = _html(client, f"{article.url}?ban-in=1")
    assert 'class="print-view"' in html
    assert "portal/css/print.css" in html
    assert article.title in html and article.lead in html
    assert "Quay lại bài viết" in html
    assert 'class="portal-nav"' not in html
    # The normal page has the print stylesheet for the browser's own print too.
    assert 'media="print"' in _html(client, article.url)


def test_introduction_organisation_and_contact_pages(client: Client) -> None:
    html = _html(client, "/gioi-thieu/")
    assert "Lịch sử phát triển" in html and "Tên đường Thị trấn Hà Lam" in html
    html = _html(client, "/gioi-thieu/ten-duong-thi-tran-ha-lam/")
    assert "<ol>" in html and "Tiểu La" in html and "Hùng Vương" in html
    assert "anh hùng" in _html(client, "/gioi-thieu/lich-su-phat-trien/").lower()
    html = _html(client, "/gioi-thieu/co-cau-to-chuc/")
    assert "Ủy ban nhân dân huyện Thăng Bình" in html
    assert "Phòng Tư pháp" in html
    assert "Phòng Nội vụ" not in html  # inactive department
    html = _html(client, "/xa-binh-minh/co-cau-to-chuc/")
    assert "Chưa có thông tin cơ cấu tổ chức" in html
    html = _html(client, "/lien-he/")
    assert "Số 1 đường Tiểu La" in html and "Giờ làm việc" in html


def test_menu_and_unknown_page(client: Client, seeded: SimpleNamespace) -> None:
    html = _html(client, "/lien-he/")
    assert 'href="/gioi-thieu/"' in html and 'href="/cai-cach-hanh-chinh/"' in html
    assert 'aria-current="page">Liên hệ' in html
    _html(client, "/khong-co-trang-nay/", status=404)
    home = PortalHomePage.objects.get(depth=2)
    assert home.url == "/"


def test_home_category_and_article_queries_are_bounded(
    client: Client, django_assert_max_num_queries: object
) -> None:
    index = NewsIndexPage.objects.get(slug="chinh-tri", depth=3)
    article = NewsArticlePage.objects.child_of(index).live().order_by("path").first()
    assert article is not None
    bounds = {"/": QUERIES_HOME, index.url: QUERIES_CATEGORY, article.url: QUERIES_ARTICLE}
    for url in bounds:
        client.get(url)  # renditions are created on the first view
    for url, bound in bounds.items():
        with django_assert_max_num_queries(bound):  # type: ignore[operator]
            assert client.get(url).status_code == 200


def test_home_queries_do_not_grow_with_its_categories(client: Client) -> None:
    commune = PortalHomePage.objects.get(slug="xa-binh-minh")
    client.get(commune.url)
    with CaptureQueriesContext(connection) as before:
        client.get(commune.url)
    used = set(NewsIndexPage.objects.child_of(commune).values_list("category", flat=True))
    for category in [c for c in NewsCategory if c not in used][:2]:
        index = NewsIndexPage(title=f"Chuyên mục {category.label}", category=category)
        commune.add_child(instance=index)
        index.save_revision().publish()
        for number in range(LATEST_PER_CATEGORY + 1):
            article = NewsArticlePage(
                title=f"Tin {category} {number}", lead="Sapo.", body="<p>x</p>"
            )
            index.add_child(instance=article)
            article.save_revision().publish()
    client.get(commune.url)
    with CaptureQueriesContext(connection) as after:
        html = _html(client, commune.url)
    assert len(after) == len(before)
    assert html.count('class="news-block"') == len(used) + 2


# --- reads shared by a page: one query per list, the rest once per request -----------------


def test_latest_articles_of_every_category_in_one_query(
    seeded: SimpleNamespace, django_assert_num_queries: object
) -> None:
    district = PortalHomePage.objects.get(depth=2)
    indexes = list(NewsIndexPage.objects.child_of(district).live().order_by("path"))
    hidden = NewsArticlePage.objects.child_of(indexes[0]).live().order_by("path").first()
    assert hidden is not None
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")
    private = selectors.private_pages_q()
    with django_assert_num_queries(1):  # type: ignore[operator]
        latest = selectors.articles_latest_per_parent(indexes, 2, private=private)
    assert set(latest) == {index.path for index in indexes}
    for index in indexes:
        expected = list(selectors.articles_in(index)[:2])  # Wagtail's public(): the same pages
        assert [a.pk for a in latest[index.path]] == [a.pk for a in expected], index.title
    assert hidden.pk not in {a.pk for articles in latest.values() for a in articles}
    assert selectors.articles_latest_per_parent([], 2) == {}
    with pytest.raises(ValueError, match="one depth"):
        selectors.articles_latest_per_parent([district, indexes[0]], 2)


def test_view_restrictions_and_children_are_read_once_per_request(
    seeded: SimpleNamespace, django_assert_num_queries: object
) -> None:
    district = PortalHomePage.objects.get(depth=2)
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):  # type: ignore[operator]
        private = selectors.private_pages_for(request)
        children = selectors.portal_children_for(request, district)
        assert selectors.private_pages_for(request) is private
        assert selectors.portal_children_for(request, district) is children
    index = NewsIndexPage.objects.get(slug="kinh-te", depth=3)
    PageViewRestriction.objects.create(page=index, restriction_type="login")
    later = RequestFactory().get("/")  # the next request sees the restriction
    menu = selectors.portal_menu(district, children=selectors.portal_children_for(later, district))
    assert index.pk not in {page.pk for page in menu}
    assert index.pk in {page.pk for page in selectors.portal_menu(district, children=children)}
    assert all(page.depth == 3 and page.show_in_menus for page in menu)
    assert not {page.pk for page in menu} & {p.pk for p in selectors.member_portals(district)}


def test_a_routed_page_knows_its_portal_and_ancestors_without_a_query(
    seeded: SimpleNamespace, django_assert_num_queries: object
) -> None:
    commune = PortalHomePage.objects.get(slug="xa-binh-minh")
    article = NewsArticlePage.objects.descendant_of(commune).live().order_by("path").first()
    assert article is not None
    expected = [page.pk for page in article.get_ancestors().filter(depth__gte=2)]
    routed = Page.find_for_request(RequestFactory().get(article.url), article.url)
    assert routed is not None and routed.pk == article.pk
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert selectors.portal_home_of(routed) == commune
        assert [page.pk for page in selectors.page_ancestors(routed)] == expected
    loaded = NewsArticlePage.objects.get(pk=article.pk)  # not routed (a preview): one query
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert selectors.portal_home_of(loaded) == commune
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert [page.pk for page in selectors.page_ancestors(loaded)] == expected
    assert selectors.portal_home_of(commune) is commune
    assert selectors.page_ancestors(PortalHomePage.objects.get(depth=2)) == []


def test_related_articles_share_tags_first_then_the_category(
    seeded: SimpleNamespace, django_assert_num_queries: object
) -> None:
    district = PortalHomePage.objects.get(depth=2)
    for article in NewsArticlePage.objects.descendant_of(district).live().filter(depth=4):
        tags = set(article.tags.values_list("pk", flat=True))
        parent = article.get_parent()
        scope = selectors.articles_live().descendant_of(district).exclude(pk=article.pk)

        def shared(other: NewsArticlePage, tags: set[int] = tags) -> int:
            return len(tags & set(other.tags.values_list("pk", flat=True)))

        candidates = [a for a in scope if shared(a) or a.path.startswith(parent.path)]
        candidates.sort(key=lambda a: (-shared(a), -a.shown_at.timestamp(), -a.pk))
        with django_assert_num_queries(2):  # type: ignore[operator]  # the portal, the list
            related = selectors.related_articles(article, tag_ids=list(tags), private=Q())
        assert [a.pk for a in related] == [a.pk for a in candidates[:RELATED_LIMIT]], article


def test_member_portals_by_name_without_diacritics(seeded: SimpleNamespace) -> None:
    district = PortalHomePage.objects.get(depth=2)
    for title in ("Xã Gia Lâm", "Xã Đông Phú"):
        district.add_child(instance=PortalHomePage(title=title)).save_revision().publish()
    titles = [portal.title for portal in selectors.member_portals(district)]
    assert titles.index("Xã Bình Minh") < titles.index("Xã Đông Phú") < titles.index("Xã Gia Lâm")
    assert titles[0] == "Thị trấn Hà Lam"


def test_list_images_and_dates_render_as_wagtail_and_django_do(
    client: Client, django_assert_num_queries: object
) -> None:
    client.get("/")  # makes the renditions
    images = list(get_image_model().objects.all()[:3])
    assert images
    cache.clear()  # no rendition in the cache: only the prefetch can save the reads
    selectors.renditions_prefetch([*images, None], selectors.LIST_IMAGE_SPEC)
    engine = engines["django"]
    ours = engine.from_string(
        '{% load portal_tags %}{% for i in images %}{% portal_image i "fill-320x180" alt="" '
        'class="news-item__image" %}{% endfor %}{{ shown|time_tag:"d/m/Y H:i" }}'
    )
    wagtail = engine.from_string(
        "{% load wagtailimages_tags %}{% for i in images %}{% image i fill-320x180 alt='' "
        "class='news-item__image' %}{% endfor %}<time datetime=\"{{ shown|date:'c' }}\">"
        '{{ shown|date:"d/m/Y H:i" }}</time>'
    )
    shown = timezone.now()
    with django_assert_num_queries(0):  # type: ignore[operator]
        html = ours.render({"images": images, "shown": shown})
    assert html == wagtail.render({"images": images, "shown": shown})
    assert engine.from_string("{% load portal_tags %}{{ x|time_tag:'d/m/Y' }}").render({}) == ""
