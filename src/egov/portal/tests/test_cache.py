"""The anonymous page cache (``egov.portal.cache``, ADR 0017) and the preference forms that
let public pages carry no CSRF token.

Each cache test runs twice: on the database cache (the embedded topology; two reads a
hit) and on the Redis of the machine (``127.0.0.1:6379``, database 9, a key prefix of
its own per test; one Lua script a hit), skipped when no Redis answers.  Invalidation
runs when the transaction commits, so publishing is wrapped in
``django_capture_on_commit_callbacks(execute=True)``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction, Site

from egov.accounts.tests.factories import UserFactory
from egov.portal import cache as portal_cache
from egov.portal.models import ExternalLink, NewsArticlePage, NewsIndexPage, Spokesperson

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture(params=["database", pytest.param("redis", marks=needs_redis)])
def shared_cache(request: Any, settings: Any, seeded: SimpleNamespace) -> Iterator[str]:
    """The page cache on, over a shared cache of each kind."""
    settings.EGOV_PORTAL_CACHE_SECONDS = 300
    if request.param == "database":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "egov_portal_cache_test",
            }
        }
        call_command("createcachetable", verbosity=0)
        yield "database"
        return
    prefix = f"test-{uuid.uuid4().hex}:"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield "redis"
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture
def client(seeded: SimpleNamespace) -> Client:
    return Client(HTTP_HOST="localhost", HTTP_USER_AGENT=BROWSER)


def _get(client: Client, url: str, **extra: Any) -> tuple[int, str | None, str]:
    response = client.get(url, **extra)
    return response.status_code, response.get("X-Cache"), response.content.decode()


def _publish(page: Any, capture: Any) -> None:
    with capture(execute=True):
        page.save_revision().publish()


def _new_article(index: NewsIndexPage, title: str, capture: Any) -> NewsArticlePage:
    article = NewsArticlePage(title=title, lead="Sapo.", body="<p>Nội dung.</p>")
    index.add_child(instance=article)
    _publish(article, capture)
    return article


def _district_politics() -> NewsIndexPage:
    return NewsIndexPage.objects.get(slug="chinh-tri", depth=3)


# --- hits and misses -------------------------------------------------------------------------


def test_a_miss_then_a_hit_with_the_same_page(shared_cache: str, client: Client) -> None:
    status, state, first = _get(client, "/")
    assert (status, state) == (200, "MISS")
    status, state, second = _get(client, "/")
    assert (status, state) == (200, "HIT")
    assert second == first and "Huyện Thăng Bình" in second
    hit = client.get("/")
    assert hit["Content-Type"].startswith("text/html")
    assert int(hit["Content-Length"]) == len(hit.content)
    assert "Cookie" in hit["Vary"]
    assert hit.get("X-Frame-Options") == "SAMEORIGIN"  # headers of the inner middleware kept


def test_an_article_and_a_head_request(shared_cache: str, client: Client) -> None:
    article = NewsArticlePage.objects.live().first()
    assert article is not None
    assert _get(client, article.url)[1] == "MISS"
    head = client.head(article.url)
    assert head.status_code == 200 and head["X-Cache"] == "HIT" and head.content == b""
    assert _get(client, article.url)[1] == "HIT"


def test_a_signed_in_user_is_never_served_from_nor_stored_in_the_cache(
    shared_cache: str, client: Client
) -> None:
    assert _get(client, "/")[1] == "MISS"
    assert _get(client, "/")[1] == "HIT"
    staff = Client(HTTP_HOST="localhost", HTTP_USER_AGENT=BROWSER)
    staff.force_login(UserFactory(username="bien.tap.vien"))
    for url in ("/", "/xa-binh-minh/"):
        status, state, html = _get(staff, url)
        assert status == 200 and state is None
        assert "Đăng xuất" in html and "hx-headers" in html
    # The commune home was first rendered for the signed-in user: not stored.
    status, state, html = _get(client, "/xa-binh-minh/")
    assert state == "MISS" and "Đăng xuất" not in html
    assert "Đăng xuất" not in _get(client, "/")[2]


def test_a_pending_message_or_a_session_bypasses_the_cache(
    shared_cache: str, client: Client
) -> None:
    _get(client, "/")
    assert _get(client, "/")[1] == "HIT"
    for cookie in ("messages", django_settings.SESSION_COOKIE_NAME):
        other = Client(HTTP_HOST="localhost")
        other.cookies[cookie] = "x"
        assert _get(other, "/")[1] is None


def test_post_and_htmx_requests_are_not_cached(shared_cache: str, client: Client) -> None:
    _get(client, "/")
    assert client.post("/").get("X-Cache") is None
    assert _get(client, "/", HTTP_HX_REQUEST="true")[1] is None


def test_language_and_text_size_are_separate_entries(shared_cache: str, client: Client) -> None:
    assert _get(client, "/")[1] == "MISS"
    english = Client(HTTP_HOST="localhost")
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    _status, state, html = _get(english, "/")
    assert state == "MISS" and '<html lang="en"' in html
    large = Client(HTTP_HOST="localhost")
    large.cookies["egov_text_size"] = "lg"
    _status, state, html = _get(large, "/")
    assert state == "MISS" and 'class="text-lg"' in html
    assert _get(english, "/")[1] == "HIT" and _get(large, "/")[1] == "HIT"
    _status, state, html = _get(client, "/")
    assert state == "HIT" and '<html lang="vi">' in html and "text-lg" not in html
    # A forged size is the default size: the same entry, no new one.
    forged = Client(HTTP_HOST="localhost")
    forged.cookies["egov_text_size"] = '" onload="alert(1)'
    _status, state, html = _get(forged, "/")
    assert state == "HIT" and "onload" not in html


def test_query_strings(shared_cache: str, client: Client) -> None:
    index = _district_politics()
    for number in range(12):  # a second page of the list
        article = NewsArticlePage(title=f"Tin thêm {number}", lead="Sapo.", body="<p>x</p>")
        index.add_child(instance=article)
        article.save_revision().publish()
    assert _get(client, "/chinh-tri/?trang=2")[1] == "MISS"
    status, state, html = _get(client, "/chinh-tri/?trang=2")
    assert state == "HIT" and "Trang 2/2" in html
    status, state, html = _get(client, "/chinh-tri/")
    assert state == "MISS" and "Trang 1/2" in html
    # Tracking parameters: served from the cache, never stored under their address.
    assert _get(client, "/chinh-tri/?utm_source=zalo&zarsrc=30")[1] == "HIT"
    assert _get(client, "/gioi-thieu/?fbclid=abc")[1] == "MISS"
    assert _get(client, "/gioi-thieu/")[1] == "MISS"
    # Anything else is rendered each time, never cached (odd page numbers included).
    for query in ("?q=x", "?trang=abc", "?trang=0", "?trang=1&trang=2", "?trang=12345"):
        status, state, _html = _get(client, f"/chinh-tri/{query}")
        assert status == 200 and state is None, query


@pytest.mark.parametrize(
    ("query", "cached", "storable"),
    [
        ("", True, True),
        ("?nam=2026", True, True),
        ("?ban-in=1&trang=3", True, True),
        ("?trang=3&utm_source=facebook&utm_medium=social", True, False),
        ("?nam=26", False, False),
        ("?tu-khoa=ke+hoach", False, False),
        ("?ban-in=2", False, False),
    ],
)
def test_which_query_strings_are_cached(query: str, cached: bool, storable: bool) -> None:
    key = portal_cache.request_key(RequestFactory().get(f"/{query}"))
    assert (key is not None) is cached
    assert key is None or key.storable is storable
    # Order does not matter; a tracking parameter does not change the key.
    if query == "?ban-in=1&trang=3":
        same = portal_cache.request_key(RequestFactory().get("/?trang=3&ban-in=1&fbclid=x"))
        assert same is not None and key is not None and same.key == key.key


def test_a_404_is_not_cached(shared_cache: str, client: Client) -> None:
    for _ in range(2):
        status, state, _html = _get(client, "/khong-co-trang-nay/")
        assert status == 404 and state == "MISS"


def test_other_views_are_not_touched(shared_cache: str, client: Client) -> None:
    for url in ("/dich-vu-cong/", "/tra-cuu-ho-so/"):
        assert client.get(url).get("X-Cache") is None
        assert client.get(url).get("X-Cache") is None


def test_off_without_ttl_or_with_a_per_process_cache(
    settings: Any, client: Client, seeded: SimpleNamespace
) -> None:
    settings.EGOV_PORTAL_CACHE_SECONDS = 300  # the test settings' cache is locmem
    assert client.get("/").get("X-Cache") is None
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "t"}
    }
    call_command("createcachetable", verbosity=0)
    settings.EGOV_PORTAL_CACHE_SECONDS = 0
    assert client.get("/").get("X-Cache") is None


def test_a_failing_cache_serves_the_pages_uncached(
    shared_cache: str, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    for store in (portal_cache.RedisStore, portal_cache.CacheStore):
        monkeypatch.setattr(store, "lookup", down)
    status, state, html = _get(client, "/")
    assert status == 200 and state is None and "Huyện Thăng Bình" in html
    monkeypatch.undo()
    for store in (portal_cache.RedisStore, portal_cache.CacheStore):
        monkeypatch.setattr(store, "save", down)
    status, state, html = _get(client, "/")
    assert status == 200 and state == "MISS" and "Huyện Thăng Bình" in html


# --- invalidation ----------------------------------------------------------------------------


def test_a_published_article_shows_on_the_home_at_once(
    shared_cache: str, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _get(client, "/")
    _get(client, "/chinh-tri/")
    assert _get(client, "/")[1] == "HIT"
    _new_article(_district_politics(), "Tin vừa đăng về kỳ họp", django_capture_on_commit_callbacks)
    _status, state, html = _get(client, "/")
    assert state == "MISS" and "Tin vừa đăng về kỳ họp" in html
    _status, state, html = _get(client, "/chinh-tri/")
    assert state == "MISS" and "Tin vừa đăng về kỳ họp" in html


def test_an_unpublished_article_disappears(
    shared_cache: str, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    article = _new_article(_district_politics(), "Tin sẽ gỡ", django_capture_on_commit_callbacks)
    url = article.url
    assert _get(client, url)[1] == "MISS"
    assert "Tin sẽ gỡ" in _get(client, "/")[2]
    assert _get(client, url)[1] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert _get(client, url)[0] == 404
    assert "Tin sẽ gỡ" not in _get(client, "/")[2]


def test_a_moved_or_deleted_article(
    shared_cache: str, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    capture = django_capture_on_commit_callbacks
    article = _new_article(_district_politics(), "Tin chuyển chuyên mục", capture)
    assert "Tin chuyển chuyên mục" in _get(client, "/chinh-tri/")[2]
    other = NewsIndexPage.objects.child_of(_district_politics().get_parent()).exclude(
        slug="chinh-tri"
    )[0]
    with capture(execute=True):
        article.move(other, pos="last-child")
    _status, state, html = _get(client, "/chinh-tri/")
    assert state == "MISS" and "Tin chuyển chuyên mục" not in html
    assert "Tin chuyển chuyên mục" in _get(client, other.url)[2]
    with capture(execute=True):
        NewsArticlePage.objects.get(pk=article.pk).delete()
    assert "Tin chuyển chuyên mục" not in _get(client, other.url)[2]


def test_a_page_made_private_is_not_served_from_the_cache(
    shared_cache: str, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    article = NewsArticlePage.objects.live().first()
    assert article is not None
    _get(client, article.url)
    assert _get(client, article.url)[1] == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=article, restriction_type="login")
    response = client.get(article.url)
    assert response.status_code == 302 and response.get("X-Cache") == "MISS"


def test_snippets_and_sites_make_the_pages_stale(
    shared_cache: str,
    client: Client,
    django_capture_on_commit_callbacks: Any,
    seeded: SimpleNamespace,
) -> None:
    capture = django_capture_on_commit_callbacks
    _get(client, "/")
    with capture(execute=True):
        ExternalLink.objects.create(title="Cổng thông tin tỉnh Quảng Nam", url="https://qn.vn")
    _status, state, html = _get(client, "/")
    assert state == "MISS" and "Cổng thông tin tỉnh Quảng Nam" in html
    person = Spokesperson.objects.filter(is_active=True, unit=seeded.units.district).first()
    assert person is not None
    with capture(execute=True):
        person.name = "Trần Văn Phát Ngôn"
        person.save()
    assert "Trần Văn Phát Ngôn" in _get(client, "/")[2]
    assert _get(client, "/")[1] == "HIT"
    with capture(execute=True):
        Site.objects.get(is_default_site=True).save()
    assert _get(client, "/")[1] == "MISS"


def test_a_change_rolled_back_invalidates_nothing(
    shared_cache: str, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _get(client, "/")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ExternalLink.objects.create(title="Liên kết chưa lưu", url="https://example.vn")
    assert len(callbacks) == 1  # the new generation waits for the commit
    assert _get(client, "/")[1] == "HIT"


def test_a_page_rendered_while_publishing_is_never_stored_as_fresh(
    shared_cache: str, client: Client
) -> None:
    """The entry keeps the generation read before rendering: a publish during the render
    makes it stale from the start."""
    request = RequestFactory(HTTP_HOST="localhost").get("/gioi-thieu/")
    store = portal_cache.page_store()
    key = portal_cache.request_key(request)
    assert key is not None
    site = Site.objects.get(is_default_site=True)
    before = store.lookup(request, key.key, count=False)
    assert not before.hit
    seen = before.generations.get(site.pk)
    portal_cache.portal_cache_invalidate([site.pk])  # a publish commits meanwhile
    store.save(key.key, site.pk, seen, None, "[]", b"old page")
    assert not store.lookup(request, key.key, count=False).hit
    fresh = store.lookup(request, key.key, count=False)
    store.save(key.key, site.pk, fresh.generations.get(site.pk), None, "[]", b"new page")
    found = store.lookup(request, key.key, count=False)
    assert found.hit and found.body == b"new page"


def test_invalidation_is_per_site(shared_cache: str) -> None:
    district_site = Site.objects.get(is_default_site=True)
    home = district_site.root_page
    commune_home = home.get_children().get(slug="xa-binh-minh")
    commune_site = Site.objects.create(hostname="binhminh.example", root_page=commune_home)
    store = portal_cache.page_store()
    portal_cache.portal_cache_invalidate()
    district, commune = store.generation(district_site.pk), store.generation(commune_site.pk)
    assert district and commune
    # A page of the district only: the commune's site keeps its cached pages.
    contact = home.get_children().get(slug="lien-he")
    portal_cache.portal_cache_invalidate(portal_cache.sites_holding([contact.path]))
    assert store.generation(commune_site.pk) == commune
    assert store.generation(district_site.pk) != district
    district = store.generation(district_site.pk)
    # A page of the commune: its own site and the district's, whose tree holds it too.
    portal_cache.portal_cache_invalidate(portal_cache.sites_holding([commune_home.path]))
    assert store.generation(commune_site.pk) != commune
    assert store.generation(district_site.pk) != district


@pytest.mark.parametrize(
    ("change", "storable"),
    [
        ({}, True),
        ({"cookie": True}, False),
        ({"vary": "Accept-Encoding"}, False),
        ({"cache_control": "private"}, False),
        ({"cache_control": "max-age=0, no-cache, no-store"}, False),
        ({"csrf": True}, False),
        ({"status": 302}, False),
        ({"content_type": "application/json"}, False),
        ({"preview": True}, False),
    ],
)
def test_what_may_be_stored(change: dict[str, Any], storable: bool) -> None:
    request = RequestFactory().get("/")
    response = HttpResponse("<p>x</p>", status=change.get("status", 200))
    response["Content-Type"] = change.get("content_type", "text/html; charset=utf-8")
    if change.get("cookie"):
        response.set_cookie("x", "1")
    if "vary" in change:
        response["Vary"] = change["vary"]
    if "cache_control" in change:
        response["Cache-Control"] = change["cache_control"]
    if change.get("csrf"):
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    if change.get("preview"):
        request.is_preview = True  # type: ignore[attr-defined]
    served = portal_cache.ServedPage(page_id=1, site_id=1, is_article=False)
    assert portal_cache._storable(request, response, served) is storable
    assert portal_cache._storable(request, response, None) is False


# --- public pages need no CSRF token ---------------------------------------------------------


def test_an_anonymous_portal_page_carries_no_csrf_token(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "hx-headers" not in html
    assert django_settings.CSRF_COOKIE_NAME not in response.cookies
    assert 'action="/i18n/setlang/"' in html and 'action="/dich-vu-cong/co-chu/"' in html


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/i18n/setlang/", {"language": "en", "next": "/"}),
        ("/dich-vu-cong/co-chu/", {"size": "larger", "next": "/"}),
    ],
)
def test_preference_forms_work_from_this_site_only(url: str, data: dict[str, str]) -> None:
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    response = browser.post(url, data, HTTP_ORIGIN="http://localhost")
    assert response.status_code == 302 and response["Location"] == "/"
    assert response.cookies  # the preference is remembered
    response = browser.post(url, data, HTTP_REFERER="http://localhost/chinh-tri/")
    assert response.status_code == 302
    for headers in (
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/x"},
        {"HTTP_ORIGIN": "http://localhost", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {},
    ):
        response = browser.post(url, data, **headers)
        assert response.status_code == 403, headers
        assert "không được gửi từ trang của cổng thông tin" in response.content.decode()
        assert not response.cookies


def test_preference_forms_accept_the_trusted_origins(settings: Any) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.thangbinh.gov.vn"]
    browser = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
    response = browser.post(
        "/i18n/setlang/", {"language": "en"}, HTTP_ORIGIN="https://binhminh.thangbinh.gov.vn"
    )
    assert response.status_code == 302
    response = browser.post(
        "/i18n/setlang/", {"language": "en"}, HTTP_ORIGIN="https://thangbinh.gov.vn.evil.example"
    )
    assert response.status_code == 403
