"""Health of the services the platform depends on, for /healthz and the load balancer."""

import redis
from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message tells which
        return f"error: {exc.__class__.__name__}"
    return "ok"


def broker_status() -> str:
    """`ok` when Redis answers, `in-process` when tasks run without a broker, else the error."""
    if not settings.REDIS_URL:
        return "in-process"
    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"
