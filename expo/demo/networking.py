"""Demo builder of B2B networking: three spaces with their tables and slots, profiles of the B2B pass
holders and exhibitor staff, and meeting requests (accepted, pending, declined)."""

from datetime import date, timedelta

from django.utils import timezone

from expo.events.models import Event, Term
from expo.registration.models import Attendee
from networking.models import MeetingRequest, NetworkingSettings, NetworkingSpace, Profile, Slot, Table
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


def meeting_requests_create(*, event: Event, seed: int, log) -> None:
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
    now = timezone.now()
    requests = []
    for pk, role in visitors:
        rng = rng_for(seed, "b2b-request", pk)
        targets = [s for s, r in staff if r in wanted.get(role, ())]
        if not targets or rng.random() > 0.35:
            continue
        status = rng.choices(["accepted", "pending", "declined"], weights=[60, 25, 15])[0]
        requests.append(
            MeetingRequest(
                event=event, sender_id=pk, recipient_id=rng.choice(targets), status=status, created_at=now,
                message="Nos interesa conocer su oferta para nuestro plan de compras 2026.",
                expires_at=now + timedelta(hours=72), responded_at=None if status == "pending" else now,
            )
        )  # fmt: skip
    MeetingRequest.objects.bulk_create(requests)
    log(f"Added {len(requests)} B2B meeting requests.")
