"""Article view counts (``egov.portal.counter``, ADR 0017): counted in the shared cache,
flushed into ``NewsArticlePage.view_count``; bots, ``HEAD`` and prefetches not counted.

The Redis tests run against the Redis of the machine (``127.0.0.1:6379``, database 9, a
key prefix of their own), skipped when none answers; the others on the test settings'
locmem cache, the path of every cache that is not Redis.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from egov.portal import cache as portal_cache
from egov.portal import counter
from egov.portal.models import NewsArticlePage, NewsIndexPage
from egov.portal.tasks import flush_views_task

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/9"
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "coc_coc_browser/117.0.238 Chrome/111.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/120.0 Mobile Safari/537.36 Zalo android/12100644 ZaloTheme/light",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
]
BOTS = [
    "",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; YandexBot/3.0)",
    "Mozilla/5.0 (compatible; Baiduspider/2.0)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 HeadlessChrome/120.0",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "Slurp",
]


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _fresh_locmem() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[None]:
    prefix = f"test-{uuid.uuid4().hex}:"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)


@pytest.fixture(params=["locmem", pytest.param("redis", marks=needs_redis)])
def any_cache(request: Any) -> str:
    if request.param == "redis":
        request.getfixturevalue("redis_cache")
    return str(request.param)


@pytest.fixture
def article(seeded: SimpleNamespace) -> NewsArticlePage:
    index = NewsIndexPage.objects.get(slug="chinh-tri", depth=3)
    page = NewsArticlePage(title=f"Tin đếm lượt xem {uuid.uuid4().hex[:6]}", lead="S.", body="x")
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def _views(page: NewsArticlePage) -> int:
    return NewsArticlePage.objects.get(pk=page.pk).view_count


def test_n_views_then_a_flush_add_n(any_cache: str, article: NewsArticlePage) -> None:
    NewsArticlePage.objects.filter(pk=article.pk).update(view_count=40)
    for agent in BROWSERS:
        response = Client(HTTP_USER_AGENT=agent).get(article.url)
        assert response.status_code == 200
    assert _views(article) == 40  # a view writes nothing to the article
    assert counter.pending_views([article.pk]) == {article.pk: len(BROWSERS)}
    result = counter.portal_flush_views()
    assert result.views == len(BROWSERS) and result.articles == 1
    assert _views(article) == 40 + len(BROWSERS)
    assert counter.pending_views([article.pk]) == {}
    assert counter.portal_flush_views().views == 0  # nothing twice
    assert _views(article) == 40 + len(BROWSERS)


def test_bots_head_and_prefetches_are_not_counted(any_cache: str, article: NewsArticlePage) -> None:
    for agent in BOTS:
        assert Client(HTTP_USER_AGENT=agent).get(article.url).status_code == 200
    browser = Client(HTTP_USER_AGENT=BROWSERS[0])
    assert browser.head(article.url).status_code == 200
    for header in ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_MOZ"):
        assert browser.get(article.url, **{header: "prefetch"}).status_code == 200
    assert browser.get(article.url, HTTP_SEC_PURPOSE="prefetch;prerender").status_code == 200
    assert browser.get("/").status_code == 200  # not an article
    assert browser.get("/khong-co-trang-nay/").status_code == 404
    assert counter.pending_views() == {}
    browser.get(article.url)
    assert counter.pending_views([article.pk]) == {article.pk: 1}


@pytest.mark.parametrize("agent", BROWSERS)
def test_browsers_are_readers(agent: str) -> None:
    assert not counter.BOT_USER_AGENT.search(agent)


@pytest.mark.parametrize("agent", [a for a in BOTS if a])
def test_bots_are_recognised(agent: str) -> None:
    assert counter.BOT_USER_AGENT.search(agent)


def test_signed_in_readers_count_too(any_cache: str, article: NewsArticlePage) -> None:
    from egov.accounts.tests.factories import UserFactory

    reader = Client(HTTP_USER_AGENT=BROWSERS[1])
    reader.force_login(UserFactory(username="ban.doc"))
    reader.get(article.url)
    assert counter.pending_views([article.pk]) == {article.pk: 1}


@pytest.mark.parametrize("store", ["database", pytest.param("redis", marks=needs_redis)])
def test_a_view_served_from_the_page_cache_counts(
    store: str, settings: Any, request: Any, article: NewsArticlePage
) -> None:
    settings.EGOV_PORTAL_CACHE_SECONDS = 300
    if store == "redis":
        request.getfixturevalue("redis_cache")
    else:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": "egov_portal_counter_test",
            }
        }
        call_command("createcachetable", verbosity=0)
    browser = Client(HTTP_USER_AGENT=BROWSERS[0])
    states = [browser.get(article.url).get("X-Cache") for _ in range(3)]
    assert states == ["MISS", "HIT", "HIT"]
    bot = Client(HTTP_USER_AGENT=BOTS[1])
    assert bot.get(article.url)["X-Cache"] == "HIT"  # served, not counted
    assert browser.head(article.url)["X-Cache"] == "HIT"
    assert counter.pending_views([article.pk]) == {article.pk: 3}
    assert counter.portal_flush_views().views == 3
    assert _views(article) == 3


def _hammer(
    record: int, flushes: int, monkeypatch: pytest.MonkeyPatch, page_ids: list[int]
) -> Counter[int]:
    """``record`` views per article from 4 threads while 2 threads flush ``flushes`` times
    each; the flushes' database updates are collected instead of written (threads have
    no access to the test's transaction)."""
    applied: Counter[int] = Counter()
    lock = threading.Lock()

    def apply(counts: dict[int, int]) -> int:
        with lock:
            applied.update(counts)
        return len(counts)

    monkeypatch.setattr(counter, "_apply", apply)
    monkeypatch.setattr(counter, "_article_ids", lambda: page_ids)
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def views() -> None:
        try:
            start.wait()
            for _ in range(record):
                for pk in page_ids:
                    counter.portal_view_record(pk)
        except BaseException as exc:  # reported by the test
            errors.append(exc)

    def flusher() -> None:
        try:
            start.wait()
            for _ in range(flushes):
                counter.portal_flush_views()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=views) for _ in range(4)]
    threads += [threading.Thread(target=flusher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counter.portal_flush_views()  # what came after the last flush
    assert not errors
    return applied


@needs_redis
def test_concurrent_flushes_lose_nothing_on_redis(
    redis_cache: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    applied = _hammer(300, 40, monkeypatch, [101, 102, 103])
    assert applied == {101: 1200, 102: 1200, 103: 1200}


def test_concurrent_flushes_lose_nothing_on_another_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    applied = _hammer(200, 30, monkeypatch, [201, 202])
    assert applied == {201: 800, 202: 800}


@needs_redis
def test_a_failed_flush_is_taken_up_by_the_next(
    redis_cache: None, article: NewsArticlePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(5):
        counter.portal_view_record(article.pk)

    def broken(counts: dict[int, int]) -> int:
        raise RuntimeError("database down")

    real = counter._apply
    monkeypatch.setattr(counter, "_apply", broken)
    with pytest.raises(RuntimeError):
        counter.portal_flush_views()
    counter.portal_view_record(article.pk)  # a view while the database is down
    monkeypatch.setattr(counter, "_apply", real)
    assert counter.portal_flush_views().views == 6
    assert _views(article) == 6
    assert counter.portal_flush_views().views == 0


@needs_redis
def test_the_hash_of_a_flush_that_died_is_taken_up_later(
    redis_cache: None, article: NewsArticlePage
) -> None:
    import time

    import redis

    client = redis.Redis.from_url(REDIS_URL)
    live = counter.redis_views_key()
    old = int(time.time()) - counter.STALE_FLUSH_SECONDS - 1
    running = f"{live}:flushing:{int(time.time())}:running"
    client.hset(f"{live}:flushing:{old}:dead", str(article.pk), 9)
    client.hset(running, str(article.pk), 5)
    assert counter.portal_flush_views().views == 9
    assert _views(article) == 9
    assert counter.portal_flush_views().views == 0
    assert client.exists(running)  # a running flush's hash is left to it


def test_a_failed_flush_puts_the_views_back(
    article: NewsArticlePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(4):
        counter.portal_view_record(article.pk)

    def broken(counts: dict[int, int]) -> int:
        raise RuntimeError("database down")

    real = counter._apply
    monkeypatch.setattr(counter, "_apply", broken)
    with pytest.raises(RuntimeError):
        counter.portal_flush_views()
    monkeypatch.setattr(counter, "_apply", real)
    assert counter.pending_views([article.pk]) == {article.pk: 4}
    assert counter.portal_flush_views().views == 4
    assert _views(article) == 4


def test_publishing_a_revision_keeps_the_count(
    article: NewsArticlePage, django_capture_on_commit_callbacks: Any
) -> None:
    editing = NewsArticlePage.objects.get(pk=article.pk)
    editing.title = "Tin đếm lượt xem (sửa)"
    draft = editing.save_revision()  # a draft, saved before the views (its JSON says 0)
    for _ in range(7):
        counter.portal_view_record(article.pk)
    counter.portal_flush_views()
    assert _views(article) == 7
    with django_capture_on_commit_callbacks(execute=True):
        draft.publish()  # an approval or a scheduled publication, later
    refreshed = NewsArticlePage.objects.get(pk=article.pk)
    assert refreshed.title == "Tin đếm lượt xem (sửa)" and refreshed.view_count == 7


def test_the_article_shows_its_count(article: NewsArticlePage) -> None:
    NewsArticlePage.objects.filter(pk=article.pk).update(view_count=12345)
    html = Client().get(article.url).content.decode()
    assert "Lượt xem: 12.345" in html


def test_command_and_task(article: NewsArticlePage) -> None:
    for _ in range(3):
        counter.portal_view_record(article.pk)
    out = StringIO()
    call_command("portal_flush_views", stdout=out)
    assert "Đã cộng 3 lượt xem vào 1 tin bài." in out.getvalue()
    counter.portal_view_record(article.pk)
    assert flush_views_task.delay().get() == 1
    assert _views(article) == 4


def test_a_failing_cache_loses_the_view_not_the_page(
    article: NewsArticlePage, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("cache down")

    monkeypatch.setattr(counter.cache, "incr", down)
    response = Client(HTTP_USER_AGENT=BROWSERS[0]).get(article.url)
    assert response.status_code == 200
    assert portal_cache.cache_seconds() == 0  # the page cache is off with locmem
