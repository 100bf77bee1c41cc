"""Demo builder of exhibitors: 350 organizations (multinationals, hospitals, universities and SMEs from
the clusters) with RFC, certifications, capabilities, booths placed on the plans of four halls and
products; then (`exhibitor_portal_seed`, once staff and visitors exist) what the exhibitor portal and
API show: portal accounts, booth staff, leads with and without consent, and a webhook endpoint with
its delivery log."""

import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.text import slugify

from exhibitors.models import (
    BoothStaff,
    Exhibitor,
    ExhibitorSettings,
    Hall,
    Lead,
    Organization,
    Product,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from exhibitors.services import exhibitor_search_text_refresh
from expo.events.models import Event, OrganizationKind, Term
from expo.registration.models import Attendee

from .common import CLUSTER_STATES, MULTINATIONALS, local_at, rng_for
from .registration import staff_email

# Four halls of the World Trade Center in a 2 x 2 block, sizes in metres.
HALLS = [
    ("a", "Salón A", "Hall A", 0, 0),
    ("b", "Salón B", "Hall B", 76, 0),
    ("c", "Salón C", "Hall C", 0, 38),
    ("d", "Salón D", "Hall D", 76, 38),
]
HALL_WIDTH, HALL_DEPTH = 72, 34
# Booths stand in pairs of rows back to back, with a 4 m aisle between pairs.
BOOTH_DEPTH, AISLE, MARGIN = 3, 4, 2

SME_CORES = {
    OrganizationKind.SUPPLIER: [
        "Plásticos",
        "Empaques",
        "Maquinados",
        "Moldes",
        "Electrónica",
        "Recubrimientos",
        "Extrusiones",
        "Troqueles",
    ],
    OrganizationKind.SERVICE_PROVIDER: [
        "Esterilización",
        "Metrología",
        "Logística",
        "Laboratorios",
        "Validaciones",
        "Servicios Regulatorios",
    ],
    OrganizationKind.DISTRIBUTOR: ["Distribuidora", "Suministros", "Comercializadora", "Equipos"],
    OrganizationKind.MANUFACTURER: ["Dispositivos", "Instrumental", "Biomédica", "Ortopedia", "Diagnóstica"],
}
SME_QUALIFIERS = ["Médicos", "Industriales", "de Precisión", "Técnicos", "Avanzados", "Integrales", "Especializados"]
SME_PLACES = [
    "del Norte",
    "del Bajío",
    "de Occidente",
    "del Pacífico",
    "Bajacalifornianos",
    "Tapatíos",
    "Regiomontanos",
    "Sonorenses",
    "de Juárez",
    "del Valle",
    "Mexiquenses",
    "del Centro",
]
CAPABILITIES_BY_KIND = {
    OrganizationKind.SUPPLIER: [
        "medical-grade-plastics",
        "injection-molding",
        "sterile-packaging",
        "precision-machining",
        "electronics",
        "contract-manufacturing",
        "assembly",
    ],
    OrganizationKind.SERVICE_PROVIDER: [
        "sterilization",
        "lab-services",
        "cold-chain-logistics",
        "metrology",
        "regulatory-affairs",
        "maintenance",
    ],
    OrganizationKind.DISTRIBUTOR: ["distribution", "cold-chain-logistics", "maintenance"],
    OrganizationKind.MANUFACTURER: ["contract-manufacturing", "assembly", "electronics"],
}
PRODUCT_WORDS = {
    "imaging": ["Ultrasonido portátil", "Tomógrafo", "Sistema de rayos X digital"],
    "minimally-invasive-surgery": ["Trocar desechable", "Torre de laparoscopía", "Grapadora endoscópica"],
    "sensors": ["Sensor de oximetría", "Transductor de presión", "Sensor de temperatura desechable"],
    "patient-monitoring": ["Monitor multiparamétrico", "Telemetría inalámbrica", "Central de monitoreo"],
    "digital-health": ["Plataforma de telemedicina", "Expediente clínico electrónico", "App de seguimiento"],
    "consumables": ["Jeringa de seguridad", "Catéter intravenoso", "Set de infusión"],
    "implants": ["Placa de titanio", "Stent coronario", "Implante dental"],
    "orthopedics": ["Prótesis de rodilla", "Férula", "Tornillo canulado"],
    "cardiovascular": ["Desfibrilador", "Marcapasos", "Catéter de balón"],
    "diagnostics": ["Prueba rápida", "Analizador de química clínica", "Reactivos"],
    "hospital-equipment": ["Cama hospitalaria", "Lámpara quirúrgica", "Carro de paro"],
    "dental": ["Unidad dental", "Escáner intraoral", "Resina"],
    "rehabilitation": ["Silla de ruedas", "Andadera", "Equipo de fisioterapia"],
    "ai-software": ["Detección asistida por IA", "Triage inteligente", "Análisis de imágenes"],
}


def exhibitors_create(*, event: Event, terms: dict, seed: int) -> None:
    rng = rng_for(seed, "exhibitors")
    categories = [t for (v, _), t in terms.items() if v == Term.Vocabulary.DEVICE_CATEGORY]
    certifications = {slug: t for (v, slug), t in terms.items() if v == Term.Vocabulary.CERTIFICATION}
    specs = [(name, OrganizationKind.MANUFACTURER, Organization.Size.LARGE, state) for name, state in MULTINATIONALS]
    names = set()
    hospital_names = [
        "Hospital Ángeles",
        "Médica Sur",
        "Hospital Español",
        "Christus Muguerza",
        "Hospital San José",
        "Star Médica",
        "Hospital Galenia",
        "Hospital Puerta de Hierro",
        "Hospital Zambrano Hellion",
        "Centro Médico ABC",
    ]
    for name in hospital_names:
        specs.append((name, OrganizationKind.HOSPITAL, Organization.Size.LARGE, rng.choice(CLUSTER_STATES)))
        names.add(name)
    specs.append(
        (
            "Universidad de Guadalajara · Ingeniería Biomédica",
            OrganizationKind.ACADEMIA,
            Organization.Size.LARGE,
            "jalisco",
        )
    )
    specs.append(
        (
            "Tecnológico de Monterrey · Centro de Dispositivos Médicos",
            OrganizationKind.ACADEMIA,
            Organization.Size.LARGE,
            "nuevo-leon",
        )
    )
    kinds = list(SME_CORES)
    while len(specs) < 350:
        kind = rng.choices(kinds, weights=[45, 20, 15, 20])[0]
        name = f"{rng.choice(SME_CORES[kind])} {rng.choice(SME_QUALIFIERS)} {rng.choice(SME_PLACES)}"
        if name in names:
            continue
        names.add(name)
        legal = rng.choice(["S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V."])
        state = rng.choice(CLUSTER_STATES + ["queretaro", "guanajuato", "coahuila", "puebla"])
        specs.append((f"{name}, {legal}", kind, Organization.Size.SME, state))

    organizations = []
    for index, (name, kind, size, state) in enumerate(specs):
        letters = "".join(word[0] for word in name.upper().replace(",", "").split() if word[0].isalpha())[:3].ljust(
            3, "X"
        )
        rfc = ""
        if size == Organization.Size.SME:
            letters = letters.translate(str.maketrans("ÁÉÍÓÚÄÖÜ", "AEIOUAOU"))
            rfc = f"{letters}{rng.randint(90, 99):02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{index:03d}"
        slug = name.split(",")[0].lower().replace(" ", "").replace(".", "").replace("&", "")
        organizations.append(
            Organization(
                name=name,
                kind=kind,
                size=size,
                state=terms[("state", state)],
                rfc=rfc,
                website=f"https://{''.join(c for c in slug if c.isascii() and c.isalnum())[:30]}.example.mx",
                description="",
            )
        )
    organizations = Organization.objects.bulk_create(organizations)

    cert_links, cap_links, cat_links, products, exhibitors = [], [], [], [], []
    halls = Hall.objects.bulk_create(
        [Hall(event=event, code=code, name_es=es, name_en=en, position=i, x=x, y=y, width=HALL_WIDTH, depth=HALL_DEPTH)
         for i, (code, es, en, x, y) in enumerate(HALLS)]
    )  # fmt: skip
    cursor = {hall.pk: [MARGIN, 0] for hall in halls}  # next free x, row number
    slugs = set()
    for index, organization in enumerate(organizations):
        held = ["iso-9001"] if rng.random() < 0.6 else []
        if organization.kind in (OrganizationKind.MANUFACTURER, OrganizationKind.SUPPLIER):
            if organization.size == Organization.Size.LARGE or rng.random() < 0.55:
                held.append("iso-13485")
            if organization.size == Organization.Size.LARGE or rng.random() < 0.25:
                held += ["fda-registration", "cofepris"]
            if rng.random() < 0.2:
                held.append("ce-mark")
        if organization.kind == OrganizationKind.SERVICE_PROVIDER and rng.random() < 0.5:
            held.append("iso-11135")
        cert_links += [
            Organization.certifications.through(organization_id=organization.pk, term_id=certifications[slug].pk)
            for slug in held
        ]
        for slug in rng.sample(
            CAPABILITIES_BY_KIND.get(organization.kind, ["distribution"]),
            k=min(2, len(CAPABILITIES_BY_KIND.get(organization.kind, ["distribution"]))),
        ):
            cap_links.append(
                Organization.capabilities.through(
                    organization_id=organization.pk, term_id=terms[("capability", slug)].pk
                )
            )
        hall = halls[index % 4]
        package = (
            Exhibitor.Package.PREMIUM
            if organization.size == Organization.Size.LARGE
            else rng.choice([Exhibitor.Package.BOOTH] * 4 + [Exhibitor.Package.PAVILION])
        )
        width = 6 if package == Exhibitor.Package.PREMIUM else 3
        x, row = cursor[hall.pk]
        if x + width > HALL_WIDTH - MARGIN:
            x, row = MARGIN, row + 1
        y = MARGIN + (row // 2) * (2 * BOOTH_DEPTH + AISLE) + (row % 2) * BOOTH_DEPTH
        cursor[hall.pk] = [x + width, row]
        slug = slugify(organization.name.split(",")[0])[:70]
        while slug in slugs:
            slug += "-2"
        slugs.add(slug)
        exhibitors.append(
            Exhibitor(
                event=event,
                organization=organization,
                slug=slug,
                hall=hall,
                package=package,
                booth=f"{hall.code.upper()}-{100 + index // 4}",
                booth_x=x,
                booth_y=y,
                booth_width=width,
                booth_depth=BOOTH_DEPTH,
            )
        )
    Organization.certifications.through.objects.bulk_create(cert_links)
    Organization.capabilities.through.objects.bulk_create(cap_links)
    exhibitors = Exhibitor.objects.bulk_create(exhibitors)
    for exhibitor in exhibitors:
        chosen = rng.sample(categories, k=rng.randint(1, 3))
        cat_links += [Exhibitor.categories.through(exhibitor_id=exhibitor.pk, term_id=t.pk) for t in chosen]
        for term in chosen[:2]:
            products.append(
                Product(
                    exhibitor=exhibitor,
                    category=term,
                    name=rng.choice(PRODUCT_WORDS.get(term.slug, ["Solución médica"])),
                )
            )
    Exhibitor.categories.through.objects.bulk_create(cat_links)
    Product.objects.bulk_create(products)
    exhibitor_search_text_refresh(exhibitor_ids=[e.pk for e in exhibitors])
    ExhibitorSettings.objects.create(event=event, staff_pass_type=event.pass_types.filter(slug="expositor").first())


# The exhibitor portal ---------------------------------------------------------------------------

PORTAL_GROUP_EXHIBITORS = 40  # exhibitors (by primary key) whose staff get portal accounts
NOTES = [
    "Busca proveedor de {cat} para su hospital; pidió cotización.",
    "Interesado en distribución en el Bajío. Llamar la próxima semana.",
    "Quiere una demostración en sitio.",
    "Compras consolidadas 2026: enviar catálogo.",
    "",
    "",
]


def portal_account_username(index: int) -> str:
    """The portal user of the index-th exhibitor's staff member (their email)."""
    return staff_email(index)


def exhibitor_portal_seed(*, event: Event, seed: int, log=print) -> None:
    """Once per edition: portal accounts and booth staff for the exhibitors, leads for all of them
    (visitors with and without consent to share contact details) and a webhook endpoint of the
    first exhibitor with a delivery log. Passwords are set by `manage.py demo_exhibitor`."""
    if Lead.objects.filter(exhibitor__event=event).exists():
        return
    exhibitors = list(event.exhibitors.select_related("organization").order_by("pk"))
    staff = {a.email: a for a in Attendee.objects.filter(event=event, pass_type__slug="expositor")}
    links = [(e, staff[staff_email(i)]) for i, e in enumerate(exhibitors) if staff_email(i) in staff]
    BoothStaff.objects.bulk_create([BoothStaff(exhibitor=e, attendee=a) for e, a in links], ignore_conflicts=True)

    User = get_user_model()
    wanted = links[:PORTAL_GROUP_EXHIBITORS]
    existing = set(User.objects.filter(username__in=[a.email for _, a in wanted]).values_list("username", flat=True))
    users = []
    for _exhibitor, attendee in wanted:
        if attendee.email in existing:
            continue
        user = User(username=attendee.email, email=attendee.email, first_name=attendee.first_name,
                    last_name=attendee.last_name)  # fmt: skip
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users)
    by_name = {u.username: u for u in User.objects.filter(username__in=[a.email for _, a in wanted])}
    Exhibitor.staff.through.objects.bulk_create(
        [Exhibitor.staff.through(exhibitor_id=e.pk, user_id=by_name[a.email].pk) for e, a in wanted],
        ignore_conflicts=True,
    )

    visitors = list(
        Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED)
        .exclude(pass_type__slug="expositor")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not visitors:
        return
    now = timezone.now()
    moments = [local_at(day, hour, minute) for day in event.dates for hour in range(10, 18) for minute in (5, 25, 45)]
    past = [m for m in moments if m < now] or [now - timedelta(hours=h) for h in range(1, 25)]
    categories = [t.name_es.lower() for t in Term.objects.filter(vocabulary=Term.Vocabulary.DEVICE_CATEGORY)]
    scanner = {e.pk: by_name.get(a.email) for e, a in wanted}
    leads = []
    for exhibitor in exhibitors:
        rng = rng_for(seed, "leads", exhibitor.pk)
        for attendee_id in rng.sample(visitors, k=min(len(visitors), rng.randint(4, 24))):
            at = rng.choice(past)
            status = rng.choices(list(Lead.Status.values), weights=[50, 20, 12, 6, 12])[0]
            leads.append(Lead(
                exhibitor=exhibitor, attendee_id=attendee_id, created_at=at, updated_at=at,
                rating=rng.choice(["hot", "warm", "warm", "cold", ""]), status=status,
                notes=rng.choice(NOTES).format(cat=rng.choice(categories or ["equipo"])),
                scanned_by=scanner.get(exhibitor.pk),
            ))  # fmt: skip
    Lead.objects.bulk_create(leads, batch_size=2000)

    first = exhibitors[0]
    endpoint = WebhookEndpoint.objects.create(
        exhibitor=first, url=f"https://crm.{first.slug}.example.com/hooks/medical-expo",
        description="CRM (Salesforce)", events=[], secret="whsec_demo_" + uuid.uuid4().hex,
    )  # fmt: skip
    history = []
    for lead in Lead.objects.filter(exhibitor=first).select_related("attendee").order_by("created_at")[:6]:
        history.append((lead, WebhookDelivery(
            endpoint=endpoint, event_type=WebhookEvent.LEAD_CREATED, created_at=lead.created_at,
            next_attempt_at=lead.created_at, status=WebhookDelivery.Status.DELIVERED, attempts=1,
            last_status_code=200, delivered_at=lead.created_at + timedelta(milliseconds=240),
            payload={"type": WebhookEvent.LEAD_CREATED,
                     "data": {"id": lead.pk, "visitor": {"name": lead.attendee.full_name}}},
        )))  # fmt: skip
    deliveries = WebhookDelivery.objects.bulk_create([d for _, d in history])
    WebhookAttempt.objects.bulk_create(
        [WebhookAttempt(delivery=d, started_at=d.created_at, status_code=200, duration_ms=180 + 17 * i)
         for i, d in enumerate(deliveries)]
    )  # fmt: skip
    log(f"Added {len(leads)} leads, {len(users)} exhibitor portal accounts and a webhook endpoint.")


def exhibitor_portal_delete(*, event: Event) -> None:
    """With `seed_demo --reset`: the demo exhibitors' portal accounts go with the edition."""
    User = get_user_model()
    User.objects.filter(exhibitor_memberships__event=event, is_staff=False, is_superuser=False).delete()
