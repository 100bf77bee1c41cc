"""Recommendations: ranked people to meet, with reasons in the reader's language."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.events.models import Term
from networking.models import MeetingRequest
from networking.selectors import _scoring_cache, recommendations
from networking.services import profile_update
from tests.factories import OrganizationFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(edition):
    event = edition.event
    machining = Term.objects.get(slug="precision-machining")
    iso = Term.objects.get(slug="iso-13485")
    jalisco = Term.objects.get(vocabulary="state", slug="jalisco")
    oem = OrganizationFactory(kind="manufacturer", size="large", state=jalisco)
    me = ParticipantFactory(event=event, role="manufacturer", organization=oem, attendee__first_name="Yo")
    me.needs.add(machining)
    me.certifications.add(iso)
    supplier = ParticipantFactory(event=event, role="supplier", attendee__first_name="Proveedora",
                                  organization=OrganizationFactory(size="sme", state=jalisco))  # fmt: skip
    supplier.offers.add(machining)
    supplier.organization.certifications.add(iso)
    hospital = ParticipantFactory(event=event, role="hospital", attendee__first_name="Hospital")
    colleague = ParticipantFactory(event=event, role="supplier", organization=oem, attendee__first_name="Colega")
    colleague.offers.add(machining)
    inactive = ParticipantFactory(event=event, role="supplier", is_active=False, attendee__first_name="Inactivo")
    inactive.offers.add(machining)
    return {"me": me, "supplier": supplier, "hospital": hospital, "colleague": colleague, "inactive": inactive}


def test_best_match_comes_first_and_colleagues_self_and_inactive_are_left_out(people):
    found = recommendations(profile=people["me"])
    assert [r.profile for r in found] == [people["supplier"], people["hospital"]]


def test_reasons_read_as_a_sentence_in_spanish(client, people):
    signin(client, people["me"].attendee)
    html = client.get(reverse("networking:home")).content.decode()
    assert "Ofrecen Maquinado de precisión, que tú necesitas" in html
    assert "ambos con certificación ISO 13485" in html
    assert "ambos en Jalisco" in html


def test_reasons_read_as_a_sentence_in_english(client, people):
    client.cookies["expo_language"] = "en"
    signin(client, people["supplier"].attendee)
    html = client.get(reverse("networking:home")).content.decode()
    assert "They need Precision machining, which you offer; both ISO 13485 certified; both in Jalisco" in html


def test_a_declined_pair_is_not_recommended_again(people):
    MeetingRequest.objects.create(event=people["me"].event, sender=people["me"], recipient=people["supplier"],
                                  status="declined")  # fmt: skip
    assert people["supplier"] not in [r.profile for r in recommendations(profile=people["me"])]


def test_recommendations_page_takes_the_same_queries_whatever_the_number_of_participants(client, people):
    signin(client, people["me"].attendee)

    def count(*, cold=True):
        if cold:  # as when the process's copy of the scoring data is older than a minute
            _scoring_cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("networking:home")).status_code == 200
        return len(queries)

    before = count()
    for _ in range(10):
        ParticipantFactory(event=people["me"].event, role="supplier").offers.add(
            Term.objects.get(slug="precision-machining")
        )
    # The session is read from the cache. 1 attendee, 2 profile with its edition,
    # 3-7 scoring data (profiles, offers, needs, certifications, organization certifications),
    # 8 declined pairs, 9 pairs cancelled by a participant, 10 open requests, 11 profiles shown,
    # 12 terms, 13-14 "is the profile empty?" (offers, needs).
    assert count() == before == 14
    # Within the minute the process keeps the edition's scoring data: five queries fewer.
    assert count(cold=False) == 9


def test_a_participant_who_saves_a_profile_is_recommended_at_once(client, people, django_capture_on_commit_callbacks):
    """The scoring data kept by each process is read again when a profile changes through the services."""
    me = people["me"]
    signin(client, me.attendee)
    assert client.get(reverse("networking:home")).status_code == 200  # the edition's scoring data is kept now
    newcomer = ParticipantFactory(event=me.event, role="supplier", attendee__last_name="Zárate")
    assert newcomer not in [r.profile for r in recommendations(profile=me)]  # not saved through the services
    with django_capture_on_commit_callbacks(execute=True):
        profile_update(
            profile=newcomer, role="supplier", offers=[Term.objects.get(slug="precision-machining")], needs=[],
            certifications=[], languages=["es"], availability=[], max_meetings=8,
        )  # fmt: skip
    assert "Zárate" in client.get(reverse("networking:home")).content.decode()
