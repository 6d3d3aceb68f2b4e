"""``core.ratelimit``: the per-address limiter of the public API, the lookup and bookings.

The Redis path runs against the Redis of the machine (``127.0.0.1:6379``, database 13; CI
has it): it is the one every production deployment uses.
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from egov.core import ratelimit
from egov.core.ratelimit import AddressRateLimit, Rate, parse_rate, rate_count, rate_hit

REDIS_URL = "redis://127.0.0.1:6379/13"
REDIS_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
}


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("120/min", Rate(120, 60)),
        ("5/s", Rate(5, 1)),
        ("1000/sec", Rate(1000, 1)),
        (" 20 / hour ", Rate(20, 3600)),
        ("3/day", Rate(3, 86400)),
        ("10/m", Rate(10, 60)),
    ],
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "0/min", "-1/min", "10", "10/week", "ten/min", None])
def test_parse_rate_refuses_anything_else(text):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(text)


def test_limit_per_address_in_the_cache():
    rate = Rate(3, 60)
    scope = f"t{uuid.uuid4().hex}"
    assert [rate_hit(scope, "10.0.0.1", rate) for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = rate_hit(scope, "10.0.0.1", rate)
    assert 0 < wait <= 60
    # Another address, or another scope, has its own counter.
    assert rate_hit(scope, "10.0.0.2", rate) == 0.0
    assert rate_hit(f"{scope}x", "10.0.0.1", rate) == 0.0
    assert rate_count(scope, "10.0.0.1") == 4
    assert rate_count(scope, "10.0.0.2") == 1


def test_a_new_window_starts_when_the_old_one_expires():
    rate = Rate(1, 1)
    scope = f"t{uuid.uuid4().hex}"
    assert rate_hit(scope, "a", rate) == 0.0
    assert 0 < rate_hit(scope, "a", rate) <= 1
    time.sleep(1.1)
    assert rate_hit(scope, "a", rate) == 0.0


@override_settings(EGOV_API_PUBLIC_RATE="2/min", EGOV_TRUSTED_PROXY_COUNT=0)
def test_throttle_counts_the_audit_logs_address_not_a_forged_header():
    limit = AddressRateLimit(f"t{uuid.uuid4().hex}", "EGOV_API_PUBLIC_RATE")
    factory = RequestFactory()
    request = factory.get("/", REMOTE_ADDR="192.0.2.7")
    assert limit.allow_request(request) and limit.wait() is None
    assert limit.allow_request(request)
    assert not limit.allow_request(request)
    assert 0 < limit.wait() <= 60
    forged = factory.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert not limit.allow_request(forged)
    assert limit.allow_request(factory.get("/", REMOTE_ADDR="192.0.2.8"))


@override_settings(EGOV_API_PUBLIC_RATE="2/min")
def test_rate_setting_is_read_at_each_request(settings):
    limit = AddressRateLimit(f"t{uuid.uuid4().hex}", "EGOV_API_PUBLIC_RATE")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.9")
    assert limit.allow_request(request) and limit.allow_request(request)
    assert not limit.allow_request(request)
    settings.EGOV_API_PUBLIC_RATE = "5/min"
    assert limit.allow_request(request)


# --- Redis: what production runs ----------------------------------------------------------


@needs_redis
@override_settings(CACHES=REDIS_CACHES)
def test_redis_counts_exactly_under_concurrency():
    rate = Rate(100, 60)
    scope = f"t{uuid.uuid4().hex}"
    allowed: list[bool] = []
    lock = threading.Lock()

    def hammer() -> None:
        for _ in range(40):
            ok = rate_hit(scope, "203.0.113.5", rate) == 0.0
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 320
    assert allowed.count(True) == 100
    assert rate_count(scope, "203.0.113.5") == 320


@needs_redis
@override_settings(CACHES=REDIS_CACHES)
def test_redis_window_expires_and_reports_the_time_left():
    rate = Rate(2, 60)
    scope = f"t{uuid.uuid4().hex}"
    client = ratelimit.redis_client(REDIS_URL)
    key = f"{ratelimit.KEY_PREFIX}:{scope}:198.51.100.3"
    assert rate_hit(scope, "198.51.100.3", rate) == 0.0
    assert 59_000 < client.pttl(key) <= 60_000
    assert rate_hit(scope, "198.51.100.3", rate) == 0.0
    assert 59 < rate_hit(scope, "198.51.100.3", rate) <= 60
    client.pexpire(key, 1500)
    assert 0 < rate_hit(scope, "198.51.100.3", rate) <= 1.5
    client.delete(key)


@needs_redis
@override_settings(CACHES=REDIS_CACHES)
def test_redis_key_left_without_expiry_gets_one():
    """A counter must never outlive its window (a client would be refused for ever)."""
    rate = Rate(5, 30)
    scope = f"t{uuid.uuid4().hex}"
    client = ratelimit.redis_client(REDIS_URL)
    key = f"{ratelimit.KEY_PREFIX}:{scope}:198.51.100.4"
    client.set(key, 7)  # no expiry, as a crashed older version could have left it
    assert 0 < rate_hit(scope, "198.51.100.4", rate) <= 30
    assert 0 < client.pttl(key) <= 30_000
    client.delete(key)


def _hit_and_count_twice(scope: str, other: str) -> list[tuple[float, int]]:
    rate = Rate(2, 60)
    seen = [ratelimit.rate_hit_and_count(scope, "198.51.100.9", rate, other, "CODE-1")]
    rate_hit(other, "CODE-1", Rate(10, 60))
    rate_hit(other, "CODE-1", Rate(10, 60))
    seen.append(ratelimit.rate_hit_and_count(scope, "198.51.100.9", rate, other, "CODE-1"))
    seen.append(ratelimit.rate_hit_and_count(scope, "198.51.100.9", rate, other, "CODE-1"))
    return seen


def test_hit_and_count_in_the_cache():
    """The lookup counts its client and reads its code's failures: the same answers as
    ``rate_hit`` then ``rate_count``."""
    first, second, third = _hit_and_count_twice("t-hit", "t-other")
    assert first == (0.0, 0)
    assert second == (0.0, 2)
    assert 0 < third[0] <= 60 and third[1] == 2
    assert rate_count("t-other", "CODE-1") == 2  # read, not counted


@needs_redis
@override_settings(CACHES=REDIS_CACHES)
def test_hit_and_count_in_redis_is_one_round_trip():
    scope, other = f"t{uuid.uuid4().hex}", f"t{uuid.uuid4().hex}"
    client = ratelimit.redis_client(REDIS_URL)
    calls: list[str] = []
    real = client.execute_command

    def counting(*args, **kwargs):
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    client.execute_command = counting
    try:
        ratelimit.rate_hit_and_count(scope, "198.51.100.9", Rate(2, 60), other, "CODE-1")
        calls.clear()
        ratelimit.rate_hit_and_count(scope, "198.51.100.9", Rate(2, 60), other, "CODE-1")
        assert calls == ["EVALSHA"]
    finally:
        del client.execute_command
    client.delete(f"{ratelimit.KEY_PREFIX}:{scope}:198.51.100.9")
    first, second, third = _hit_and_count_twice(f"t{uuid.uuid4().hex}", f"t{uuid.uuid4().hex}")
    assert first == (0.0, 0)
    assert second == (0.0, 2)
    assert 0 < third[0] <= 60 and third[1] == 2
