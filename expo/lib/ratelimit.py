"""A small rate limiter on the Django cache (Redis in production, shared by every web process).

`rate_limit_hit(scope, key, limit=, window=)` counts one hit of `key` in a window of `window`
seconds that opens at its first hit, and says whether it is still within `limit`, and if not, how
many seconds until the window closes (for Retry-After). A window that opens at the first hit has no
boundary to straddle: `limit` hits in a row are always counted together. Keys are hashed, so
emails and addresses are not stored in the cache in clear. If the cache is down the request is
let through: a Redis outage must not lock people out.

`client_ip(request)` is the visitor's address: REMOTE_ADDR, or, behind PROXY_COUNT reverse
proxies, the address the outermost trusted proxy saw (X-Forwarded-For is only trusted that far).
"""

import hashlib
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def _cache_keys(scope: str, key: str) -> tuple[str, str]:
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:n", f"rl:{scope}:{digest}:t"


def _redis():
    """The Redis client under the Django cache, when the cache is Redis (None for the in-memory cache
    of development: the portable path below is used there)."""
    backend = getattr(cache, "_cache", None)
    return backend.get_client(write=True) if hasattr(backend, "get_client") else None


def rate_limit_hit(scope: str, key: str, *, limit: int, window: int) -> RateLimit:
    """Count one hit; allowed while the window has seen at most `limit` hits (this one included)."""
    return rate_limits_hit([(scope, key, limit, window)])[0]


def rate_limits_hit(hits: list[tuple[str, str, int, int]]) -> list[RateLimit]:
    """Count one hit for each (scope, key, limit, window). On Redis, all of them in one round trip:
    per counter, SET 0 with the window as expiry only if absent (the window opens at the first hit),
    INCR, TTL (what is left of the window)."""
    try:
        client = _redis()
        if client is None:
            return [_hit_portable(*hit) for hit in hits]
        pipe = client.pipeline(transaction=False)
        for scope, key, _limit, window in hits:
            count_key = cache.make_and_validate_key(_cache_keys(scope, key)[0])
            pipe.set(count_key, 0, ex=window, nx=True)
            pipe.incr(count_key)
            pipe.ttl(count_key)
        replies = pipe.execute()
    except Exception as exc:  # cache unreachable: fail open, and say so in the log
        logger.warning("Rate limits %s not applied (cache error: %s)", ", ".join(h[0] for h in hits), exc)
        return [RateLimit(True, 0, 0) for _ in hits]
    out = []
    for (_scope, _key, limit, window), at in zip(hits, range(0, len(replies), 3), strict=True):
        count, ttl = int(replies[at + 1]), replies[at + 2]
        allowed = count <= limit
        out.append(RateLimit(allowed, count, 0 if allowed else max(int(ttl) if ttl and ttl > 0 else window, 1)))
    return out


def _hit_portable(scope: str, key: str, limit: int, window: int) -> RateLimit:
    now = time.time()
    count_key, opened_key = _cache_keys(scope, key)
    if cache.add(count_key, 0, timeout=window):
        cache.set(opened_key, now, timeout=window)
    count = cache.incr(count_key)
    opened = cache.get(opened_key) or now
    if count <= limit:
        return RateLimit(True, count, 0)
    return RateLimit(False, count, max(int(opened + window - now), 1))


def rate_limit_peek(scope: str, key: str, *, window: int) -> RateLimit:
    """How many hits `key` has in its open window, and when the window closes; counts nothing."""
    count_key, opened_key = _cache_keys(scope, key)
    try:
        client = _redis()
        if client is not None:
            pipe = client.pipeline(transaction=False)
            redis_key = cache.make_and_validate_key(count_key)
            count, ttl = pipe.get(redis_key).ttl(redis_key).execute()
            return RateLimit(True, int(count or 0), max(int(ttl) if ttl and ttl > 0 else window, 1))
        count, opened = cache.get(count_key) or 0, cache.get(opened_key)
    except Exception:
        return RateLimit(True, 0, 0)
    retry_after = max(int((opened or time.time()) + window - time.time()), 1)
    return RateLimit(True, int(count), retry_after)


def rate_limit_reset(scope: str, key: str) -> None:
    try:
        cache.delete_many(_cache_keys(scope, key))
    except Exception:  # noqa: S110 -- nothing to reset when the cache is down
        pass


def client_ip(request) -> str:
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
