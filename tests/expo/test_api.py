"""The REST API as a whole: editions, the OpenAPI schema and docs, the error shape."""

import pytest

from exhibitors.services import api_token_create
from tests.factories import EventFactory, ExhibitorFactory

pytestmark = pytest.mark.django_db


def test_unpublished_editions_are_not_in_the_api(client):
    EventFactory(slug="hidden", is_published=False)
    assert client.get("/api/v1/events/hidden/").status_code == 404


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


def test_events_api_query_count_is_constant(client, django_assert_num_queries):
    EventFactory.create_batch(2)
    # count, page of editions with their venues
    with django_assert_num_queries(2):
        client.get("/api/v1/events/")
    EventFactory.create_batch(10)
    with django_assert_num_queries(2):
        assert client.get("/api/v1/events/").json()["count"] == 12


@pytest.mark.parametrize(
    "body, language, detail",
    [
        (b'{"badge_code": ', "es-mx", "El cuerpo de la solicitud no es JSON válido (línea 1, columna 16)."),
        (b'{\n  "rating": hot\n}', "en", "The request body is not valid JSON (line 2, column 13)."),
        (b'{"rating": NaN}', "en", "The request body is not valid JSON."),
        (b"\xff\xfe{}", "es-mx", "El cuerpo de la solicitud no es texto UTF-8 válido."),
    ],
)
def test_a_body_that_is_not_json_is_answered_in_the_reader_language_with_where(client, body, language, detail):
    event = EventFactory()
    _, secret = api_token_create(exhibitor=ExhibitorFactory(event=event), name="CRM", scopes=["leads"])
    response = client.post("/api/v1/leads/", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE=language)  # fmt: skip
    assert response.status_code == 400 and response.json() == {"detail": detail}
