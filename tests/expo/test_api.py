"""The public read API and its OpenAPI schema."""

import pytest

from tests.factories import EventFactory, ExhibitorFactory, ProductFactory, SessionFactory, SpeakerFactory, TermFactory

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


def test_unpublished_editions_are_not_in_the_api(client):
    EventFactory(slug="hidden", is_published=False)
    assert client.get("/api/v1/events/hidden/").status_code == 404


def test_api_is_read_only_for_anonymous_users(client):
    response = client.post("/api/v1/sessions/", {"title": "x"}, content_type="application/json")
    assert response.status_code in (403, 405)


def test_exhibitors_api_query_count_is_constant(client, django_assert_num_queries):
    event = EventFactory()

    def add(n):
        for _ in range(n):
            exhibitor = ExhibitorFactory(event=event)
            exhibitor.categories.add(TermFactory())
            ProductFactory(exhibitor=exhibitor)

    add(2)
    # count, page with organization and state, categories, certifications, products
    with django_assert_num_queries(5):
        assert client.get("/api/v1/exhibitors/").status_code == 200
    add(20)
    with django_assert_num_queries(5):
        response = client.get("/api/v1/exhibitors/")
    assert response.json()["count"] == 22


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


def test_openapi_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/v1/exhibitors/" in schema.json()["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn." not in docs and "unpkg" not in docs and "jsdelivr" not in docs


def test_bad_filters_and_missing_objects_answer_in_json_in_the_reader_language(client):
    EventFactory(slug="me-2031")
    response = client.get("/api/v1/sessions/", {"day": "not-a-date"})
    assert response.status_code == 400 and "day" in response.json()
    missing = client.get("/api/v1/events/nope/")
    assert missing.status_code == 404 and missing.json() == {"detail": "No encontrado."}
    english = client.get("/api/v1/events/nope/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Not found."}
