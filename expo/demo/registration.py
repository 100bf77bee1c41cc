"""Demo builder of registration: five pass types, visitors in bulk (each from its own generator, so a
later run with more visitors adds exactly those a full run would make) and one staff member per exhibitor."""

from django.utils import timezone

from expo.events.models import Event, OrganizationKind, Term
from expo.registration.models import Attendee, PassType

from .common import CLUSTER_STATES, DEMO_EMAIL_DOMAIN, FIRST_NAMES, JOB_TITLES, LAST_NAMES, rng_for


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


def visitors_top_up(*, event: Event, seed: int, target: int, log) -> int:
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
    now = timezone.now()
    batch_size = 2000
    added = 0
    for batch_start in range(existing, target, batch_size):
        attendees, interests = [], []
        for i in range(batch_start, min(batch_start + batch_size, target)):
            rng = rng_for(seed, "visitor", i)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            kind = rng.choices([k for k, _ in kind_weights], weights=[w for _, w in kind_weights])[0]
            pass_slug = rng.choices([p for p, _ in passes], weights=[w for _, w in passes])[0]
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
                    privacy_accepted_at=now,
                    share_with_exhibitors=rng.random() < 0.7,
                    badge_code=f"D{rng.getrandbits(96):024x}",
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


def exhibitor_staff_create(*, event: Event, seed: int) -> bool:
    """Once per edition: one staff member per exhibitor, registered with the exhibitor pass."""
    staff_pass = event.pass_types.get(slug="expositor")
    if event.attendees.filter(pass_type=staff_pass).exists():
        return False
    exhibitors = list(event.exhibitors.select_related("organization", "organization__state").order_by("pk"))
    now = timezone.now()
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
                privacy_accepted_at=now,
                share_with_exhibitors=True,
                badge_code=f"S{rng.getrandbits(96):024x}",
            )
        )
    Attendee.objects.bulk_create(attendees)
    staff_pass.registered_count = len(attendees)
    staff_pass.save(update_fields=["registered_count"])
    return True
