"""The public API of the exhibitor directory."""

import pytest
from django.core.cache import cache

from exhibitors.services import product_create
from tests.factories import EventFactory, ExhibitorFactory, ProductFactory, TermFactory

pytestmark = pytest.mark.django_db


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
    cache.clear()  # the factories bypass the services, which would have made the cached page stale
    with django_assert_num_queries(5):
        response = client.get("/api/v1/exhibitors/")
    assert response.json()["count"] == 22
    with django_assert_num_queries(0):  # the same page again: from the cache, like the directory page
        assert client.get("/api/v1/exhibitors/").json() == response.json()


def test_a_change_through_the_services_shows_at_once_in_the_exhibitors_api(client, django_capture_on_commit_callbacks):
    exhibitor = ExhibitorFactory(organization__name="Ánfora Médica")
    assert client.get("/api/v1/exhibitors/", {"search": "jeringa"}).json()["count"] == 0  # kept in the cache now
    with django_capture_on_commit_callbacks(execute=True):
        product_create(exhibitor=exhibitor, name="Jeringa prellenada")
    found = client.get("/api/v1/exhibitors/", {"search": "jeringa"}).json()
    assert [e["name"] for e in found["results"]] == ["Ánfora Médica"]
    assert client.get("/api/v1/exhibitors/", {"limit": "-1"}).status_code == 400  # errors are answered, not kept
