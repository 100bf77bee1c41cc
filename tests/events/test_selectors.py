"""The current edition, read from the cache (expo/events/selectors.py)."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from expo.events.selectors import event_current
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

CACHE_DOWN = {"default": {"BACKEND": "expo.lib.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}


def test_the_current_edition_is_read_once_then_from_the_cache():
    event = EventFactory(name="Medical Expo 2027")
    assert event_current().name == "Medical Expo 2027"
    with CaptureQueriesContext(connection) as queries:
        again = event_current()
    assert again.pk == event.pk and again.venue.name == event.venue.name and len(queries) == 0


def test_each_request_gets_its_own_copy():
    EventFactory()
    first = event_current()
    first.name = "changed by one request"
    assert event_current().name != "changed by one request"


def test_an_organizers_change_to_the_edition_or_its_venue_shows_at_once():
    event = EventFactory(name="Medical Expo 2027")
    event_current()
    event.name = "Medical Expo 2027 · WTC"
    event.save()
    assert event_current().name == "Medical Expo 2027 · WTC"
    event.venue.name = "World Trade Center CDMX"
    event.venue.save()
    assert event_current().venue.name == "World Trade Center CDMX"
    event.is_published = False
    event.save()
    assert event_current() is None


def test_with_the_cache_down_the_edition_comes_from_the_database():
    event = EventFactory()
    with override_settings(CACHES=CACHE_DOWN):
        assert event_current().pk == event.pk
