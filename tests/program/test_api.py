"""The public API of the program."""

import pytest

from tests.factories import EventFactory, SessionFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_sessions_api_filters_by_edition_and_kind(client):
    event = EventFactory(slug="me-2031")
    SessionFactory(event=event, kind="workshop", training_hours=3, title="Taller ISO")
    SessionFactory(event=event, kind="keynote")
    SessionFactory(event=EventFactory())
    response = client.get("/api/v1/sessions/", {"event": "me-2031", "kind": "workshop"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [s["title"] for s in results] == ["Taller ISO"]
    assert results[0]["training_hours"] == "3.00"


def test_api_is_read_only_for_anonymous_users(client):
    response = client.post("/api/v1/sessions/", {"title": "x"}, content_type="application/json")
    assert response.status_code in (403, 405)


def test_sessions_api_query_count_is_constant(client, django_assert_num_queries):
    event = EventFactory()
    for _ in range(2):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    # count, page with room and track, speakers
    with django_assert_num_queries(3):
        client.get("/api/v1/sessions/")
    for _ in range(20):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    with django_assert_num_queries(3):
        client.get("/api/v1/sessions/")
