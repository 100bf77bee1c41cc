"""Sessions read from the cache and kept in the database (expo/lib/sessions.py)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.lib.sessions import SessionStore
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# A Redis nobody listens on: every cache call fails, as when the cache server is down.
CACHE_DOWN = {"default": {"BACKEND": "expo.lib.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


@pytest.fixture
def door(client):
    EventFactory()
    user = User.objects.create_user("puerta", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_badgescan"))
    client.force_login(user)
    return client


def test_a_signed_in_request_reads_its_session_from_the_cache_not_the_database(door):
    with CaptureQueriesContext(connection) as queries:
        assert door.get(reverse("registration:checkin")).status_code == 200
    assert not any("django_session" in q["sql"] for q in queries)
    # The database keeps it: a Redis restart (nothing on disk there) signs nobody out.
    cache.clear()
    assert door.get(reverse("registration:checkin")).status_code == 200


def test_signing_out_removes_the_session_from_the_cache_and_the_database(door):
    key = door.session.session_key
    door.post(reverse("admin:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert not SessionStore().exists(key) and SessionStore(key).load() == {}


def test_with_the_cache_down_sessions_are_read_and_written_in_the_database(door):
    key = door.session.session_key
    with override_settings(CACHES=CACHE_DOWN):
        assert door.get(reverse("registration:checkin")).status_code == 200  # still signed in, no 500
        store = SessionStore(key)
        store["seen"] = True
        store.save()
        assert SessionStore(key).load()["seen"] is True
        store.delete()
        assert not Session.objects.filter(session_key=key).exists()
