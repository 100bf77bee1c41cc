"""The project's Redis cache backend against a real Redis (expo/lib/redis_cache.py)."""

import pytest

from expo.lib.redis_cache import RedisCache
from tests.conftest import redis_url

pytestmark = pytest.mark.redis


@pytest.fixture
def cache():
    backend = RedisCache(redis_url(), {"KEY_PREFIX": "test-redis-cache"})
    backend.delete_many(["counter", "absent"])
    yield backend
    backend.delete_many(["counter", "absent"])


def test_incr_counts_up_an_existing_counter_and_keeps_its_expiry(cache):
    cache.set("counter", 41, 60)
    assert cache.incr("counter") == 42 and cache.incr("counter", 8) == 50
    assert cache.get("counter") == 50
    client = cache._cache.get_client()
    assert 0 < client.ttl(cache.make_key("counter")) <= 60  # still expires: the door counter is re-read


def test_incr_of_a_missing_key_is_an_error_and_creates_nothing(cache):
    # As Django's: the caller reads the true value from the database instead (a counter created here
    # would have no expiry and start from 1).
    with pytest.raises(ValueError):
        cache.incr("absent")
    assert cache.get("absent") is None
