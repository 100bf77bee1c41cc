"""The demo edition: an event shaped like Medical Expo, generated deterministically.

`demo_edition_seed` builds the venue, program, pass types, exhibitors, networking spaces and
visitors with bulk inserts, calling one builder module per app. Every random choice comes from a
generator seeded by (seed, purpose, index), so the same seed gives the same edition, and topping up
visitors later (`--visitors 30000` after a default run) gives exactly the visitors a full run would
have made.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from exhibitors.models import Organization
from expo.events.models import Event, Term, Venue

from . import exhibitors, networking, program, registration

EVENT_SLUG = "medical-expo-2025"


@dataclass
class DemoResult:
    event: Event
    created: bool
    visitors_added: int


def demo_edition_seed(*, seed: int = 2025, visitors: int = 3000, reset: bool = False, log=print) -> DemoResult:
    """Create the demo edition if it does not exist, then make sure it has `visitors` visitors."""
    if reset:
        event = Event.objects.filter(slug=EVENT_SLUG).first()
        if event is not None:
            _event_delete(event)
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    created = event is None
    if created:
        with transaction.atomic():
            event = _edition_create(seed=seed, log=log)
    with transaction.atomic():
        if registration.exhibitor_staff_create(event=event, seed=seed):
            networking.staff_profiles_create(event=event)
        added = registration.visitors_top_up(event=event, seed=seed, target=visitors, log=log)
        networking.visitor_profiles_create(event=event, seed=seed)
    networking.meeting_requests_create(event=event, seed=seed, log=log)
    # The program as visitors used it: agendas, enrollments and waitlists, room scans, certificates.
    program.program_activity_create(event=event, seed=seed)
    # Exhibitor portal content (issue 9): accounts, booth staff, leads, a webhook endpoint.
    with transaction.atomic():
        exhibitors.exhibitor_portal_seed(event=event, seed=seed, log=log)
    return DemoResult(event=event, created=created, visitors_added=added)


def _event_delete(event: Event) -> None:
    """Delete the demo edition and what hangs off it, the organizations it alone used included."""
    from networking.models import Meeting, MeetingRequest, MeetingSeat, Profile

    with transaction.atomic():
        MeetingSeat.objects.filter(meeting__event=event).delete()
        Meeting.objects.filter(event=event).delete()
        MeetingRequest.objects.filter(event=event).delete()
        Profile.objects.filter(event=event).delete()
        event.attendees.all().delete()
        organizations = list(Organization.objects.filter(exhibitions__event=event).values_list("pk", flat=True))
        exhibitors.exhibitor_portal_delete(event=event)
        event.exhibitors.all().delete()
        Organization.objects.filter(pk__in=organizations, exhibitions__isnull=True).delete()
        event.sessions.all().delete()
        event.delete()


def _edition_create(*, seed: int, log) -> Event:
    terms = {(t.vocabulary, t.slug): t for t in Term.objects.all()}
    venue, _ = Venue.objects.get_or_create(
        name="World Trade Center Ciudad de México",
        defaults={"address": "Montecito 38, Nápoles, Benito Juárez, 03810, Ciudad de México",
                  "city": "Ciudad de México", "map_url": "https://www.openstreetmap.org/?mlat=19.3937&mlon=-99.1745"},
    )  # fmt: skip
    event = Event.objects.create(
        name="Medical Expo 2025",
        slug=EVENT_SLUG,
        venue=venue,
        is_published=True,
        start_date=date(2025, 10, 28),
        end_date=date(2025, 10, 30),
        tagline_es="La feria de dispositivos médicos de México: manufactura, hospitales y proveedores.",
        tagline_en="Mexico's medical device fair: manufacturers, hospitals and suppliers.",
    )
    days = event.dates
    registration.pass_types_create(event)
    program.program_create(event=event, venue=venue, days=days, seed=seed)
    exhibitors.exhibitors_create(event=event, terms=terms, seed=seed)
    networking.networking_create(event=event, days=days)
    log(f"Created {event.name}: {event.sessions.count()} sessions, {event.exhibitors.count()} exhibitors.")
    return event
