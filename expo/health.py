"""Health probes for the load balancer and docker-compose: liveness and readiness, apart.

- `/healthz/live`: the process answers (no database, no broker). A failing liveness probe means
  "restart this process".
- `/healthz/ready` (and `/healthz`): the database answers, so the node can serve pages; 503 when it
  does not. The broker (Redis) is reported but never fails readiness: with Redis down the site still
  serves pages and the email outbox keeps what it cannot send, so dropping every web node from the
  load balancer would turn a degraded site into an outage. It reads `"status": "degraded"`.

`HealthProbeMiddleware` answers these paths first in the middleware stack, before the HTTPS
redirect (SECURE=1) and the ALLOWED_HOSTS check, because probes come over plain HTTP from inside the
network and name the container's address, not the public host.
"""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

LIVE_PATH = "/healthz/live"
READY_PATHS = ("/healthz", "/healthz/ready")


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the message tells which
        return f"error: {exc.__class__.__name__}"
    return "ok"


_redis_clients: dict[str, redis.Redis] = {}


def broker_status() -> str:
    """`ok` when Redis answers, `in-process` when tasks run without a broker, else the error. The
    client (and its connection pool) is made once per process: a probe every few seconds from each
    load balancer must not open a new connection each time."""
    if not settings.REDIS_URL:
        return "in-process"
    try:
        client = _redis_clients.get(settings.REDIS_URL)
        if client is None:
            client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
            _redis_clients[settings.REDIS_URL] = client
        client.ping()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


def readiness() -> tuple[dict, int]:
    checks = {"database": database_status(), "broker": broker_status()}
    if checks["database"] != "ok":
        return {"status": "error", **checks}, 503
    status = "ok" if checks["broker"] in ("ok", "in-process") else "degraded"
    return {"status": status, **checks}, 200


def _probe_response(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


class HealthProbeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return _probe_response({"status": "ok"}, 200)
            if request.path in READY_PATHS:
                return _probe_response(*readiness())
        return self.get_response(request)
