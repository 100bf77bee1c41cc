"""The B2B profile page: who gets one, what it saves, and how it says what is wrong."""

import re

import pytest
from django.urls import reverse

from expo.models import Term
from networking.models import Profile
from tests.factories import AttendeeFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


def test_a_visitor_without_a_b2b_pass_is_told_it_is_not_included(client, edition):
    visitor = AttendeeFactory(event=edition.event)
    signin(client, visitor)
    response = client.get(reverse("b2b-profile"))
    assert response.status_code == 403
    assert "Tu pase no las incluye" in response.content.decode()
    assert not Profile.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, edition):
    response = client.get(reverse("b2b-profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("signin"))


def test_b2b_pass_holder_gets_a_profile_from_the_registration(client, edition):
    attendee = ParticipantFactory(event=edition.event).attendee
    Profile.objects.filter(attendee=attendee).delete()
    attendee.organization_kind = "supplier"
    attendee.save()
    signin(client, attendee)
    response = client.get(reverse("b2b-profile"))
    assert response.status_code == 200
    assert Profile.objects.get(attendee=attendee).role == "supplier"
    html = response.content.decode()
    assert "10:00–10:20" in html and "martes 26 octubre" in html.lower()  # slots grouped by day


def test_profile_saves_offers_needs_certifications_and_availability(client, edition):
    profile = ParticipantFactory(event=edition.event)
    signin(client, profile.attendee)
    machining = Term.objects.get(slug="precision-machining")
    imaging = Term.objects.get(vocabulary="device_category", slug="imaging")
    iso = Term.objects.get(slug="iso-13485")
    response = client.post(reverse("b2b-profile"), {
        "role": "supplier", "offers": [machining.pk], "needs": [imaging.pk], "certifications": [iso.pk],
        "languages": ["es", "en"], "availability": [edition.slots[0].pk, edition.slots[1].pk], "max_meetings": 6,
    })  # fmt: skip
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.role == "supplier" and profile.max_meetings == 6 and profile.languages == ["es", "en"]
    assert list(profile.offers.all()) == [machining] and list(profile.needs.all()) == [imaging]
    assert set(profile.availability.all()) == set(edition.slots[:2])


def test_bad_input_keeps_what_was_chosen_and_explains_in_spanish(client, edition):
    profile = ParticipantFactory(event=edition.event)
    signin(client, profile.attendee)
    response = client.post(reverse("b2b-profile"), {
        "role": "supplier", "languages": ["en"], "availability": [edition.slots[2].pk], "max_meetings": 0,
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elige al menos una reunión" in html
    assert re.search(rf'value="{edition.slots[2].pk}"[^>]*checked', html)
    profile.refresh_from_db()
    assert profile.max_meetings == 8


def test_slots_outside_opening_hours_cannot_be_chosen(client, edition):
    from networking.models import Slot

    closed = Slot.objects.create(event=edition.event, start=edition.slots[-1].end, end=edition.slots[-1].end.replace(
        hour=edition.slots[-1].end.hour + 1))  # fmt: skip
    profile = ParticipantFactory(event=edition.event)
    signin(client, profile.attendee)
    response = client.post(reverse("b2b-profile"), {
        "role": "supplier", "languages": ["es"], "availability": [closed.pk], "max_meetings": 4,
    })  # fmt: skip
    assert response.status_code == 200 and not profile.availability.exists()
