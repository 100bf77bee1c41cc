"""Rendered page content kept in the cache for the pages everybody reads the same (the program for
visitors who are not signed in, the exhibitor directory and pages, the home page's figures).

What is cached is the content under the header, never a whole page: the header holds the language
form and its CSRF token, which belong to each visitor. A cached piece is keyed by what it shows
(edition, query string, language) and by a version of the data it comes from, so an organizer's or an
exhibitor's change is seen at once; the time limit bounds what may drift without a new version
(seats left, "now / next"). A cache that is down only means rendering every time.
"""

import hashlib
import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)


def content_key(name: str, *parts) -> str:
    """A short cache key for a piece of `name` showing `parts` (query strings are hashed)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"page:{name}:{digest}"


def content_cached(key: str, render: Callable[[], str], seconds: int) -> str:
    """The cached piece under `key`, rendered (and kept for `seconds`) when it is not there."""
    try:
        content = cache.get(key)
    except Exception as exc:  # the cache is down: render, as if nothing were cached
        logger.warning("Page cache unavailable: %s", exc)
        return render()
    if content is None:
        content = render()
        try:
            cache.set(key, content, seconds)
        except Exception as exc:
            logger.warning("Page cache unavailable: %s", exc)
    return content


def version_stamp(name: str) -> str:
    """The current version of a set of data (e.g. an edition's exhibitors), as a cache key part."""
    try:
        stamp = cache.get(f"version:{name}")
        if stamp is None:
            stamp = repr(time.time())
            cache.add(f"version:{name}", stamp, None)
            stamp = cache.get(f"version:{name}") or stamp
        return stamp
    except Exception:
        return repr(time.time())  # no cache: a new stamp, so nothing stale is ever read


def version_bump(name: str) -> None:
    """A change to that data: pieces rendered from the old version are no longer read."""
    try:
        cache.set(f"version:{name}", repr(time.time()), None)
    except Exception as exc:
        logger.warning("Page cache version of %s not bumped: %s", name, exc)


def cache_forget(key: str) -> None:
    """Drop `key` from the cache now and again after the current transaction commits (a request
    between the two could otherwise put back what the database is about to change). A cache that is
    down holds nothing that is read either."""

    def forget():
        try:
            cache.delete(key)
        except Exception as exc:
            logger.warning("Cache key %s not forgotten: %s", key, exc)

    forget()
    transaction.on_commit(forget)
