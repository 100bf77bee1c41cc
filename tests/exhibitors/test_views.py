"""The exhibitor directory page."""

import pytest
from django.urls import reverse

from tests.factories import EventFactory, ExhibitorFactory

pytestmark = pytest.mark.django_db


def test_directory_search_and_constant_queries(client, django_assert_num_queries):
    event = EventFactory()
    ExhibitorFactory(event=event, organization__name="Esterilización Médica del Bajío")
    ExhibitorFactory.create_batch(3, event=event)
    response = client.get(reverse("exhibitors:directory"), {"q": "bajío"})
    assert [e.organization.name for e in response.context["page"]] == ["Esterilización Médica del Bajío"]
    # edition, count, page of exhibitors, categories, certifications, products, category filter options
    with django_assert_num_queries(7):
        client.get(reverse("exhibitors:directory"))
    ExhibitorFactory.create_batch(25, event=event)
    with django_assert_num_queries(7):
        client.get(reverse("exhibitors:directory"))
