"""The API's throttles, failing open when the cache (Redis) is down, as expo.lib.ratelimit does.

DRF's throttles keep their counts in the Django cache and raise whatever the cache raises: with
Redis unreachable, every API request (the public program and directory, every CRM call) answered
500. Here a cache error lets the request through and says so in the log. Why open and not closed:
an outage of Redis must not become an outage of the API during the fair; what a throttle guards
against (one client taking more than its share) is a smaller harm than refusing everyone, and
the rules that protect data (token scopes, Idempotency-Key, one lead per badge) live in the
database and hold without the cache.
"""

import logging

from rest_framework import throttling

logger = logging.getLogger(__name__)


class FailOpenMixin:
    """A throttle that allows the request when its cache cannot be read or written."""

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception as exc:  # the cache is unreachable (redis.ConnectionError, TimeoutError...)
            logger.warning("API throttle %s not applied (cache error: %s)", self.__class__.__name__, exc)
            return True


class AnonRateThrottle(FailOpenMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FailOpenMixin, throttling.UserRateThrottle):
    pass
