"""The B2B profile page: who gets one, what it saves, and how it says what is wrong."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from expo.events.models import Term
from expo.lib.formatting import day_label
from networking.models import Profile, Slot
from networking.services import profile_update
from tests.factories import AttendeeFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


def test_a_visitor_without_a_b2b_pass_is_told_it_is_not_included(client, edition):
    visitor = AttendeeFactory(event=edition.event)
    signin(client, visitor)
    response = client.get(reverse("networking:profile"))
    assert response.status_code == 403
    assert "Tu pase no las incluye" in response.content.decode()
    assert not Profile.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, edition):
    response = client.get(reverse("networking:profile"))
    assert response.status_code == 302 and response.url.startswith(reverse("registration:signin"))


def test_first_visit_starts_from_the_registration_and_only_saving_creates_the_profile(client, edition):
    attendee = ParticipantFactory(event=edition.event).attendee
    Profile.objects.filter(attendee=attendee).delete()
    attendee.organization_kind = "supplier"
    attendee.save()
    imaging = Term.objects.get(vocabulary="device_category", slug="imaging")
    attendee.interests.add(imaging)
    signin(client, attendee)
    assert client.get(reverse("networking:home")).url == reverse("networking:profile")  # asked for a profile first
    response = client.get(reverse("networking:profile"))
    assert response.status_code == 200 and not Profile.objects.exists()  # a GET never writes
    form = response.context["form"]
    assert form.initial["role"] == "supplier" and form.initial["needs"] == [imaging]  # interests carried into needs
    day = day_label(edition.slots[0].start)
    html = response.content.decode()
    assert "10:00–10:20" in html and day in html.lower()  # slots grouped by day ("martes 28 de octubre")
    response = client.post(reverse("networking:profile"), {
        "role": "supplier", "needs": [imaging.pk], "languages": ["es"], "max_meetings": 5,
    })  # fmt: skip
    assert response.status_code == 302
    profile = Profile.objects.get(attendee=attendee)
    assert profile.role == "supplier" and list(profile.needs.all()) == [imaging] and profile.max_meetings == 5


def test_profile_saves_offers_needs_certifications_and_availability(client, edition):
    profile = ParticipantFactory(event=edition.event)
    signin(client, profile.attendee)
    machining = Term.objects.get(slug="precision-machining")
    imaging = Term.objects.get(vocabulary="device_category", slug="imaging")
    iso = Term.objects.get(slug="iso-13485")
    response = client.post(reverse("networking:profile"), {
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
    response = client.post(reverse("networking:profile"), {
        "role": "supplier", "languages": ["en"], "availability": [edition.slots[2].pk], "max_meetings": 0,
    })  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elige al menos una reunión" in html
    assert re.search(rf'value="{edition.slots[2].pk}"[^>]*checked', html)
    profile.refresh_from_db()
    assert profile.max_meetings == 8


def test_slots_outside_opening_hours_cannot_be_chosen(client, edition):
    closed = Slot.objects.create(event=edition.event, start=edition.slots[-1].end,
                                 end=edition.slots[-1].end + timedelta(minutes=20))  # fmt: skip
    profile = ParticipantFactory(event=edition.event)
    signin(client, profile.attendee)
    response = client.post(reverse("networking:profile"), {
        "role": "supplier", "languages": ["es"], "availability": [closed.pk], "max_meetings": 4,
    })  # fmt: skip
    assert response.status_code == 200 and "availability" in response.context["form"].errors
    # The service holds the rule too, for any caller that skips the form.
    with pytest.raises(ValidationError) as error:
        profile_update(profile=profile, role="supplier", offers=[], needs=[], certifications=[], languages=["es"],
                       availability=[closed], max_meetings=4)  # fmt: skip
    assert "availability" in error.value.message_dict
    assert not profile.availability.exists()
