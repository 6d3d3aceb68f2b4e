"""Feeds and search engines: RSS per category, sitemap.xml, robots.txt, canonical and Open
Graph tags; the friendly 404, 403 and 500 pages."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html import unescape
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.images import ImageFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.defaults import permission_denied, server_error
from PIL import Image as PillowImage
from wagtail.images import get_image_model
from wagtail.models import Site

from egov.portal import feeds
from egov.portal.constants import NEWS_PER_PAGE
from egov.portal.models import NewsArticlePage, NewsIndexPage, PortalHomePage

pytestmark = pytest.mark.django_db

BASE = "https://thangbinh.example.gov.vn"
MEDIA_NS = "{http://search.yahoo.com/mrss/}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def client(seeded: SimpleNamespace, settings: object) -> Client:
    settings.EGOV_BASE_URL = BASE  # type: ignore[attr-defined]
    return Client(HTTP_HOST="localhost")


def _district_category() -> NewsIndexPage:
    return NewsIndexPage.objects.get(slug="chinh-tri", depth=3)


def _commune_home() -> PortalHomePage:
    return PortalHomePage.objects.get(slug="xa-binh-minh")


def _commune_category() -> NewsIndexPage:
    index = NewsIndexPage.objects.child_of(_commune_home()).live().first()
    assert index is not None
    return index


def _draft_in(index: NewsIndexPage, title: str = "Bản nháp chưa duyệt") -> NewsArticlePage:
    draft = NewsArticlePage(title=title, lead="Sapo nháp.", body="<p>x</p>", live=False)
    index.add_child(instance=draft)
    draft.save_revision()
    return draft


def _xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (the server's own output)


def _feed(client: Client, index: NewsIndexPage) -> ET.Element:
    response = client.get(f"/rss/{index.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = _xml(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    return channel


def _meta(html: str) -> dict[str, str]:
    """<meta property|name=... content=...> and <link rel=canonical> of a page's head."""
    head = html.split("</head>", 1)[0]
    found = {
        key: unescape(value)
        for key, value in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', head)
    }
    canonical = re.findall(r'<link rel="canonical" href="([^"]+)"', head)
    assert len(canonical) == 1, canonical
    found["canonical"] = unescape(canonical[0])
    return found


# --- RSS ------------------------------------------------------------------------------------


def test_category_feed_is_valid_rss_with_the_newest_articles(client: Client) -> None:
    index = _district_category()
    _draft_in(index)
    live = list(NewsArticlePage.objects.child_of(index).live())
    channel = _feed(client, index)
    assert channel.findtext("title") == "Chính trị – Huyện Thăng Bình"
    assert channel.findtext("link") == f"{BASE}/chinh-tri/"
    assert channel.findtext("language") == "vi"
    items = channel.findall("item")
    assert len(items) == len(live) >= 2
    by_title = {a.title: a for a in live}
    dates = []
    for item in items:
        article = by_title[item.findtext("title") or ""]
        assert item.findtext("link") == f"{BASE}{article.url}"
        assert item.findtext("description") == article.lead
        assert item.findtext("category") == "Chính trị"
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        assert guid.text == f"urn:uuid:{article.translation_key}"
        # RFC 822 dates, the article's display date (published_at here).
        published = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert published == article.published_at
        dates.append(published)
        media = item.find(f"{MEDIA_NS}content")
        assert media is not None and media.get("medium") == "image"
        assert (media.get("url") or "").startswith(f"{BASE}/media/images/")
    assert dates == sorted(dates, reverse=True)  # newest first
    assert "Bản nháp chưa duyệt" not in by_title


def test_feed_is_utf8_and_falls_back_to_the_first_publication(client: Client) -> None:
    index = _district_category()
    article = NewsArticlePage(
        title="Hội nghị tổng kết công tác cải cách hành chính",
        lead="Đồng chí Chủ tịch UBND huyện phát biểu chỉ đạo.",
        body="<p>x</p>",
    )
    index.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    response = client.get(f"/rss/{index.pk}/")
    assert "Hội nghị tổng kết công tác cải cách hành chính".encode() in response.content
    item = _xml(response.content).find("channel/item")
    assert item is not None and item.findtext("title") == article.title  # the newest
    published = parsedate_to_datetime(item.findtext("pubDate") or "")
    assert published == article.first_published_at.replace(microsecond=0)
    assert item.find(f"{MEDIA_NS}content") is None  # no image, no media element


def test_feed_keeps_the_latest_items_only(
    client: Client, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: object
) -> None:
    index = _district_category()
    client.get(f"/rss/{index.pk}/")  # renditions are created on the first request
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        channel = _feed(client, index)
    assert len(channel.findall("item")) == 2


def test_commune_category_feed(client: Client) -> None:
    index = _commune_category()
    titles = {a.title for a in NewsArticlePage.objects.child_of(index).live()}
    district_titles = {a.title for a in NewsArticlePage.objects.child_of(_district_category())}
    channel = _feed(client, index)
    assert channel.findtext("title") == f"{index.title} – Xã Bình Minh"
    assert channel.findtext("link") == f"{BASE}/xa-binh-minh/{index.slug}/"
    got = {item.findtext("title") for item in channel.findall("item")}
    assert got == titles and not got & district_titles
    for item in channel.findall("item"):
        assert (item.findtext("link") or "").startswith(f"{BASE}/xa-binh-minh/{index.slug}/")


def test_unknown_or_unpublished_category_feed_is_404(client: Client) -> None:
    hidden = NewsIndexPage(title="Chuyên mục ẩn", category="kinh-te", live=False)
    _commune_home().add_child(instance=hidden)
    for url in (
        "/rss/999999/",
        f"/rss/{hidden.pk}/",
        f"/rss/{_commune_home().pk}/",  # a page, but not a category
        "/rss/abc/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy trang" in response.content.decode()
    assert client.post(f"/rss/{_district_category().pk}/").status_code == 405


def test_feed_list_page(client: Client) -> None:
    response = client.get("/rss/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kênh RSS</h1>" in html
    district, commune = _district_category(), _commune_category()
    for index in (district, commune):
        assert f'href="{BASE}/rss/{index.pk}/"' in html
    assert html.index("Huyện Thăng Bình</a></h2>") < html.index("Xã Bình Minh</a></h2>")
    assert "portal/css/portal.css" in html  # the portal's design
    assert _meta(html)["canonical"] == f"{BASE}/rss/"


def test_category_and_home_link_their_feeds(client: Client) -> None:
    index = _district_category()
    alternate = (
        f'<link rel="alternate" type="application/rss+xml" '
        f'title="Kênh RSS: Chính trị" href="{BASE}/rss/{index.pk}/">'
    )
    html = client.get("/chinh-tri/").content.decode()
    assert alternate in html
    assert (
        f'href="/rss/{index.pk}/" type="application/rss+xml">Kênh RSS chuyên mục Chính trị' in html
    )
    home_html = client.get("/").content.decode()
    assert alternate in home_html
    commune = _commune_category()
    commune_html = client.get("/xa-binh-minh/").content.decode()
    assert f'href="{BASE}/rss/{commune.pk}/"' in commune_html
    assert f'href="{BASE}/rss/{index.pk}/"' not in commune_html


# --- Sitemap and robots.txt -----------------------------------------------------------------


def _sitemap_locations(client: Client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    index = _xml(response.content)
    sections = [loc.text or "" for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert {s.rsplit("/", 1)[-1] for s in sections} == {"sitemap-trang.xml", "sitemap-dich-vu.xml"}
    found: dict[str, str | None] = {}
    for section in sections:
        assert section.startswith(BASE)  # like robots.txt and the pages, not the Host header
        response = client.get(section.removeprefix(BASE))
        assert response.status_code == 200, section
        for url in _xml(response.content).iter(f"{SITEMAP_NS}url"):
            found[url.findtext(f"{SITEMAP_NS}loc") or ""] = url.findtext(f"{SITEMAP_NS}lastmod")
    return found


def test_sitemap_lists_live_pages_of_every_portal(
    client: Client, django_assert_max_num_queries: object
) -> None:
    draft = _draft_in(_commune_category(), "Tin nháp của xã")
    found = _sitemap_locations(client)
    district_article = NewsArticlePage.objects.child_of(_district_category()).live().first()
    commune_article = NewsArticlePage.objects.child_of(_commune_category()).live().first()
    assert district_article is not None and commune_article is not None
    for page in (district_article, commune_article, _commune_home(), _district_category()):
        location = f"{BASE}{page.url}"
        assert location in found, location
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", found[location] or "")
    assert f"{BASE}/" in found
    assert not any(draft.slug in loc for loc in found)
    assert f"{BASE}{reverse('eservices:procedure_list')}" in found
    assert f"{BASE}{reverse('dossier_lookup')}" in found
    assert f"{BASE}{reverse('statistics_public_board')}" in found
    live_pages = PortalHomePage.objects.get(depth=2).get_descendants(inclusive=True).live()
    assert len(found) == live_pages.public().count() + 3
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        assert client.get("/sitemap-trang.xml").status_code == 200


def test_sitemap_unknown_section_or_page_is_404(client: Client) -> None:
    assert client.get("/sitemap-khong-co.xml").status_code == 404
    assert client.get("/sitemap-trang.xml?p=99").status_code == 404
    assert client.get("/sitemap-trang.xml?p=abc").status_code == 404


def test_robots_txt(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/admin/", "/accounts/", "/api/", "/files/"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the portal itself stays open


# --- Canonical and Open Graph ---------------------------------------------------------------


def test_home_head_tags(client: Client) -> None:
    meta = _meta(client.get("/?utm_source=zalo").content.decode())
    assert meta["canonical"] == f"{BASE}/"
    assert meta["og:url"] == f"{BASE}/"
    assert meta["og:type"] == "website"
    assert meta["og:site_name"] == "Chính quyền số"  # the Wagtail site has no name yet
    assert meta["og:title"] == "Huyện Thăng Bình"
    assert meta["og:locale"] == "vi_VN"
    assert meta["og:description"] and meta["description"] == meta["og:description"]
    assert "<" not in meta["og:description"]  # the rich-text intro, as plain text
    assert meta["twitter:card"] == "summary"
    assert "og:image" not in meta


def test_category_head_tags_and_page_numbers(client: Client) -> None:
    index = _district_category()
    meta = _meta(client.get("/chinh-tri/").content.decode())
    assert meta["canonical"] == f"{BASE}/chinh-tri/"
    assert meta["og:type"] == "website" and meta["og:title"] == "Chính trị"
    for number in range(NEWS_PER_PAGE):
        article = NewsArticlePage(title=f"Tin thêm {number}", lead="Sapo.", body="<p>x</p>")
        index.add_child(instance=article)
        article.save_revision().publish()
    assert _meta(client.get("/chinh-tri/?trang=2").content.decode())["canonical"] == (
        f"{BASE}/chinh-tri/?trang=2"
    )
    # Odd numbers show a real page: its canonical names that page, never the odd value.
    assert _meta(client.get("/chinh-tri/?trang=99").content.decode())["canonical"] == (
        f"{BASE}/chinh-tri/?trang=2"
    )
    assert _meta(client.get("/chinh-tri/?trang=%3Cb%3E").content.decode())["canonical"] == (
        f"{BASE}/chinh-tri/"
    )


def test_article_head_tags(client: Client) -> None:
    Site.objects.filter(is_default_site=True).update(site_name="Cổng TTĐT huyện Thăng Bình")
    article = NewsArticlePage.objects.child_of(_commune_category()).live().first()
    assert article is not None and article.image is not None and article.published_at
    html = client.get(f"{article.url}?fbclid=abc").content.decode()
    meta = _meta(html)
    assert meta["canonical"] == f"{BASE}{article.url}" == meta["og:url"]
    assert meta["og:type"] == "article"
    assert meta["og:title"] == article.title
    assert meta["og:description"] == article.lead
    assert meta["og:site_name"] == "Cổng TTĐT huyện Thăng Bình"  # the site, not the commune
    published = meta["article:published_time"]
    assert published == timezone.localtime(article.published_at).isoformat()
    assert published.endswith("+07:00")  # Asia/Ho_Chi_Minh
    assert meta["article:section"] == _commune_category().title
    assert meta["og:image"].startswith(f"{BASE}/media/images/")
    assert int(meta["og:image:width"]) <= 1200 and int(meta["og:image:height"]) <= 630
    assert meta["twitter:card"] == "summary_large_image"
    assert f'href="{BASE}/rss/{_commune_category().pk}/"' in html  # its category's feed


def test_search_description_wins_and_no_image_means_no_og_image(client: Client) -> None:
    index = _district_category()
    article = NewsArticlePage(
        title="Tin không ảnh",
        lead="Sapo của tin.",
        body="<p>x</p>",
        search_description="Mô tả cho máy tìm kiếm",
    )
    index.add_child(instance=article)
    article.save_revision().publish()
    article.refresh_from_db()
    meta = _meta(client.get(article.url).content.decode())
    assert meta["description"] == meta["og:description"] == "Mô tả cho máy tìm kiếm"
    assert "og:image" not in meta and meta["twitter:card"] == "summary"
    assert meta["article:published_time"] == (
        timezone.localtime(article.first_published_at).isoformat()
    )


def test_a_lost_image_file_does_not_break_the_article(client: Client) -> None:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (800, 450), "#0b3d6e").save(buffer, "PNG")
    image = get_image_model()(title="Ảnh bị mất", file=ImageFile(buffer, name="mat-anh.png"))
    image.save()
    image.file.storage.delete(image.file.name)  # e.g. a failed restore of the media folder
    article = NewsArticlePage(title="Tin mất ảnh", lead="Sapo.", body="<p>x</p>", image=image)
    _district_category().add_child(instance=article)
    article.save_revision().publish()
    response = client.get(article.url)
    assert response.status_code == 200
    meta = _meta(response.content.decode())
    assert "og:image" not in meta and meta["twitter:card"] == "summary"


def test_a_commune_with_its_own_site_uses_its_hostname(client: Client, settings: object) -> None:
    settings.ALLOWED_HOSTS = ["localhost", "binhminh.example.gov.vn"]  # type: ignore[attr-defined]
    home = _commune_home()
    Site.objects.create(hostname="binhminh.example.gov.vn", port=443, root_page=home)
    own = Client(HTTP_HOST="binhminh.example.gov.vn")
    meta = _meta(own.get("/").content.decode())
    assert meta["canonical"] == "https://binhminh.example.gov.vn/"
    index = _commune_category()
    assert _meta(own.get(f"/{index.slug}/").content.decode())["canonical"] == (
        f"https://binhminh.example.gov.vn/{index.slug}/"
    )
    robots = own.get("/robots.txt").content.decode()
    assert "Sitemap: https://binhminh.example.gov.vn/sitemap.xml" in robots
    pages = _xml(own.get("/sitemap-trang.xml").content)
    locations = {loc.text for loc in pages.iter(f"{SITEMAP_NS}loc")}
    assert "https://binhminh.example.gov.vn/" in locations
    assert all((loc or "").startswith("https://binhminh.example.gov.vn/") for loc in locations)
    # The district's own pages keep the public address of the default site; the commune's
    # pages, still served on the district's hostname, name the commune's address as the
    # canonical one and are left to the commune's sitemap.
    assert _meta(client.get("/").content.decode())["canonical"] == f"{BASE}/"
    html = client.get(f"/xa-binh-minh/{index.slug}/").content.decode()
    assert _meta(html)["canonical"] == f"https://binhminh.example.gov.vn/{index.slug}/"
    district = {loc.text for loc in _xml(client.get("/sitemap-trang.xml").content).iter()}
    assert f"{BASE}/" in district
    assert not any((x or "").startswith(f"{BASE}/xa-binh-minh/") for x in district)
    assert not any("binhminh.example" in (x or "") for x in district)


# --- Error pages ----------------------------------------------------------------------------


def test_unknown_page_under_the_district_portal(client: Client) -> None:
    response = client.get("/tin-cu-khong-con/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Không tìm thấy trang</h1>" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert f'href="{reverse("eservices:procedure_list")}"' in html
    assert f'href="{reverse("dossier_lookup")}"' in html
    assert 'class="btn btn--primary" href="/">Về trang chủ</a>' in html
    assert '<meta name="robots" content="noindex">' in html
    try:
        search_url = reverse("portal:search")
    except NoReverseMatch:
        assert 'role="search"' not in html
    else:
        assert f'action="{search_url}"' in html and 'value="tin cu khong con"' in html


def test_unknown_page_under_a_commune_portal(client: Client) -> None:
    response = client.get("/xa-binh-minh/khong-co-bai-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/xa-binh-minh/">Về trang chủ Xã Bình Minh</a>' in html
    assert 'href="/">Về trang chủ Huyện Thăng Bình</a>' in html
    # An address outside the page tree (a 404 raised by a view) gets the same page.
    html = client.get("/tra-cuu-ho-so/khong-co/").content.decode()
    assert "Không tìm thấy trang" in html


def test_api_keeps_its_json_404(client: Client) -> None:
    response = client.get("/api/v1/khong-co-dich-vu-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_403_page() -> None:
    request = RequestFactory().get("/mot-trang-rieng/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Bạn không có quyền truy cập trang này" in html
    assert f'href="{reverse("account_login")}?next=/mot-trang-rieng/"' in html


def test_500_page_renders_without_the_database(django_db_blocker: object) -> None:
    with django_db_blocker.block():  # type: ignore[attr-defined]
        response = server_error(RequestFactory().get("/"))
        html = render_to_string("500.html")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in response.content.decode()
    assert "Hệ thống đang gặp sự cố" in html and "Chính quyền số" in html
    assert "<form" not in html  # no CSRF token there to post with
