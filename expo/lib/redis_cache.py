"""Django's Redis cache, with one client object per connection pool instead of one per operation.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache call, and each one
builds its table of ~170 response callbacks: about 0.15 ms a call, two to six calls a request (rate
limits, sessions, page caches). A `redis.Redis` is safe to share between threads (its pool hands out
connections), so each pool gets one, made on first use. Measured with `bench/web/prepare.py profile`.

`incr` is one round trip (a Lua script) where Django's is two (EXISTS, then INCRBY): the door scan
increments the day's check-in counter on every scan.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:  # as Django's _get_connection_pool, for this index
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client

    # Django's incr: EXISTS then INCRBY (a missing key is a ValueError, not a new counter without expiry).
    INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"

    def incr(self, key, delta):
        value = self.get_client(key, write=True).eval(self.INCR_EXISTING, 1, key, delta)
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
