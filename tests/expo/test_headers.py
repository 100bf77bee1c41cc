"""Security headers: CSP on pages, HSTS of a year behind SECURE=1, the badge preview framed by the
site only, visitor sessions shorter than staff ones."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import login_verified
from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_pages_carry_a_self_only_policy(client):
    EventFactory()
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY" and "camera=(self)" in response["Permissions-Policy"]
    docs = client.get("/api/docs/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs and "script-src 'self';" in docs


def test_desk_badge_preview_can_be_framed_by_the_site_only(client):
    event = EventFactory()
    attendee = AttendeeFactory(event=event, pass_type=PassTypeFactory(event=event))
    login_verified(client, User.objects.create_superuser("mostrador", password="x"))
    pdf = client.get(reverse("registration:badge", args=[attendee.pk]))
    assert pdf["X-Frame-Options"] == "SAMEORIGIN" and pdf["Content-Security-Policy"] == "frame-ancestors 'self'"
    page = client.get(reverse("registration:walkin-done", args=[attendee.pk]))
    assert page["X-Frame-Options"] == "DENY"


def test_hsts_is_a_year_behind_secure():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "x" * 50, "SECURE": "1", "DJANGO_SETTINGS_MODULE": "expo.settings"}
    out = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)  # fmt: skip
    assert out.stdout.split() == [str(365 * 24 * 3600), "True"], out.stderr


def test_visitor_sessions_are_shorter_than_staff_sessions(client, django_capture_on_commit_callbacks):
    from django.core import mail

    event = EventFactory()
    PassTypeFactory(event=event)
    attendee = AttendeeFactory(event=event)
    from expo.registration.services import signin_link_send

    with django_capture_on_commit_callbacks(execute=True):
        signin_link_send(attendee=attendee)
    link = next(word for word in mail.outbox[-1].body.split() if "/acceso/" in word)
    client.post(link)
    assert client.session.get_expiry_age() == settings.VISITOR_SESSION_SECONDS == 24 * 3600
    assert settings.SESSION_COOKIE_AGE == 72 * 3600
