"""Limits per client address, counted in the shared cache: one atomic operation a request.

``AddressRateLimit(scope, setting)`` allows ``settings.<setting>`` requests (``"120/min"``:
N per ``s``/``sec``/``min``/``hour``/``day``) per client address and window.  Each client
has a **fixed-window counter**: its first request creates the key with the window's length
as its lifetime, each request increments it, and once it passes N the client is refused
until the key expires (``Retry-After``: the time left).

* With Redis (``CACHE_URL=redis://…``, every production deployment) a small Lua script
  increments, sets the expiry on the first hit and reads the time left, atomically and in
  one round trip, on a client kept per process: exact under any number of web nodes and
  workers, and cheap, since it is on the path of every public lookup.  Django's
  ``RedisCache`` builds a new ``redis.Redis`` object for each call and has no atomic
  "create or increment", so the limiter talks to Redis itself, at the first address of the
  cache's ``LOCATION``.
* With another cache (the database cache of a small single-server install, locmem in
  tests) it uses ``cache.add`` then ``cache.incr``: atomic with locmem; with the database
  cache two requests of the same address at the same instant may count once.

A client may send N requests at the end of one window and N at the start of the next.
The address is the audit log's (``core.middleware.client_ip``: X-Forwarded-For only behind
``EGOV_TRUSTED_PROXY_COUNT`` proxies), so a client cannot reset its counter with a forged
header.

The class is a ninja throttle (``Router(throttle=[…])``) and is used directly by pages
(``allow_request(request)``, then ``wait()`` for the ``Retry-After``).  One instance may
serve concurrent requests: the wait of the last refusal is kept per thread.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from egov.core.middleware import client_ip

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: Prefix of every counter's key.
KEY_PREFIX = "egov:ratelimit"


@dataclass(frozen=True)
class Rate:
    limit: int
    #: The window, in seconds.
    period: int


def parse_rate(value: object) -> Rate:
    """``"120/min"`` → Rate(120, 60).  Raises ImproperlyConfigured for anything else."""
    match = _RATE.match(str(value or ""))
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(
            f"rate {value!r}: expected N/s, N/min, N/hour or N/day with N ≥ 1, e.g. '120/min'"
        )
    return Rate(int(match.group(1)), _PERIODS[match.group(2)[0]])


_redis_lock = threading.Lock()
_redis_clients: dict[str, Any] = {}


def redis_location() -> str | None:
    """The first server of the default cache when it is Django's Redis cache, else None."""
    config = settings.CACHES.get("default", {})
    if config.get("BACKEND") != "django.core.cache.backends.redis.RedisCache":
        return None
    location = config.get("LOCATION")
    if isinstance(location, (list, tuple)):
        first = str(location[0]) if location else ""
    else:
        first = str(location or "").split(",")[0].strip()
    return first or None


def redis_client(location: str) -> Any:
    """One client (and connection pool) per process and address; redis-py's pool is
    thread-safe and starts afresh in a forked worker."""
    client = _redis_clients.get(location)
    if client is None:
        import redis

        with _redis_lock:
            client = _redis_clients.get(location)
            if client is None:
                client = redis.Redis.from_url(location)
                _redis_clients[location] = client
    return client


#: Count one request and start the window with the first: atomic in Redis (a script runs
#: alone), so a key can never be left without its expiry.  Returns [count, ms left].
_HIT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {count, left}
"""
#: The same, and the count of a second key read in the same round trip ([count, ms left,
#: other count]): a public lookup counts its client and reads its code's failures at once.
_HIT_PEEK_SCRIPT = _HIT_SCRIPT.replace(
    "return {count, left}", "return {count, left, tonumber(redis.call('GET', KEYS[2]) or 0)}"
)
_scripts: dict[tuple[str, str], Any] = {}


def _key(scope: str, ident: str) -> str:
    return f"{KEY_PREFIX}:{scope}:{ident}"


def redis_script(location: str, source: str) -> Any:
    """The Lua script ``source`` registered once per process and Redis address (redis-py
    sends its SHA and loads it again only when the server has forgotten it)."""
    script = _scripts.get((location, source))
    if script is None:
        script = _scripts.setdefault(
            (location, source), redis_client(location).register_script(source)
        )
    return script


def _refused(count: int, rate: Rate, left: float) -> float:
    if int(count) <= rate.limit:
        return 0.0
    return max(0.001, min(float(rate.period), left))


def rate_hit_and_count(
    scope: str, ident: str, rate: Rate, other_scope: str, other_ident: str
) -> tuple[float, int]:
    """``rate_hit(scope, ident, rate)`` and ``rate_count(other_scope, other_ident)``, in one
    round trip to Redis."""
    location = redis_location()
    if location is None:
        return rate_hit(scope, ident, rate), rate_count(other_scope, other_ident)
    count, left_ms, other = redis_script(location, _HIT_PEEK_SCRIPT)(
        keys=[_key(scope, ident), _key(other_scope, other_ident)], args=[rate.period * 1000]
    )
    return _refused(int(count), rate, int(left_ms) / 1000), int(other)


def rate_hit(scope: str, ident: str, rate: Rate) -> float:
    """Count one request of ``ident`` under ``scope``: 0.0 when it is allowed, otherwise the
    seconds until its window ends (when the client may try again)."""
    key = _key(scope, ident)
    location = redis_location()
    if location is not None:
        count, left_ms = redis_script(location, _HIT_SCRIPT)(keys=[key], args=[rate.period * 1000])
        left = int(left_ms) / 1000
    else:
        now = time.time()
        if cache.add(key, 0, timeout=rate.period):
            cache.set(f"{key}:start", now, timeout=rate.period)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add and incr: a new one
            cache.set(key, 1, timeout=rate.period)
            cache.set(f"{key}:start", now, timeout=rate.period)
            count = 1
        started = cache.get(f"{key}:start", now)
        left = float(started) + rate.period - now
    return _refused(int(count), rate, left)


def rate_count(scope: str, ident: str) -> int:
    """How many requests ``ident`` has made in its current window (for tests and admins)."""
    key = _key(scope, ident)
    location = redis_location()
    value = redis_client(location).get(key) if location is not None else cache.get(key)
    return int(value or 0)


class AddressRateLimit(BaseThrottle):
    """``settings.<setting>`` requests per client address, under its own ``scope``."""

    def __init__(self, scope: str, setting: str) -> None:
        self.scope = scope
        self.setting = setting
        self._local = threading.local()

    @property
    def rate(self) -> Rate:
        """Read at each request, so that a changed setting (and tests) take effect."""
        return parse_rate(getattr(settings, self.setting))

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request) or "unknown"

    def allow_request(self, request: HttpRequest) -> bool:
        wait = rate_hit(self.scope, str(self.get_ident(request)), self.rate)
        self._local.wait = wait
        return wait == 0.0

    def wait(self) -> float | None:
        """Seconds until the refused client may try again (after ``allow_request``)."""
        wait = getattr(self._local, "wait", 0.0)
        return wait or None

    def count(self, ident: str) -> int:
        return rate_count(self.scope, ident)
