"""Demo builder of B2B networking: three spaces with their tables and slots, profiles of the B2B pass
holders and exhibitor staff, meeting requests (accepted, pending, declined) and the published
meetings of a fair in progress, with the outcomes of those already over."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from expo.events.models import Event, Term
from expo.registration.models import Attendee
from networking.models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    NetworkingSettings,
    NetworkingSpace,
    Profile,
    Slot,
    Table,
)
from networking.services import ROLE_FROM_ORGANIZATION_KIND

from .common import MEXICO_CITY, local_at, rng_for
from .registration import staff_email


def networking_create(*, event: Event, days: list[date]) -> None:
    slots = Slot.objects.bulk_create(
        [
            Slot(
                event=event,
                start=local_at(day, 10) + timedelta(minutes=20 * i),
                end=local_at(day, 10) + timedelta(minutes=20 * (i + 1)),
            )
            for day in days
            for i in range(24)  # 10:00 to 18:00
        ]
    )
    spaces = NetworkingSpace.objects.bulk_create(
        [
            NetworkingSpace(
                event=event,
                code="A",
                name_es="Espacio B2B A · Manufactura",
                name_en="B2B space A · Manufacturing",
                location="Salón A, mezzanine",
            ),
            NetworkingSpace(
                event=event,
                code="B",
                name_es="Espacio B2B B · Hospitales",
                name_en="B2B space B · Hospitals",
                location="Salón C, nivel 2",
            ),
            NetworkingSpace(
                event=event,
                code="C",
                name_es="Espacio B2B C · Proveedores",
                name_en="B2B space C · Suppliers",
                location="Salón D, nivel 1",
            ),
        ]
    )
    Table.objects.bulk_create(
        [Table(space=space, number=n) for space, count in zip(spaces, (40, 30, 20)) for n in range(1, count + 1)]
    )
    Through = NetworkingSpace.slots.through
    links = []
    for space in spaces:
        for slot in slots:
            # Space C opens at noon: the mornings belong to the supplier-development program.
            if space.code == "C" and timezone.localtime(slot.start, MEXICO_CITY).hour < 12:
                continue
            links.append(Through(networkingspace_id=space.pk, slot_id=slot.pk))
    Through.objects.bulk_create(links)


def staff_profiles_create(*, event: Event) -> None:
    """B2B profiles of the exhibitor staff: their company, offering its capabilities and categories."""
    exhibitors = list(
        event.exhibitors.select_related("organization").prefetch_related("organization__capabilities", "categories")
        .order_by("pk")
    )  # fmt: skip
    staff = {a.email: a for a in Attendee.objects.filter(event=event, pass_type__slug="expositor")}
    pairs = [(staff[staff_email(i)], e) for i, e in enumerate(exhibitors) if staff_email(i) in staff]
    profiles = Profile.objects.bulk_create([
        Profile(event=event, attendee=attendee, organization=exhibitor.organization,
                role=ROLE_FROM_ORGANIZATION_KIND[exhibitor.organization.kind], languages=["es", "en"], max_meetings=12)
        for attendee, exhibitor in pairs
    ])  # fmt: skip
    offers = []
    for profile, (_, exhibitor) in zip(profiles, pairs):
        for term in list(exhibitor.organization.capabilities.all()) + list(exhibitor.categories.all()):
            offers.append(Profile.offers.through(profile_id=profile.pk, term_id=term.pk))
    Profile.offers.through.objects.bulk_create(offers)


def visitor_profiles_create(*, event: Event, seed: int) -> None:
    """B2B profiles of the visitors whose pass includes B2B and who have none yet."""
    terms = list(Term.objects.filter(vocabulary__in=["device_category", "capability"]))
    categories = [t for t in terms if t.vocabulary == "device_category"]
    capabilities = [t for t in terms if t.vocabulary == "capability"]
    attendees = list(
        Attendee.objects.filter(event=event, pass_type__includes_b2b=True, b2b_profile__isnull=True)
        .exclude(pass_type__slug="expositor")
        .order_by("pk")
    )
    entries = []
    for attendee in attendees:
        # The registration builder drew the interests from this generator; profiles continue it.
        rng = rng_for(seed, "visitor-interests", attendee.email)
        rng.sample(categories, k=rng.randint(1, 3))
        entries.append((attendee, rng))
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                event=event,
                attendee=attendee,
                role=ROLE_FROM_ORGANIZATION_KIND[attendee.organization_kind],
                languages=["es"] if rng.random() < 0.6 else ["es", "en"],
                max_meetings=rng.choice([4, 6, 8, 10]),
            )
            for attendee, rng in entries
        ],
        batch_size=2000,
    )
    links_needs, links_offers = [], []
    for profile, (attendee, rng) in zip(profiles, entries):
        wanted = (
            rng.sample(categories, k=2)
            if attendee.organization_kind in ("hospital", "distributor")
            else rng.sample(capabilities, k=2)
        )
        links_needs += [Profile.needs.through(profile_id=profile.pk, term_id=t.pk) for t in wanted]
        if attendee.organization_kind in ("supplier", "manufacturer"):
            links_offers += [
                Profile.offers.through(profile_id=profile.pk, term_id=t.pk) for t in rng.sample(capabilities, k=2)
            ]
    Profile.needs.through.objects.bulk_create(links_needs, batch_size=2000)
    Profile.offers.through.objects.bulk_create(links_offers, batch_size=2000)


def meeting_requests_create(*, event: Event, seed: int, log, now=None) -> None:
    """Once per edition: B2B visitors ask exhibitor staff for meetings (accepted, pending, declined)."""
    NetworkingSettings.objects.get_or_create(event=event)
    if MeetingRequest.objects.filter(event=event).exists():
        return
    wanted = {
        "hospital": {"manufacturer", "distributor"},
        "distributor": {"manufacturer"},
        "manufacturer": {"supplier", "service_provider"},
        "supplier": {"manufacturer"},
    }
    staff = list(
        Profile.objects.filter(event=event, attendee__pass_type__slug="expositor")
        .order_by("pk")
        .values_list("pk", "role")
    )
    visitors = list(
        Profile.objects.filter(event=event)
        .exclude(attendee__pass_type__slug="expositor")
        .order_by("pk")
        .values_list("pk", "role")
    )
    now = now or timezone.now()
    requests = []
    for pk, role in visitors:
        rng = rng_for(seed, "b2b-request", pk)
        targets = [s for s, r in staff if r in wanted.get(role, ())]
        if not targets or rng.random() > 0.35:
            continue
        status = rng.choices(["accepted", "pending", "declined"], weights=[60, 25, 15])[0]
        # Answered requests were sent in the weeks before the fair; pending ones in the last two days.
        sent = now - timedelta(hours=rng.randrange(2, 48) if status == "pending" else rng.randrange(72, 800))
        requests.append(
            MeetingRequest(
                event=event, sender_id=pk, recipient_id=rng.choice(targets), status=status, created_at=sent,
                message="Nos interesa conocer su oferta para nuestro plan de compras.",
                expires_at=sent + timedelta(hours=72),
                responded_at=None if status == "pending" else sent + timedelta(hours=rng.randrange(1, 48)),
            )
        )  # fmt: skip
    MeetingRequest.objects.bulk_create(requests)
    log(f"Added {len(requests)} B2B meeting requests.")


FEEDBACK = [
    "Buena reunión: quedamos en enviar cotización la próxima semana.",
    "Interesante, pero su capacidad no cubre nuestro volumen por ahora.",
    "Acordamos una visita a su planta en Tijuana.",
    "Muy útil: nos presentaron su línea de consumibles con registro COFEPRIS.",
    "Seguimos en contacto para el plan de compras del próximo año.",
]


def meetings_history_create(*, event: Event, seed: int, now, log, per_day: int = 160) -> int:
    """Once per edition: published B2B meetings on every day of the fair, as a fair in progress has
    them. Meetings already over have their table check-ins and outcomes (held with feedback and,
    often, an estimated deal value; or a no-show); today's later ones and tomorrow's are the agenda.

    Pairs come from the accepted requests first, then buyers meeting exhibitor staff; each is placed
    in a slot where both are free and a table of a space open then is free (the rules the database
    holds: one meeting per person per slot, one per table per slot).
    """
    if Meeting.objects.filter(event=event).exists():
        return 0
    slots = list(Slot.objects.filter(event=event).order_by("start").prefetch_related("spaces__tables"))
    tables = {slot.pk: [t.pk for space in slot.spaces.all() for t in space.tables.all()] for slot in slots}
    by_day: dict = {}
    for slot in slots:
        by_day.setdefault(timezone.localdate(slot.start), []).append(slot)
    accepted = list(
        MeetingRequest.objects.filter(event=event, status=MeetingRequest.Status.ACCEPTED)
        .order_by("pk").values_list("pk", "sender_id", "recipient_id")
    )  # fmt: skip
    staff = list(
        Profile.objects.filter(event=event, attendee__pass_type__slug="expositor").values_list("pk", flat=True)
    )
    buyers = list(Profile.objects.filter(event=event).exclude(attendee__pass_type__slug="expositor")
                  .values_list("pk", flat=True))  # fmt: skip
    if not staff or not buyers or not slots:
        return 0
    rng = rng_for(seed, "b2b-meetings")
    candidates = [(request_id, a, b) for request_id, a, b in accepted]
    met = {frozenset((a, b)) for _, a, b in candidates}
    while len(candidates) < per_day * len(by_day) * 2 and len(met) < len(staff) * len(buyers):
        pair = frozenset((rng.choice(buyers), rng.choice(staff)))
        if pair not in met:
            met.add(pair)
            candidates.append((None, *sorted(pair)))
    busy, used = set(), set()
    planned = []  # (slot, table_id, request_id, a, b)
    queue = iter(candidates)
    for day_slots in by_day.values():
        placed = 0
        for request_id, a, b in queue:
            for slot in rng.sample(day_slots, k=len(day_slots)):
                if (a, slot.pk) in busy or (b, slot.pk) in busy:
                    continue
                free = [t for t in tables[slot.pk] if (slot.pk, t) not in used]
                if not free:
                    continue
                table_id = free[0]
                busy |= {(a, slot.pk), (b, slot.pk)}
                used.add((slot.pk, table_id))
                planned.append((slot, table_id, request_id, a, b))
                placed += 1
                break
            if placed >= per_day:
                break
    published_at = min(now, local_at(event.start_date, 8)) - timedelta(days=2)
    meetings = Meeting.objects.bulk_create([
        Meeting(event=event, slot=slot, table_id=table_id, request_id=request_id, status=Meeting.Status.PUBLISHED,
                created_at=published_at, score=0)
        for slot, table_id, request_id, _, _ in planned
    ])  # fmt: skip
    seats = []
    for meeting, (slot, _, _, a, b) in zip(meetings, planned):
        outcome = rng_for(seed, "b2b-outcome", meeting.pk)
        over, started = slot.end <= now, slot.start <= now
        show_a = started and outcome.random() < 0.9
        show_b = started and outcome.random() < 0.88
        held = over and show_a and show_b
        deal = Decimal(outcome.randrange(50, 5000) * 1000) if held and outcome.random() < 0.35 else None
        for profile_id, showed in ((a, show_a), (b, show_b)):
            seat = MeetingSeat(meeting=meeting, profile_id=profile_id, slot=slot)
            if showed:
                seat.checked_in_at = slot.start - timedelta(minutes=outcome.randrange(0, 8))
            if over and showed and outcome.random() < 0.8:  # most answer "did it take place?"
                seat.took_place = held
                seat.feedback = outcome.choice(FEEDBACK) if held else "La otra parte no se presentó."
                seat.deal_value = deal if held and profile_id == a else None
                seat.answered_at = slot.end + timedelta(minutes=outcome.randrange(5, 240))
                if seat.answered_at > now:
                    seat.took_place, seat.feedback, seat.deal_value, seat.answered_at = None, "", None, None
            seats.append(seat)
    MeetingSeat.objects.bulk_create(seats, batch_size=2000)
    held = sum(1 for seat in seats if seat.took_place)
    log(f"Added {len(meetings)} published B2B meetings ({held} answers 'it took place').")
    return len(meetings)
