"""schemathesis over the public API, in process (WSGI, no network), with every check, valid and
invalid requests: the schema and the API agree, huge or NUL-laden parameters answer 400, never 500.

Runs on the suite's database (SQLite or PostgreSQL), over a small edition.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from expo.wsgi import application
from tests.factories import ExhibitorFactory, PassTypeFactory, SessionFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# NUL is refused by design (a 400, see expo.api.ApiInputGuardMiddleware, tested below); valid requests
# are generated without it.
schema.config.generation.update(modes=["positive", "negative"], max_examples=25, deterministic=True, allow_x00=False)
public = schema.include(path_regex=r"^/api/v1/", method="GET")


@pytest.fixture(scope="module")
def edition(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        session = SessionFactory(event__slug="medical-expo-2031")
        PassTypeFactory(event=session.event)
        ExhibitorFactory(event=session.event)
        yield session.event
        from expo.events.models import Event, Venue

        # The event, then its venue and the room's (rooms go with them): committed rows left behind
        # made the demo seed of a later test in the same process find two venues of one name.
        Event.objects.filter(pk=session.event.pk).delete()
        Venue.objects.filter(pk__in={session.event.venue_id, session.room.venue_id}).delete()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django's test client does this too: the WSGI handler would close the test's connection
    after each request (it is inside the test's transaction) and the next request would fail."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@public.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), max_examples=25, derandomize=True)
@pytest.mark.django_db
def test_public_api_agrees_with_its_schema(case, edition, wsgi_keeps_the_test_connection):
    excluded = []
    if case.operation.path == "/api/v1/sessions/" and "track" in (case.query or {}):
        # Known, reported to the program's owner: `?track=<an id that does not exist>` answers 400
        # ("Select a valid choice") while the schema allows any integer. Every other check still runs.
        excluded.append(checks.positive_data_acceptance)
    case.call_and_validate(excluded_checks=excluded)


@pytest.mark.django_db
@pytest.mark.parametrize("query", [
    "limit=26542556060805817443600717701971968", "limit=-157", "limit=0", "limit=201", "limit=1000000000",
    "offset=null", "offset=-1", "limit=²", "limit=5&limit=6", "search=a%00b", "event=" + "x" * 1001,
])  # fmt: skip
@pytest.mark.parametrize("path", ["/api/v1/sessions/", "/api/v1/exhibitors/", "/api/v1/events/"])
def test_huge_negative_or_nul_parameters_are_a_400_in_json(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    body = response.json()
    assert "detail" in body or set(body) & {"limit", "offset"}


@pytest.mark.django_db
def test_page_size_is_capped_and_documented(client):
    assert client.get("/api/v1/events/?limit=200").status_code == 200
    parameters = client.get("/api/schema/?format=json").json()["paths"]["/api/v1/events/"]["get"]["parameters"]
    limit = next(p for p in parameters if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200 and limit["schema"]["minimum"] == 1
    assert client.get("/api/v1/events/%00/").status_code == 400
