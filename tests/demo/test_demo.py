"""The demo edition: its shape, determinism, and that running it twice duplicates nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from exhibitors.models import Exhibitor, Organization
from expo.events.models import Event
from expo.program.models import Session
from expo.registration.models import Attendee
from networking.models import NetworkingSpace, Slot

pytestmark = pytest.mark.django_db


def seed(**options):
    call_command("seed_demo", visitors=options.pop("visitors", 40), stdout=open("/dev/null", "w"), **options)


def test_demo_edition_is_under_way_by_default_and_on_real_dates_when_asked():
    seed()
    event = Event.objects.get(slug="medical-expo-2025")
    today = timezone.localdate()
    assert (event.start_date, event.end_date) == (today - timedelta(days=1), today + timedelta(days=1))
    seed(start=date(2025, 10, 28))  # rebuilt on Medical Expo 2025's own dates
    event = Event.objects.get(slug="medical-expo-2025")
    assert (event.start_date.isoformat(), event.end_date.isoformat()) == ("2025-10-28", "2025-10-30")
    assert event.name == "Medical Expo 2025" and Event.objects.count() == 1


def test_demo_edition_has_the_shape_of_medical_expo_2025():
    seed(start=date(2025, 10, 28))
    event = Event.objects.get(slug="medical-expo-2025")
    assert "World Trade Center" in event.venue.name
    assert event.exhibitors.count() == 350
    assert event.sessions.exclude(kind=Session.Kind.WORKSHOP).count() == 250
    workshops = event.sessions.filter(kind=Session.Kind.WORKSHOP)
    assert workshops.aggregate(total=Sum("training_hours"))["total"] == Decimal("300")
    assert NetworkingSpace.objects.filter(event=event).count() == 3
    slot = Slot.objects.filter(event=event).first()
    assert (slot.end - slot.start).total_seconds() == 20 * 60
    sizes = set(Exhibitor.objects.filter(event=event).values_list("organization__size", flat=True))
    assert sizes == {Organization.Size.SME, Organization.Size.LARGE}
    states = set(Exhibitor.objects.filter(event=event).values_list("organization__state__slug", flat=True))
    assert {
        "baja-california",
        "sonora",
        "chihuahua",
        "jalisco",
        "nuevo-leon",
        "ciudad-de-mexico",
        "estado-de-mexico",
    } <= states
    visitors = Attendee.objects.filter(event=event).exclude(pass_type__slug="expositor")
    assert visitors.count() == 40


def test_running_twice_duplicates_nothing():
    seed()
    counts = (Event.objects.count(), Organization.objects.count(), Session.objects.count(), Attendee.objects.count())
    seed()
    assert (
        Event.objects.count(),
        Organization.objects.count(),
        Session.objects.count(),
        Attendee.objects.count(),
    ) == counts


def test_topping_up_visitors_gives_what_a_full_run_gives():
    seed(visitors=30)
    seed(visitors=60)
    topped_up = list(Attendee.objects.order_by("email").values_list("email", "last_name", "badge_code"))
    seed(visitors=60, reset=True)
    full = list(Attendee.objects.order_by("email").values_list("email", "last_name", "badge_code"))
    assert topped_up == full and len(full) == 60 + 350


def test_same_seed_same_edition_other_seed_other_edition():
    def fingerprint():
        return list(Organization.objects.order_by("name").values_list("name", flat=True))

    seed(seed=7)
    first = fingerprint()
    seed(seed=7, reset=True)
    assert fingerprint() == first
    seed(seed=8, reset=True)
    assert fingerprint() != first


def test_pass_type_counters_match_registrations():
    seed(visitors=80)
    event = Event.objects.get()
    for pass_type in event.pass_types.all():
        assert pass_type.registered_count == pass_type.attendees.count()
