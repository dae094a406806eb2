"""The rate limits' daily key: random, shared by every server, and gone when its day ends."""

import hashlib
import hmac
import os
import uuid
from datetime import date, timedelta

import pytest
from limits.storage import MemoryStorage, RedisStorage

from app.web import ratelimit

ADDRESS = "198.51.100.7"
# A database of its own on the shared Redis; keys carry a per-test prefix and are removed.
REDIS_URL = os.environ.get("TEST_REDIS_DAY_KEY_URL", "redis://127.0.0.1:6379/12")


def digest_under_the_secret_key(secret, address):
    """How Kettle used to derive its digests: anyone with SECRET_KEY could redo this."""
    day = ratelimit.today().isoformat()
    key = hmac.new(secret.encode(), f"ratelimit:{day}".encode(), hashlib.sha256).digest()
    return hmac.new(key, f"address:{address}".encode(), hashlib.sha256).hexdigest()[:32]


@pytest.mark.settings(RATELIMIT_ENABLED=True)
def test_holding_the_secret_key_does_not_turn_digests_back_into_addresses(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
        stored = ratelimit.client_key()
    assert stored != digest_under_the_secret_key(app.config["SECRET_KEY"], ADDRESS)
    assert ADDRESS not in stored


@pytest.mark.settings(RATELIMIT_ENABLED=True)
def test_the_same_person_gets_the_same_digest_all_day(app):
    with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
        first = ratelimit.client_key()
    with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
        assert ratelimit.client_key() == first


def test_a_new_day_brings_a_new_key_and_forgets_the_old_one_in_memory():
    storage = MemoryStorage()
    monday, tuesday = date(2026, 11, 30), date(2026, 12, 1)
    first = ratelimit.day_key(storage, monday)
    assert ratelimit.day_key(storage, monday) == first
    assert ratelimit.day_key(storage, tuesday) != first
    assert first not in {key for _, key in ratelimit._seen.values()}


@pytest.fixture
def shared_redis():
    """Two servers' limiter storages pointing at one Redis, under a prefix of their own."""
    redis = pytest.importorskip("redis").Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except Exception:
        redis.close()
        if os.environ.get("KETTLE_REQUIRE_SERVICES") == "1":
            raise
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    prefix = f"kettle-test-{uuid.uuid4().hex}"
    yield redis, prefix, [RedisStorage(REDIS_URL, key_prefix=prefix) for _ in range(2)]
    for name in redis.scan_iter(f"{prefix}:*"):
        redis.delete(name)
    redis.close()


def test_servers_sharing_the_limits_agree_on_the_day_key(shared_redis):
    redis, prefix, (one, other) = shared_redis
    day = ratelimit.today()
    assert ratelimit.day_key(one, day) == ratelimit.day_key(other, day)
    assert redis.ttl(f"{prefix}:kettle:day-key:{day.isoformat()}") <= 24 * 3600 + 300


def test_yesterdays_key_is_deleted_when_today_begins(shared_redis):
    redis, prefix, (one, other) = shared_redis
    yesterday = ratelimit.today() - timedelta(days=1)
    old = ratelimit.day_key(one, yesterday)
    assert redis.get(f"{prefix}:kettle:day-key:{yesterday.isoformat()}") is not None
    new = ratelimit.day_key(other, ratelimit.today())
    assert new != old
    assert redis.exists(f"{prefix}:kettle:day-key:{yesterday.isoformat()}") == 0
