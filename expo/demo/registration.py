"""Demo builder of registration: five pass types, visitors in bulk (each from its own generator, so a
later run with more visitors adds exactly those a full run would make) and one staff member per exhibitor."""

from datetime import datetime, timedelta

from django.utils import timezone

from expo.events.models import Event, OrganizationKind, Term
from expo.registration.badges import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH
from expo.registration.models import Attendee, BadgeScan, PassType

from .common import CLUSTER_STATES, DEMO_EMAIL_DOMAIN, FIRST_NAMES, JOB_TITLES, LAST_NAMES, local_at, rng_for


def short_code(rng) -> str:
    """A badge short code as registration makes them (12 characters, no 0/O/1/I)."""
    return "".join(rng.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def pass_types_create(event: Event) -> None:
    PassType.objects.bulk_create(
        [
            PassType(
                event=event,
                slug="visitante",
                position=1,
                name_es="Visitante",
                name_en="Visitor",
                description_es="Acceso a la exposición y a las conferencias.",
                description_en="Access to the exhibition floor and the talks.",
            ),
            PassType(
                event=event,
                slug="profesional",
                position=2,
                capacity=8000,
                includes_training=True,
                name_es="Profesional con capacitación",
                name_en="Professional with training",
                description_es="Incluye los talleres con horas de capacitación certificadas.",
                description_en="Includes the workshops with certified training hours.",
            ),
            PassType(
                event=event,
                slug="b2b-comprador",
                position=3,
                capacity=3000,
                includes_b2b=True,
                name_es="B2B comprador",
                name_en="B2B buyer",
                description_es="Citas de negocio con fabricantes y proveedores.",
                description_en="Business meetings with manufacturers and suppliers.",
            ),
            PassType(
                event=event,
                slug="b2b-vendedor",
                position=4,
                capacity=2000,
                includes_b2b=True,
                name_es="B2B vendedor",
                name_en="B2B seller",
                description_es="Citas de negocio con compradores, hospitales y fabricantes.",
                description_en="Business meetings with buyers, hospitals and manufacturers.",
            ),
            PassType(
                event=event,
                slug="expositor",
                position=5,
                includes_b2b=True,
                is_public=False,
                name_es="Personal de expositor",
                name_en="Exhibitor staff",
            ),
        ]
    )


def visitors_top_up(*, event: Event, seed: int, target: int, log, now: datetime | None = None) -> int:
    """Create demo visitors number `existing..target-1`, in bulk, each from its own generator."""
    existing = event.attendees.filter(email__startswith="visitante", email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count()
    if existing >= target:
        return 0
    pass_types = {p.slug: p for p in event.pass_types.all()}
    terms = list(Term.objects.filter(vocabulary__in=["device_category", "state"]))
    categories = [t for t in terms if t.vocabulary == "device_category"]
    states = {t.slug: t for t in terms if t.vocabulary == "state"}
    state_weights = [(states[s], 10) for s in CLUSTER_STATES] + [(t, 1) for t in states.values()]
    kinds = OrganizationKind
    kind_weights = [
        (kinds.HOSPITAL, 30),
        (kinds.MANUFACTURER, 20),
        (kinds.SUPPLIER, 15),
        (kinds.DISTRIBUTOR, 12),
        (kinds.GOVERNMENT, 5),
        (kinds.ACADEMIA, 10),
        (kinds.OTHER, 8),
    ]
    passes = [("visitante", 70), ("profesional", 18), ("b2b-comprador", 7), ("b2b-vendedor", 5)]
    now = now or timezone.now()
    batch_size = 2000
    added = 0
    for batch_start in range(existing, target, batch_size):
        attendees, interests = [], []
        for i in range(batch_start, min(batch_start + batch_size, target)):
            rng = rng_for(seed, "visitor", i)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            kind = rng.choices([k for k, _ in kind_weights], weights=[w for _, w in kind_weights])[0]
            pass_slug = rng.choices([p for p, _ in passes], weights=[w for _, w in passes])[0]
            created = registered_at(rng=rng_for(seed, "visitor-registered", i), event=event, now=now)
            attendees.append(
                Attendee(
                    event=event,
                    pass_type=pass_types[pass_slug],
                    email=f"visitante{i:05d}@{DEMO_EMAIL_DOMAIN}",
                    first_name=first,
                    last_name=f"{last} {rng.choice(LAST_NAMES)}",
                    organization_name=f"{rng.choice(['Hospital', 'Grupo', 'Clínica', 'Industrias', 'Laboratorios'])} "
                    f"{rng.choice(LAST_NAMES)}",
                    organization_kind=kind,
                    job_title=rng.choice(JOB_TITLES),
                    state=rng.choices([s for s, _ in state_weights], weights=[w for _, w in state_weights])[0],
                    language="en" if rng.random() < 0.08 else "es-mx",
                    privacy_accepted_at=created,
                    created_at=created,
                    registered_at_desk=created >= local_at(event.start_date, 9),
                    share_with_exhibitors=rng.random() < 0.7,
                    badge_code=short_code(rng_for(seed, "visitor-badge", i)),
                )
            )
        attendees = Attendee.objects.bulk_create(attendees)
        for attendee in attendees:
            for term in visitor_interests(seed=seed, email=attendee.email, categories=categories):
                interests.append(Attendee.interests.through(attendee_id=attendee.pk, term_id=term.pk))
        Attendee.interests.through.objects.bulk_create(interests)
        added += len(attendees)
    for slug, pass_type in pass_types.items():
        count = event.attendees.filter(pass_type__slug=slug).exclude(status=Attendee.Status.CANCELLED).count()
        # A demo grown past a pass's capacity (`--visitors 125000`: a fair of IMEX America's size,
        # 15,000 B2B participants) has that capacity raised to what it holds.
        capacity = pass_type.capacity if pass_type.capacity is None else max(pass_type.capacity, count)
        PassType.objects.filter(pk=pass_type.pk).update(registered_count=count, capacity=capacity)
    log(f"Added {added} visitors (now {existing + added}).")
    return added


def visitor_interests(*, seed: int, email: str, categories: list) -> list:
    """The device categories a demo visitor is interested in (the networking builder reuses the generator)."""
    rng = rng_for(seed, "visitor-interests", email)
    return rng.sample(categories, k=rng.randint(1, 3))


def staff_email(index: int) -> str:
    """The email of the staff member of the index-th exhibitor (by primary key)."""
    return f"staff{index:04d}@{DEMO_EMAIL_DOMAIN}"


def exhibitor_staff_create(*, event: Event, seed: int, now: datetime | None = None) -> bool:
    """Once per edition: one staff member per exhibitor, registered with the exhibitor pass."""
    staff_pass = event.pass_types.get(slug="expositor")
    if event.attendees.filter(pass_type=staff_pass).exists():
        return False
    exhibitors = list(event.exhibitors.select_related("organization", "organization__state").order_by("pk"))
    # Exhibitors register their staff two to five weeks before the fair.
    registered = min(now or timezone.now(), local_at(event.start_date, 9) - timedelta(days=14))
    attendees = []
    for index, exhibitor in enumerate(exhibitors):
        rng = rng_for(seed, "staff", index)
        organization = exhibitor.organization
        attendees.append(
            Attendee(
                event=event,
                pass_type=staff_pass,
                email=staff_email(index),
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                organization_name=organization.name,
                organization_kind=organization.kind,
                job_title=rng.choice(JOB_TITLES),
                state=organization.state,
                privacy_accepted_at=registered - timedelta(days=index % 21),
                created_at=registered - timedelta(days=index % 21),
                share_with_exhibitors=True,
                badge_code=short_code(rng_for(seed, "staff-badge", index)),
            )
        )
    Attendee.objects.bulk_create(attendees)
    staff_pass.registered_count = len(attendees)
    staff_pass.save(update_fields=["registered_count"])
    return True


def registered_at(*, rng, event: Event, now: datetime) -> datetime:
    """When a demo visitor registered: over the six weeks before the fair, more of them near it
    (a triangular draw), never after `now`; a few walk-ins at the desk on the fair's first day."""
    opened = local_at(event.start_date, 9)
    earliest = opened - timedelta(days=42)
    latest = min(now, local_at(event.end_date, 18))
    if latest <= earliest:
        return latest
    moment = earliest + (min(latest, opened) - earliest) * rng.triangular(0, 1, 0.9)
    if latest > opened and rng.random() < 0.04:  # registered at the door of a fair already open
        moment = opened + (latest - opened) * rng.random()
    return moment


GATES = ["Puerta Norte", "Puerta Sur", "Acceso Salón A", "Acceso Salón C"]


def checkins_create(*, event: Event, seed: int, now, log) -> int:
    """Once per edition: door check-ins of the fair's days up to `now` (yesterday's whole day,
    today's so far; none for days to come), in bulk. Exhibitor staff come every day."""
    if BadgeScan.objects.filter(event=event).exists():
        return 0
    attendees = list(
        Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED, created_at__lte=now).values_list(
            "pk", "pass_type__slug", "created_at"
        )
    )
    scans = []
    for number, day in enumerate(event.dates):
        opened = local_at(day, 9)
        if opened > now:
            break
        share = (0.62, 0.48, 0.40, 0.35)[min(number, 3)]
        for attendee_id, pass_slug, created in attendees:
            rng = rng_for(seed, "checkin", attendee_id, day.isoformat())
            if rng.random() > (0.95 if pass_slug == "expositor" else share):
                continue
            # Most people arrive in the morning: minutes after 9:00, skewed early.
            at = opened + timedelta(minutes=int(rng.triangular(0, 480, 60)), seconds=rng.randrange(60))
            if at > now or at < created:
                continue
            scans.append(BadgeScan(event=event, attendee_id=attendee_id, day=day, scanned_at=at,
                                   gate=rng.choice(GATES)))  # fmt: skip
    BadgeScan.objects.bulk_create(scans, batch_size=2000)
    log(f"Added {len(scans)} door check-ins.")
    return len(scans)
