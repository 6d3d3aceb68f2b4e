"""Every portal page renders with its Vietnamese text; news navigation; the print view."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from egov.portal.constants import NEWS_PER_PAGE
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

pytestmark = pytest.mark.django_db

# One query set per category and per banner on the home page; none per article.
QUERIES_HOME = 36
QUERIES_ARTICLE = 23


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
        "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Flocalhost%2Fchinh-tri%2F",
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


def test_home_and_article_queries_are_bounded(
    client: Client, django_assert_max_num_queries: object
) -> None:
    client.get("/")  # renditions of the banners are created on the first view
    article = NewsArticlePage.objects.live().first()
    assert article is not None
    client.get(article.url)
    with django_assert_max_num_queries(QUERIES_HOME):  # type: ignore[operator]
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(QUERIES_ARTICLE):  # type: ignore[operator]
        assert client.get(article.url).status_code == 200
