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


def rate_limit_hit(scope: str, key: str, *, limit: int, window: int) -> RateLimit:
    """Count one hit; allowed while the window has seen at most `limit` hits (this one included)."""
    now = time.time()
    count_key, opened_key = _cache_keys(scope, key)
    try:
        if cache.add(count_key, 0, timeout=window):
            cache.set(opened_key, now, timeout=window)
        count = cache.incr(count_key)
        opened = cache.get(opened_key) or now
    except Exception as exc:  # cache unreachable: fail open, and say so in the log
        logger.warning("Rate limit %s not applied (cache error: %s)", scope, exc)
        return RateLimit(True, 0, 0)
    if count <= limit:
        return RateLimit(True, count, 0)
    return RateLimit(False, count, max(int(opened + window - now), 1))


def rate_limit_peek(scope: str, key: str, *, window: int) -> RateLimit:
    """How many hits `key` has in its open window, and when the window closes; counts nothing."""
    count_key, opened_key = _cache_keys(scope, key)
    try:
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
