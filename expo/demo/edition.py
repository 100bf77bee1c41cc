"""The demo edition: an event shaped like Medical Expo, generated deterministically.

`demo_edition_seed` builds the venue, program, pass types, exhibitors, networking spaces and
visitors with bulk inserts, calling one builder module per app. Every random choice comes from a
generator seeded by (seed, purpose, index), so the same seed gives the same edition, and topping up
visitors later (`--visitors 30000` after a default run) gives exactly the visitors a full run would
have made.

Its dates follow today: by default the fair opened yesterday and closes tomorrow, so the door, the
desk, B2B table check-in and the dashboard can be tried live. It has the history of a fair in
progress: registrations spread over the six weeks before it, yesterday's check-ins and today's so
far, B2B meetings held yesterday (with outcomes) and today's and tomorrow's agenda. `start=` puts it
on other dates (`seed_demo --start 2025-10-28`: Medical Expo 2025's own); an edition built for other
dates is rebuilt.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from exhibitors.models import Organization
from expo.events.models import Event, Term, Venue

from . import exhibitors, networking, program, registration

EVENT_SLUG = "medical-expo-2025"


@dataclass
class DemoResult:
    event: Event
    created: bool
    visitors_added: int


def demo_edition_seed(
    *, seed: int = 2025, visitors: int = 3000, reset: bool = False, start: date | None = None,
    now: datetime | None = None, log=print,
) -> DemoResult:  # fmt: skip
    """Create the demo edition if it does not exist, then make sure it has `visitors` visitors.

    `start` is its first day (default: yesterday, so that the fair is under way); `now` is the
    moment its history runs up to (default: now).
    """
    now = now or timezone.now()
    start = start or timezone.localdate(now) - timedelta(days=1)
    event = Event.objects.filter(slug=EVENT_SLUG).first()
    if event is not None and (reset or event.start_date != start):
        if not reset:
            log(f"The demo edition was built for {event.start_date}; building it again from {start}.")
        _event_delete(event)
        event = None
    created = event is None
    if created:
        with transaction.atomic():
            event = _edition_create(seed=seed, start=start, log=log)
    with transaction.atomic():
        if registration.exhibitor_staff_create(event=event, seed=seed, now=now):
            networking.staff_profiles_create(event=event)
        added = registration.visitors_top_up(event=event, seed=seed, target=visitors, log=log, now=now)
        networking.visitor_profiles_create(event=event, seed=seed)
    networking.meeting_requests_create(event=event, seed=seed, log=log, now=now)
    with transaction.atomic():
        registration.checkins_create(event=event, seed=seed, now=now, log=log)
        networking.meetings_history_create(event=event, seed=seed, now=now, log=log)
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
        event.badge_scans.all().delete()
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


def _edition_create(*, seed: int, start: date, log) -> Event:
    terms = {(t.vocabulary, t.slug): t for t in Term.objects.all()}
    venue, _ = Venue.objects.get_or_create(
        name="World Trade Center Ciudad de México",
        defaults={"address": "Montecito 38, Nápoles, Benito Juárez, 03810, Ciudad de México",
                  "city": "Ciudad de México", "map_url": "https://www.openstreetmap.org/?mlat=19.3937&mlon=-99.1745"},
    )  # fmt: skip
    event = Event.objects.create(
        name=f"Medical Expo {start.year}",
        slug=EVENT_SLUG,
        venue=venue,
        is_published=True,
        start_date=start,
        end_date=start + timedelta(days=2),
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
