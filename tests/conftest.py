"""Shared fixtures and the service policy.

Tests marked `postgres` or `redis` need that service. Where it is missing they skip, except when
CI=true or EXPO_REQUIRE_SERVICES=1, where they fail: CI must never skip a service test.
"""

import os

import pytest
import redis as redis_client
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from expo.celery import app as celery_app

REQUIRE_SERVICES = os.environ.get("CI", "").lower() == "true" or os.environ.get("EXPO_REQUIRE_SERVICES") == "1"


def redis_url() -> str | None:
    return os.environ.get("TEST_REDIS_URL") or settings.REDIS_URL


def _missing(service: str, why: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{service} is required here (CI) but {why}", pytrace=False)
    pytest.skip(f"{service} not available: {why}")


@pytest.fixture(autouse=True)
def _services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL", "DATABASE_URL does not point to PostgreSQL")
    if request.node.get_closest_marker("redis"):
        url = redis_url()
        if not url:
            _missing("Redis", "neither REDIS_URL nor TEST_REDIS_URL is set")
        try:
            redis_client.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis_client.RedisError as exc:
            _missing("Redis", f"{url} does not answer ({exc})")


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process in tests, except where a test starts a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
