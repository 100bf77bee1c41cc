"""The public API of the program: sessions with speakers, seats left and training hours; speakers."""

import pytest

from expo.program import services
from tests.factories import EventFactory, SessionFactory, SpeakerFactory

from .conftest import visitor

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


def test_sessions_api_gives_speakers_seats_left_and_hours(client, program):
    program.workshop.speakers.add(SpeakerFactory(event=program.event, name="Dra. Paz", affiliation="IMSS"))
    services.enrollment_create(attendee=visitor(program), session=program.workshop)
    body = client.get(f"/api/v1/sessions/{program.workshop.pk}/").json()
    assert body["seats_left"] == 1 and body["enrollment_required"] is True and body["training_hours"] == "3.00"
    assert body["speakers"] == [{"id": body["speakers"][0]["id"], "name": "Dra. Paz", "affiliation": "IMSS",
                                 "position": ""}]  # fmt: skip
    assert client.get(f"/api/v1/sessions/{program.talk.pk}/").json()["seats_left"] is None


def test_sessions_api_search_ignores_accents(client, program):
    services.session_search_refresh(session_ids=[program.talk.pk, program.workshop.pk])
    titles = [s["title"] for s in client.get("/api/v1/sessions/", {"search": "regulacion"}).json()["results"]]
    assert titles == ["Regulación COFEPRIS"]


def test_api_is_read_only_for_anonymous_users(client):
    response = client.post("/api/v1/sessions/", {"title": "x"}, content_type="application/json")
    assert response.status_code in (403, 405)
    assert client.post("/api/v1/speakers/", {"name": "x"}, content_type="application/json").status_code in (403, 405)


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


def test_speakers_api_lists_sessions_with_constant_queries(client, django_assert_num_queries):
    event = EventFactory()
    speaker = SpeakerFactory(event=event, name="Ing. Tomás Vega", affiliation="Medtronic", bio="Ingeniero.")
    SessionFactory(event=event, title="Nearshoring").speakers.add(speaker)
    # count, page, sessions
    with django_assert_num_queries(3):
        body = client.get("/api/v1/speakers/").json()
    assert body["results"][0]["affiliation"] == "Medtronic"
    assert body["results"][0]["sessions"][0]["title"] == "Nearshoring"
    for _ in range(10):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    with django_assert_num_queries(3):
        client.get("/api/v1/speakers/")
