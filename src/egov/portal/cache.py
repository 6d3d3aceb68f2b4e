"""Anonymous portal pages served from the shared cache, invalidated on publish (ADR 0017).

``PortalCacheMiddleware`` (right after ``LocaleMiddleware``) answers an anonymous ``GET`` /
``HEAD`` of a Wagtail page from the shared cache: with Redis in one round trip (a Lua
script reads the page, checks its site's generation and counts an article view), with
another shared cache (the database cache of the embedded topology) in two reads.

* **Which requests**: ``EGOV_PORTAL_CACHE_SECONDS`` > 0 and a shared cache (a per-process
  cache, locmem or dummy, cannot be invalidated across processes: the cache is off); no
  session or messages cookie (signed-in people and anyone with a pending message are never
  served nor stored), no ``HX-Request`` or ``Authorization`` header; a path that resolves to
  Wagtail's page view; a query string of allowed parameters only (``?trang=`` 1–9999,
  ``?ban-in=1``, ``?nam=`` a year; tracking parameters such as ``utm_*``, ``fbclid`` or
  ``zarsrc`` may be served from the cache but never stored; anything else passes through
  uncached).
* **The key**: scheme, host, path, allowed parameters, language (``LocaleMiddleware``) and
  text size (the ``egov_text_size`` cookie, normalised), hashed.  The entry holds its
  site, the site's generation when it was rendered, the article id (for the counter), the
  headers and the body.
* **What is stored**: a 200 HTML answer of Wagtail's page view (marked by the
  ``on_serve_page`` hook below, so previews, password forms and other views never are),
  for an anonymous user, with no ``Set-Cookie``, no ``Vary`` (at this layer), no
  ``Cache-Control: private / no-cache / no-store`` and no CSRF token used.
* **Invalidation**: each Wagtail site has a generation, a random token in the shared cache.
  Publishing, unpublishing, moving or deleting a page, changing its privacy, and saving or
  deleting a site or a portal snippet (``INVALIDATING_MODELS``) give every site whose tree
  holds the change a new token once the transaction commits; an entry whose token is not
  its site's current one is stale and is rendered again.  Old entries expire by their TTL.
  A render compares against the token read *before* it started, so a page published
  during a render is never stored as fresh.

Answers carry ``X-Cache: HIT`` or ``MISS`` (for tests and the benchmark).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, get_resolver
from django.utils.cache import patch_vary_headers
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.views import serve as wagtail_serve

from egov.core.ratelimit import redis_client, redis_location, redis_script
from egov.portal import counter
from egov.portal.models import ExternalLink, NewsArticlePage, Spokesperson

logger = logging.getLogger(__name__)

#: Caches that live in one process: a page cached there could not be invalidated from the
#: process (or worker) that publishes, so the page cache is off with them.
PROCESS_LOCAL_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
#: Query parameters that change a portal page, with the values that are cached: a list's
#: page, an article's print view, a year of the directives.  Free text (``?tu-khoa=``) is
#: rendered each time: one entry per word typed would fill the cache.
ALLOWED_QUERY = {
    "trang": re.compile(r"[1-9]\d{0,3}"),
    "ban-in": re.compile(r"1"),
    "nam": re.compile(r"(19|20)\d\d"),
}
#: Parameters added by links shared on Facebook, Zalo, Google...: they change nothing.
TRACKING_QUERY = re.compile(r"utm_[a-z_]+|fbclid|gclid|zarsrc|zalo_[a-z_]+|_ga")
#: Text sizes ``templates/base.html`` applies (anything else renders as the default).
TEXT_SIZE_COOKIE = "egov_text_size"
TEXT_SIZES = frozenset({"sm", "lg", "xl"})
#: Snippets shown on portal pages: saving or deleting one makes every site's pages stale.
INVALIDATING_MODELS: tuple[type[Any], ...] = (Spokesperson, ExternalLink)

_NAMESPACE = "egov:portal:cache"
_UNCACHEABLE_CONTROL = re.compile(r"private|no-store|no-cache", re.IGNORECASE)


# --- which page Wagtail served --------------------------------------------------------------


@dataclass(frozen=True)
class ServedPage:
    page_id: int
    site_id: int | None
    is_article: bool


def _mark_served_page(next_serve: Callable[..., Any]) -> Callable[..., Any]:
    """``on_serve_page``: runs only when Wagtail serves a page normally (after its view
    restrictions and the other ``before_serve_page`` hooks), never for a preview."""

    def serve(page: Any, request: HttpRequest, args: Any, kwargs: Any) -> Any:
        site = getattr(request, "_wagtail_site", None)
        request.egov_portal_page = ServedPage(  # type: ignore[attr-defined]
            page_id=page.pk,
            site_id=site.pk if site is not None else None,
            is_article=isinstance(page, NewsArticlePage),
        )
        return next_serve(page, request, args, kwargs)

    return serve


hooks.register("on_serve_page", _mark_served_page)


# --- the request's key ----------------------------------------------------------------------


def cache_seconds() -> int:
    """The TTL of a cached page; 0 when the page cache is off."""
    seconds = int(getattr(settings, "EGOV_PORTAL_CACHE_SECONDS", 0) or 0)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if seconds <= 0 or backend in PROCESS_LOCAL_CACHES:
        return 0
    return seconds


@dataclass(frozen=True)
class RequestKey:
    key: str
    #: False when the query string holds tracking parameters: a cached page may be served,
    #: but what is rendered for this address is not stored.
    storable: bool


@lru_cache(maxsize=4096)
def _resolves_to_page(urlconf: str | None, path_info: str) -> bool:
    """Whether Wagtail's page view answers this path.  The URLconf does not change while
    the process runs, so the answer is kept (resolving "/" walks every pattern: ~50 µs)."""
    try:
        match = get_resolver(urlconf).resolve(path_info)
    except Resolver404:
        return False
    return bool(match.func is wagtail_serve)


def _is_page_path(request: HttpRequest) -> bool:
    urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
    return _resolves_to_page(str(urlconf), request.path_info)


def request_key(request: HttpRequest) -> RequestKey | None:
    """The cache key of an anonymous request for a portal page, or None when it must not
    be served from the cache nor stored."""
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    meta = request.META
    if "HTTP_HX_REQUEST" in meta or "HTTP_AUTHORIZATION" in meta:
        return None
    storable = True
    params: list[str] = []
    for name, values in request.GET.lists():
        pattern = ALLOWED_QUERY.get(name)
        if pattern is not None:
            if len(values) != 1 or not pattern.fullmatch(values[0]):
                return None
            params.append(f"{name}={values[0]}")
        elif TRACKING_QUERY.fullmatch(name):
            storable = False
        else:
            return None
    try:
        host = request.get_host().lower()
    except DisallowedHost:
        return None
    if not _is_page_path(request):
        return None
    size = cookies.get(TEXT_SIZE_COOKIE, "")
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    material = "|".join(
        (
            request.scheme or "http",
            host,
            request.path,
            "&".join(sorted(params)),
            str(language),
            size if size in TEXT_SIZES else "",
        )
    )
    digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    return RequestKey(key=digest, storable=storable)


# --- the stores -----------------------------------------------------------------------------


@dataclass
class Lookup:
    hit: bool
    headers: str = ""
    body: bytes = b""
    #: On a miss: each site's generation before rendering (a missing one is absent).
    generations: dict[int, str] = field(default_factory=dict)
    #: On a hit with another cache than Redis: the article to count (Redis counts itself).
    count_page: int | None = None


#: KEYS: entry, generations, views.  ARGV: "1" to count an article view.  A hit returns
#: {1, headers, body}; a miss {0, the generations hash (flat)}.
_LOOKUP_SCRIPT = """
local entry = redis.call('HMGET', KEYS[1], 'site', 'gen', 'page', 'headers', 'body')
if entry[1] then
  local current = redis.call('HGET', KEYS[2], entry[1])
  if current and current == entry[2] then
    if ARGV[1] == '1' and entry[3] and entry[3] ~= '' then
      redis.call('HINCRBY', KEYS[3], entry[3], 1)
    end
    return {1, entry[4], entry[5]}
  end
end
return {0, redis.call('HGETALL', KEYS[2])}
"""
#: KEYS: entry, generations.  ARGV: site, generation seen before rendering ('' if none),
#: a fresh token, seconds, article id or '', headers, body.  Stores only if the site's
#: generation is still the one seen (a missing one is created with the fresh token).
_SAVE_SCRIPT = """
local current = redis.call('HGET', KEYS[2], ARGV[1])
if ARGV[2] == '' then
  if current then return 0 end
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  current = ARGV[3]
elseif current ~= ARGV[2] then
  return 0
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'site', ARGV[1], 'gen', current, 'page', ARGV[5],
           'headers', ARGV[6], 'body', ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""


def _prefix() -> str:
    return str(settings.CACHES.get("default", {}).get("KEY_PREFIX", "") or "")


class RedisStore:
    """Entries are hashes; the generations one hash (site id → token)."""

    def __init__(self, location: str) -> None:
        self.location = location
        self.client = redis_client(location)
        prefix = _prefix()
        self.entry_prefix = f"{prefix}{_NAMESPACE}:page:"
        self.generations = f"{prefix}{_NAMESPACE}:generations"

    def lookup(self, request: HttpRequest, key: str, count: bool) -> Lookup:
        found = redis_script(self.location, _LOOKUP_SCRIPT)(
            keys=[self.entry_prefix + key, self.generations, counter.redis_views_key()],
            args=["1" if count else "0"],
        )
        if int(found[0]) == 1:
            return Lookup(hit=True, headers=found[1].decode(), body=bytes(found[2]))
        flat = found[1]
        generations = {int(flat[i]): flat[i + 1].decode() for i in range(0, len(flat), 2)}
        return Lookup(hit=False, generations=generations)

    def save(
        self, key: str, site_id: int, seen: str | None, page: int | None, headers: str, body: bytes
    ) -> bool:
        stored = redis_script(self.location, _SAVE_SCRIPT)(
            keys=[self.entry_prefix + key, self.generations],
            args=[
                str(site_id),
                seen or "",
                uuid.uuid4().hex,
                cache_seconds(),
                "" if page is None else str(page),
                headers,
                body,
            ],
        )
        return bool(int(stored))

    def bump(self, site_ids: Iterable[int]) -> None:
        token = uuid.uuid4().hex
        mapping = {str(pk): token for pk in site_ids}
        if mapping:
            self.client.hset(self.generations, mapping=mapping)

    def generation(self, site_id: int) -> str | None:
        value = self.client.hget(self.generations, str(site_id))
        return None if value is None else str(value.decode())


class CacheStore:
    """Any other shared cache (the database cache): an entry is a tuple, each site's
    generation a key of its own.  Two reads per hit."""

    entry_prefix = f"{_NAMESPACE}:page:"

    @staticmethod
    def _generation_key(site_id: int) -> str:
        return f"{_NAMESPACE}:generation:{site_id}"

    def lookup(self, request: HttpRequest, key: str, count: bool) -> Lookup:
        entry = cache.get(self.entry_prefix + key)
        if entry is not None:
            site_id, generation, page, headers, body = entry
            if cache.get(self._generation_key(site_id)) == generation:
                return Lookup(
                    hit=True, headers=headers, body=body, count_page=page if count else None
                )
        # The site Wagtail will serve the page for (kept on the request: no second query).
        site = Site.find_for_request(request)
        generations: dict[int, str] = {}
        if site is not None:
            current = cache.get(self._generation_key(site.pk))
            if current is not None:
                generations[site.pk] = str(current)
        return Lookup(hit=False, generations=generations)

    def save(
        self, key: str, site_id: int, seen: str | None, page: int | None, headers: str, body: bytes
    ) -> bool:
        if seen is None:
            seen = uuid.uuid4().hex
            if not cache.add(self._generation_key(site_id), seen, timeout=None):
                return False  # another request or a publish got there first
        # Stored with the generation seen before rendering: if a publish came since, the
        # entry is stale from the start and never served.
        cache.set(
            self.entry_prefix + key,
            (site_id, seen, page, headers, body),
            timeout=cache_seconds(),
        )
        return True

    def bump(self, site_ids: Iterable[int]) -> None:
        token = uuid.uuid4().hex
        cache.set_many({self._generation_key(pk): token for pk in site_ids}, timeout=None)

    def generation(self, site_id: int) -> str | None:
        value = cache.get(self._generation_key(site_id))
        return None if value is None else str(value)


def page_store() -> RedisStore | CacheStore:
    location = redis_location()
    return RedisStore(location) if location is not None else CacheStore()


# --- the middleware -------------------------------------------------------------------------


def _storable(request: HttpRequest, response: HttpResponse, served: ServedPage | None) -> bool:
    if served is None or served.site_id is None:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Vary") or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if _UNCACHEABLE_CONTROL.search(response.get("Cache-Control", "")):
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _count(request: HttpRequest, response: HttpResponse) -> None:
    served: ServedPage | None = getattr(request, "egov_portal_page", None)
    if (
        served is not None
        and served.is_article
        and response.status_code == 200
        and counter.is_counted_view(request)
    ):
        counter.portal_view_record(served.page_id)


def _replay(request: HttpRequest, found: Lookup) -> HttpResponse:
    response = HttpResponse(b"" if request.method == "HEAD" else found.body)
    for name, value in json.loads(found.headers):
        response.headers[name] = value
    response.headers["X-Cache"] = "HIT"
    # What the cache stored depends on the cookies (no session): say so to proxies.
    patch_vary_headers(response, ("Cookie",))
    return response


class PortalCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request_key(request) if cache_seconds() else None
        if key is None:
            response = self.get_response(request)
            _count(request, response)
            return response
        counted = counter.is_counted_view(request)
        store = page_store()
        try:
            found = store.lookup(request, key.key, counted)
        except Exception:  # a cache outage serves pages uncached, never an error
            logger.warning("portal cache: lookup failed", exc_info=True)
            response = self.get_response(request)
            _count(request, response)
            return response
        if found.hit:
            if found.count_page is not None:
                counter.portal_view_record(found.count_page)
            return _replay(request, found)
        response = self.get_response(request)
        _count(request, response)
        served: ServedPage | None = getattr(request, "egov_portal_page", None)
        if key.storable and served is not None and _storable(request, response, served):
            assert served.site_id is not None
            headers = json.dumps([(k, v) for k, v in response.items() if k != "X-Cache"])
            try:
                store.save(
                    key.key,
                    served.site_id,
                    found.generations.get(served.site_id),
                    served.page_id if served.is_article else None,
                    headers,
                    response.content,
                )
            except Exception:
                logger.warning("portal cache: store failed", exc_info=True)
        response.headers["X-Cache"] = "MISS"
        return response


# --- invalidation ---------------------------------------------------------------------------


def all_site_ids() -> list[int]:
    return list(Site.objects.order_by("pk").values_list("pk", flat=True))


def sites_holding(paths: Iterable[str]) -> set[int]:
    """The sites whose tree holds a page at one of these tree paths."""
    wanted = [p for p in paths if p]
    sites = Site.objects.select_related("root_page").only("pk", "root_page__path")
    return {s.pk for s in sites for p in wanted if p.startswith(s.root_page.path)}


def portal_cache_invalidate(site_ids: Iterable[int] | None = None) -> None:
    """A new generation for these sites (every site when None): their cached pages are
    rendered again at the next request."""
    ids = all_site_ids() if site_ids is None else sorted(set(site_ids))
    page_store().bump(ids)


def _after_commit(site_ids: Iterable[int] | None) -> None:
    ids = None if site_ids is None else sorted(set(site_ids))
    if ids == []:
        return
    # robust: a cache outage must not undo a publish (the pages expire by their TTL).
    transaction.on_commit(partial(portal_cache_invalidate, ids), robust=True)


def _on_page_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _after_commit(sites_holding([instance.path]))


def _on_page_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    before, after = kwargs.get("parent_page_before"), kwargs.get("parent_page_after")
    paths = [instance.path] + [p.path for p in (before, after) if p is not None]
    _after_commit(sites_holding(paths))


def _on_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        _after_commit(sites_holding([instance.path]))


def _on_restriction_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    _after_commit(None if path is None else sites_holding([path]))


def _on_site_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    # A host may now map to another site: every site, and this one (gone if deleted).
    _after_commit([*all_site_ids(), instance.pk])


def _on_snippet_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _after_commit(None)


page_published.connect(_on_page_changed, dispatch_uid="egov.portal.cache.published")
page_unpublished.connect(_on_page_changed, dispatch_uid="egov.portal.cache.unpublished")
post_page_move.connect(_on_page_moved, dispatch_uid="egov.portal.cache.moved")
post_delete.connect(_on_deleted, dispatch_uid="egov.portal.cache.page_deleted")
for _event, _signal in (("saved", post_save), ("deleted", post_delete)):
    _signal.connect(
        _on_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid=f"egov.portal.cache.restriction_{_event}",
    )
    _signal.connect(_on_site_changed, sender=Site, dispatch_uid=f"egov.portal.cache.site_{_event}")
    for _model in INVALIDATING_MODELS:
        _signal.connect(
            _on_snippet_changed,
            sender=_model,
            dispatch_uid=f"egov.portal.cache.{_model.__name__}_{_event}",
        )
