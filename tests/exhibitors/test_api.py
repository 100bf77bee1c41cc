"""The public API of the exhibitor directory."""

import pytest

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
    with django_assert_num_queries(5):
        response = client.get("/api/v1/exhibitors/")
    assert response.json()["count"] == 22
