"""Rate limits that hold: the API throttle answers 429 with Retry-After, staff sign-in locks out."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.throttling import AnonRateThrottle

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_public_api_throttle_answers_429_with_retry_after(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)  # the configured 120/minute, made small
    EventFactory()
    for _ in range(3):
        assert client.get("/api/v1/events/").status_code == 200
    response = client.get("/api/v1/events/")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "detail" in response.json()
    # Another address has its own allowance; a forged X-Forwarded-For does not buy a new one.
    assert client.get("/api/v1/events/", REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="1.2.3.4").status_code == 429


def login(client, password, **extra):
    return client.post(reverse("admin:login"), {"username": "org", "password": password, "next": "/admin/"}, **extra)


def test_staff_login_locks_out_after_repeated_failures_even_with_the_right_password(client):
    User.objects.create_superuser("org", password="la-correcta-123")
    for _ in range(5):
        assert login(client, "mala").status_code == 200
    response = login(client, "la-correcta-123")
    assert response.status_code == 200 and "Demasiados intentos fallidos" in response.content.decode()
    # From another address too: the account itself is locked.
    assert login(client, "la-correcta-123", REMOTE_ADDR="10.9.9.9").status_code == 200


def test_a_successful_login_clears_the_count(client):
    User.objects.create_superuser("org", password="la-correcta-123")
    for _ in range(4):
        login(client, "mala")
    assert login(client, "la-correcta-123").status_code == 302
    client.logout()
    for _ in range(4):
        login(client, "mala")
    assert login(client, "la-correcta-123").status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(client):
    for n in range(30):
        client.post(reverse("admin:login"), {"username": f"u{n}", "password": "x"}, REMOTE_ADDR="10.5.5.5")
    User.objects.create_superuser("org", password="la-correcta-123")
    assert login(client, "la-correcta-123", REMOTE_ADDR="10.5.5.5").status_code == 200
    assert login(client, "la-correcta-123", REMOTE_ADDR="10.5.5.6").status_code == 302
