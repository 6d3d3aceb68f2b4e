"""Article view counts, kept out of the request path (ADR 0017).

A view is one ``HINCRBY`` on a Redis hash (page id → views since the last flush), or, when
the default cache is not Redis (the database cache of the embedded topology, locmem in
tests), one ``cache.incr`` of a key per article.  Nothing is written to the article's row
by a page view: ``portal_flush_views()`` (every 5 minutes, Celery beat or cron:
``manage.py portal_flush_views``) moves the counts into ``NewsArticlePage.view_count`` with
``F()`` updates.

* Redis: the hash is renamed to a key of the flush's own (``RENAME`` is atomic), so a view
  counted while the flush runs lands in a new hash and waits for the next flush; none is
  lost, none is counted twice.  If the database update fails, the flush's counts go back
  into the live hash (one script); if the flush dies halfway, its hash is claimed by a
  later flush once it is ``STALE_FLUSH_SECONDS`` old.
* Other caches: each article's key is decremented by what was read (``cache.decr``; a
  flush that would take it below zero, because another flush took those views first, undoes
  its decrement).  Exact where ``incr``/``decr`` are atomic (locmem); with the database
  cache two views at the same instant may count once.

Not counted: ``HEAD``, link prefetches and prerenders (``Purpose`` / ``Sec-Purpose``), an
empty ``User-Agent`` and the crawlers, link previews, monitors and scripts of
``BOT_USER_AGENT``.  Counts are approximate by nature (a reader who reloads counts twice).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import pre_save
from django.http import HttpRequest

from egov.core.ratelimit import redis_client, redis_location
from egov.portal.models import NewsArticlePage

logger = logging.getLogger(__name__)

#: Crawlers, link previews, uptime monitors, HTTP libraries and headless browsers.
#: (Cốc Cốc's crawler is "coccocbot"; its browser, "coc_coc_browser", is a reader.)
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|facebookcatalog|preview|"
    r"curl|wget|python-requests|python-urllib|python-httpx|aiohttp|go-http-client|okhttp|"
    r"java/|libwww|httpclient|axios|node-fetch|postman|insomnia|headless|phantomjs|"
    r"lighthouse|pagespeed|gtmetrix|pingdom|uptime|statuscake|site24x7|monitor|scrapy|"
    r"embedly|whatsapp|feedfetcher|feedparser",
    re.IGNORECASE,
)
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
_PREFETCH = re.compile(r"prefetch|prerender|preview", re.IGNORECASE)

#: Name of the Redis hash (after the cache's ``KEY_PREFIX``) and of the per-article keys of
#: the other caches.
VIEWS_KEY = "egov:portal:views"
#: Seconds after which the hash of a flush that never finished is taken by another flush.
STALE_FLUSH_SECONDS = 600
#: Articles read per ``get_many`` when flushing a cache that is not Redis.
FLUSH_BATCH = 500


def is_counted_view(request: HttpRequest) -> bool:
    """A reader's ``GET``: not a ``HEAD``, a prefetch or a bot."""
    if request.method != "GET":
        return False
    meta = request.META
    agent = str(meta.get("HTTP_USER_AGENT", "")).strip()
    if not agent or BOT_USER_AGENT.search(agent):
        return False
    return not any(_PREFETCH.search(str(meta.get(name, ""))) for name in _PREFETCH_HEADERS)


def redis_views_key() -> str:
    """The hash's Redis key, with the cache's ``KEY_PREFIX`` (deployments sharing a Redis)."""
    prefix = str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")
    return f"{prefix}{VIEWS_KEY}"


def _cache_key(page_id: int) -> str:
    return f"{VIEWS_KEY}:{page_id}"


def portal_view_record(page_id: int) -> None:
    """Count one view of an article.  A failing cache loses the view, never the page."""
    try:
        location = redis_location()
        if location is not None:
            redis_client(location).hincrby(redis_views_key(), str(page_id), 1)
            return
        key = _cache_key(page_id)
        try:
            cache.incr(key)
        except ValueError:  # the first view since the last flush
            if not cache.add(key, 1, timeout=None):
                cache.incr(key)
    except Exception:  # a view count is not worth an error page
        logger.warning("portal: view of page %s not counted", page_id, exc_info=True)


def pending_views(page_ids: Iterable[int] | None = None) -> dict[int, int]:
    """Views counted and not flushed yet, by article (for tests and the command's report)."""
    location = redis_location()
    if location is not None:
        raw = redis_client(location).hgetall(redis_views_key())
        found = {int(k): int(v) for k, v in raw.items()}
        return found if page_ids is None else {k: found[k] for k in page_ids if k in found}
    ids = list(page_ids) if page_ids is not None else _article_ids()
    values = cache.get_many([_cache_key(pk) for pk in ids])
    return {pk: int(values[_cache_key(pk)]) for pk in ids if values.get(_cache_key(pk))}


@dataclass(frozen=True)
class FlushResult:
    articles: int
    views: int


def portal_flush_views() -> FlushResult:
    """Move the counted views into ``NewsArticlePage.view_count``; none lost, none twice."""
    location = redis_location()
    if location is not None:
        return _flush_redis(redis_client(location))
    return _flush_cache()


def _apply(counts: dict[int, int]) -> int:
    """``view_count = view_count + n`` for each article, in one transaction; the number of
    articles that still exist (a deleted article's views are dropped)."""
    updated = 0
    with transaction.atomic():
        for page_id, views in sorted(counts.items()):
            if views > 0:
                updated += NewsArticlePage.objects.filter(pk=page_id).update(
                    view_count=F("view_count") + views
                )
    return updated


#: KEYS: a flush's hash, the live hash.  Gives a failed flush's views back (atomically).
_MERGE_BACK = """
local counts = redis.call('HGETALL', KEYS[1])
for i = 1, #counts, 2 do
  redis.call('HINCRBY', KEYS[2], counts[i], counts[i + 1])
end
redis.call('DEL', KEYS[1])
return #counts / 2
"""


def _flush_redis(client: Any) -> FlushResult:
    import redis

    live = redis_views_key()
    now = int(time.time())
    claimed: list[str] = []
    # A hash left by a flush that died between its rename and its end (a killed worker):
    # claimed once it is older than any flush can take, by renaming it (one flush wins).
    for leftover in client.scan_iter(match=f"{live}:flushing:*", count=100):
        started = leftover.decode().removeprefix(f"{live}:flushing:").split(":", 1)[0]
        if not started.isdigit() or now - int(started) < STALE_FLUSH_SECONDS:
            continue
        mine = f"{live}:flushing:{now}:{uuid.uuid4().hex}"
        try:
            client.rename(leftover, mine)
        except redis.ResponseError:  # another flush took it first
            continue
        claimed.append(mine)
    mine = f"{live}:flushing:{now}:{uuid.uuid4().hex}"
    try:
        client.rename(live, mine)
        claimed.append(mine)
    except redis.ResponseError:  # no view since the last flush
        pass
    articles = views = 0
    for key in claimed:
        counts = {int(k): int(v) for k, v in client.hgetall(key).items()}
        try:
            articles += _apply(counts)
        except Exception:
            # The database refused: the views go back to the live hash for the next flush.
            client.register_script(_MERGE_BACK)(keys=[key, live])
            raise
        views += sum(counts.values())
        client.delete(key)
    return FlushResult(articles=articles, views=views)


def _article_ids() -> list[int]:
    return list(NewsArticlePage.objects.order_by("pk").values_list("pk", flat=True))


def _flush_cache() -> FlushResult:
    articles = views = 0
    ids = _article_ids()
    for start in range(0, len(ids), FLUSH_BATCH):
        batch = ids[start : start + FLUSH_BATCH]
        found = cache.get_many([_cache_key(pk) for pk in batch])
        taken: dict[int, int] = {}
        for pk in batch:
            count = int(found.get(_cache_key(pk)) or 0)
            if count > 0 and _take(pk, count):
                taken[pk] = count
        try:
            articles += _apply(taken)
        except Exception:
            for pk, count in taken.items():  # put them back for the next flush
                _restore(pk, count)
            raise
        views += sum(taken.values())
    return FlushResult(articles=articles, views=views)


def _take(page_id: int, count: int) -> bool:
    """Take ``count`` views read from an article's key.  A concurrent flush may have taken
    them first: the key would go below zero, so the decrement is undone and this flush
    takes nothing (the views stay for the next one)."""
    key = _cache_key(page_id)
    try:
        left = cache.decr(key, count)
    except ValueError:  # the key expired or was culled meanwhile
        return False
    if left < 0:
        cache.incr(key, count)
        return False
    return True


def _restore(page_id: int, count: int) -> None:
    key = _cache_key(page_id)
    try:
        cache.incr(key, count)
    except ValueError:
        if not cache.add(key, count, timeout=None):
            cache.incr(key, count)


def keep_view_count_on_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    """``pre_save`` of an article: a full save (publishing a revision, whose JSON holds the
    count of the day it was written) keeps the count in the database; only the flush
    changes it."""
    if instance.pk is None or kwargs.get("raw") or kwargs.get("update_fields") is not None:
        return
    current = (
        NewsArticlePage.objects.filter(pk=instance.pk).values_list("view_count", flat=True).first()
    )
    if current is not None:
        instance.view_count = current


pre_save.connect(
    keep_view_count_on_save,
    sender=NewsArticlePage,
    dispatch_uid="egov.portal.counter.keep_view_count",
)
