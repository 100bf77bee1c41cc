"""The big lists stay fast: constant queries per page, no exact COUNT(*) of a huge unfiltered table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.lib import pagination
from expo.registration.models import Attendee, BadgeScan
from tests.conftest import login_verified
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["registration_attendee", "registration_badgescan", "networking_meeting",
                                  "networking_meetingseat", "networking_meetingrequest"])  # fmt: skip
def test_big_lists_run_the_same_queries_for_few_or_many_rows(client, organizer, fair, name):
    login_verified(client, organizer)
    url = reverse(f"admin:{name}_changelist")
    _queries(client, url)  # fills the cache (the edition) as the first request of a process does
    few, few_searched = _queries(client, url), _queries(client, url, q="García")
    people = AttendeeFactory.create_batch(30, event=fair.event, pass_type=fair.event.pass_types.first())
    BadgeScan.objects.bulk_create(BadgeScan(event=fair.event, attendee=a, day=fair.event.start_date) for a in people)
    assert _queries(client, url) == few
    assert _queries(client, url, q="García") == few_searched
    # On PostgreSQL an unfiltered list first reads the planner's estimate (one query) before counting.
    assert few == few_searched + (connection.vendor == "postgresql")


def test_registrations_list_queries_are_pinned(client, organizer, fair):
    login_verified(client, organizer)
    # the user with their permissions (the session is read from the cache), the device that verified
    # the session (django-otp), "is exhibitor staff?", the edition and pass type filters, the count of
    # the search, the page with pass types, the date hierarchy (first/last day, then the days); no
    # COUNT(*) of the whole table next to it.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:registration_attendee_changelist"), {"q": "García"})
    assert len(queries) == 9
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIKE" in counts[0].upper()


@pytest.mark.postgres
def test_an_unfiltered_huge_table_is_counted_from_the_planners_estimate(monkeypatch, fair):
    AttendeeFactory.create_batch(40, event=fair.event, pass_type=fair.event.pass_types.first())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registration_attendee")
    monkeypatch.setattr(pagination, "EXACT_BELOW", 10)
    paginator = pagination.EstimatedCountPaginator(Attendee.objects.order_by("pk"), 20)
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    assert count == Attendee.objects.count() and "reltuples" in queries[0]["sql"]
    filtered = pagination.EstimatedCountPaginator(Attendee.objects.filter(status="confirmed").order_by("pk"), 20)
    assert filtered.count == Attendee.objects.filter(status="confirmed").count()
