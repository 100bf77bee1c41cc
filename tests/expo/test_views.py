"""The project's own pages: home, language switch, health check."""

import pytest
import redis as redis_client
from django.test import override_settings
from django.urls import reverse

from tests.conftest import redis_url
from tests.factories import EventFactory, ExhibitorFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_home_shows_the_current_edition_with_its_figures(client):
    event = EventFactory(name="Medical Expo 2031")
    ExhibitorFactory.create_batch(3, event=event)
    SessionFactory.create_batch(2, event=event)
    SessionFactory(event=event, kind="workshop", training_hours=3)
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Medical Expo 2031" in html
    assert response.context["figures"]["exhibitors"] == 3
    assert response.context["figures"]["presentations"] == 2
    assert response.context["figures"]["training_hours"] == 3
    assert reverse("program:list") in html and reverse("exhibitors:directory") in html


def test_home_without_an_edition_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no se ha anunciado" in response.content.decode()


def test_home_is_in_spanish_by_default_and_switches_to_english(client):
    EventFactory()
    assert "Expositores" in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Exhibitors" in html and "Expositores" not in html


def test_healthz_reports_database_and_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "in-process")


def test_readiness_is_degraded_not_failing_when_the_broker_does_not_answer(client):
    """With Redis down the site still serves pages: a load balancer must not drop every web node."""
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = client.get("/healthz/ready")
        assert client.get("/").status_code == 200
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["broker"].startswith("error")


@pytest.mark.redis
def test_readiness_probes_reuse_one_redis_connection(client):
    """A load balancer probes every few seconds from several places: each probe used to open (and drop)
    a new connection to Redis."""
    server = redis_client.Redis.from_url(redis_url())
    client.get("/healthz/ready")
    before = server.info("stats")["total_connections_received"]
    with override_settings(REDIS_URL=redis_url()):
        for _ in range(20):
            assert client.get("/healthz/ready").json()["broker"] == "ok"
    # 1 at most for the probes (the URL may differ from the app's), 1 for this INFO
    assert server.info("stats")["total_connections_received"] - before <= 2


def test_readiness_fails_when_the_database_does_not_answer(client, monkeypatch):
    from expo import health

    monkeypatch.setattr(health, "database_status", lambda: "error: OperationalError")
    response = client.get("/healthz/ready")
    assert response.status_code == 503 and response.json()["status"] == "error"
    assert client.get("/healthz/live").status_code == 200  # the process itself is alive


@pytest.mark.parametrize("path", ["/healthz", "/healthz/live", "/healthz/ready"])
def test_probes_answer_over_http_on_any_host_behind_secure(client, settings, path):
    """SECURE=1 redirects to HTTPS and ALLOWED_HOSTS names the public host only; probes still answer."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["expo.example.mx"]
    response = client.get(path, HTTP_HOST="172.18.0.5:8000")
    assert response.status_code == 200 and response.json()["status"] in ("ok", "degraded")
    assert response["Cache-Control"] == "no-store"
    assert client.get("/", HTTP_HOST="172.18.0.5:8000").status_code == 400  # the rest is still protected
    assert client.get("/", HTTP_HOST="expo.example.mx").status_code == 301
