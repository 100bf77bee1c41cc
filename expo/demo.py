"""The demo edition: an event shaped like Medical Expo 2025, generated deterministically.

`demo_edition_seed` builds the venue, program, pass types, exhibitors, networking spaces and
visitors with bulk inserts. Every random choice comes from a generator seeded by (seed, purpose,
index), so the same seed gives the same edition, and topping up visitors later (`--visitors
30000` after a default run) gives exactly the visitors a full run would have made.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from exhibitors.models import Exhibitor, Organization, Product
from networking.models import MeetingRequest, NetworkingSettings, NetworkingSpace, Profile, Slot, Table

from .models import Attendee, Event, PassType, Room, Session, Speaker, Term, Track, Venue

MEXICO_CITY = ZoneInfo("America/Mexico_City")
EVENT_SLUG = "medical-expo-2025"
DEMO_EMAIL_DOMAIN = "demo.medicalexpo.mx"

FIRST_NAMES = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Fernanda",
    "Luis",
    "Sofía",
    "Carlos",
    "Valeria",
    "Jorge",
    "Daniela",
    "Miguel",
    "Ana",
    "Alejandro",
    "Gabriela",
    "Ricardo",
    "Mariana",
    "Fernando",
    "Paola",
    "Eduardo",
    "Claudia",
    "Roberto",
    "Lucía",
    "Arturo",
    "Verónica",
    "Héctor",
    "Adriana",
    "Sergio",
    "Patricia",
    "Raúl",
    "Ximena",
    "Andrés",
    "Regina",
    "Diego",
    "Alejandra",
    "Emilio",
    "Renata",
    "Óscar",
    "Natalia",
    "Iván",
]
LAST_NAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Rodríguez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Reyes",
    "Jiménez",
    "Torres",
    "Díaz",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Moreno",
    "Castillo",
    "Romero",
    "Álvarez",
    "Méndez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
    "Salazar",
]
JOB_TITLES = [
    "Director de compras",
    "Jefa de ingeniería biomédica",
    "Gerente de calidad",
    "Ingeniero de procesos",
    "Coordinadora de abastecimiento",
    "Director médico",
    "Gerente de desarrollo de proveedores",
    "Especialista en asuntos regulatorios",
    "Gerente de operaciones",
    "Investigadora",
    "Enfermera jefa",
    "Director general",
    "Gerente comercial",
    "Ingeniera de manufactura",
    "Jefe de almacén",
]
# Multinationals with plants or offices in Mexico, and the state where the demo puts them.
MULTINATIONALS = [
    ("Medtronic", "baja-california"),
    ("Baxter", "jalisco"),
    ("Becton Dickinson", "baja-california"),
    ("Siemens Healthineers", "ciudad-de-mexico"),
    ("GE HealthCare", "nuevo-leon"),
    ("Boston Scientific", "baja-california"),
    ("B. Braun", "estado-de-mexico"),
    ("Johnson & Johnson MedTech", "chihuahua"),
    ("Philips", "chihuahua"),
    ("Stryker", "jalisco"),
    ("Abbott", "jalisco"),
    ("Roche Diagnóstica", "ciudad-de-mexico"),
    ("Zimmer Biomet", "baja-california"),
    ("Integer", "baja-california"),
    ("Flex Health Solutions", "jalisco"),
    ("Jabil Healthcare", "chihuahua"),
    ("Smiths Medical", "baja-california"),
    ("Hologic", "baja-california"),
    ("Dräger", "ciudad-de-mexico"),
    ("Fresenius Medical Care", "jalisco"),
    ("Olympus", "nuevo-leon"),
    ("Edwards Lifesciences", "baja-california"),
    ("ResMed", "sonora"),
    ("Cardinal Health", "chihuahua"),
    ("Greiner Bio-One", "estado-de-mexico"),
]
CLUSTER_STATES = [
    "baja-california",
    "sonora",
    "chihuahua",
    "jalisco",
    "nuevo-leon",
    "ciudad-de-mexico",
    "estado-de-mexico",
]
SME_CORES = {
    Organization.Kind.SUPPLIER: [
        "Plásticos",
        "Empaques",
        "Maquinados",
        "Moldes",
        "Electrónica",
        "Recubrimientos",
        "Extrusiones",
        "Troqueles",
    ],
    Organization.Kind.SERVICE_PROVIDER: [
        "Esterilización",
        "Metrología",
        "Logística",
        "Laboratorios",
        "Validaciones",
        "Servicios Regulatorios",
    ],
    Organization.Kind.DISTRIBUTOR: ["Distribuidora", "Suministros", "Comercializadora", "Equipos"],
    Organization.Kind.MANUFACTURER: ["Dispositivos", "Instrumental", "Biomédica", "Ortopedia", "Diagnóstica"],
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
    Organization.Kind.SUPPLIER: [
        "medical-grade-plastics",
        "injection-molding",
        "sterile-packaging",
        "precision-machining",
        "electronics",
        "contract-manufacturing",
        "assembly",
    ],
    Organization.Kind.SERVICE_PROVIDER: [
        "sterilization",
        "lab-services",
        "cold-chain-logistics",
        "metrology",
        "regulatory-affairs",
        "maintenance",
    ],
    Organization.Kind.DISTRIBUTOR: ["distribution", "cold-chain-logistics", "maintenance"],
    Organization.Kind.MANUFACTURER: ["contract-manufacturing", "assembly", "electronics"],
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
TOPICS = [
    ("Requisitos de COFEPRIS para dispositivos clase II y III", "es"),
    ("ISO 13485:2016 en la práctica", "es"),
    ("Nearshoring y la segunda ola de manufactura médica", "es"),
    ("Desarrollo de proveedores nacionales para la industria médica", "es"),
    ("Ciberseguridad en dispositivos médicos conectados", "es"),
    ("Inteligencia artificial en imagenología", "es"),
    ("Validación de procesos de esterilización por óxido de etileno", "es"),
    ("Plásticos de grado médico: selección y biocompatibilidad", "es"),
    ("Compras hospitalarias y evaluación de tecnología", "es"),
    ("Monitoreo remoto de pacientes crónicos", "es"),
    ("Gestión de riesgos con ISO 14971", "es"),
    ("Exportar a Estados Unidos: registro FDA paso a paso", "es"),
    ("Cadena de frío para biológicos y reactivos", "es"),
    ("Ingeniería biomédica en hospitales públicos", "es"),
    ("Financiamiento para PyMEs del sector salud", "es"),
    ("Manufactura aditiva de implantes", "es"),
    ("Digital health adoption in Latin American hospitals", "en"),
    ("Supplier qualification for global OEMs", "en"),
    ("MDSAP audits: lessons learned", "en"),
    ("Design controls for start-ups", "en"),
]
ANGLES_ES = [
    "casos de éxito",
    "retos y oportunidades",
    "lo que viene en 2026",
    "guía práctica",
    "mesa de expertos",
    "experiencias en Baja California",
    "experiencias en Jalisco",
    "la visión del hospital",
    "la visión de la PyME",
    "errores frecuentes",
    "indicadores clave",
    "de la idea al mercado",
    "tendencias",
]
ANGLES_EN = ["case studies", "what's next", "a practical guide", "expert panel", "key metrics", "from idea to market"]
WORKSHOP_TOPICS = [
    "Auditor interno ISO 13485",
    "Expediente técnico para COFEPRIS",
    "Validación de software médico (IEC 62304)",
    "Análisis de riesgos FMEA",
    "Buenas prácticas de manufactura",
    "Mantenimiento de equipo biomédico",
    "Metrología aplicada a dispositivos",
    "Empaque estéril: validación ISO 11607",
    "Usabilidad (IEC 62366)",
    "Gestión de quejas y tecnovigilancia",
]


@dataclass
class DemoResult:
    event: Event
    created: bool
    visitors_added: int


def _rng(seed: int, *parts) -> random.Random:
    return random.Random(":".join(str(part) for part in (seed, *parts)))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=MEXICO_CITY)


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
    added = _visitors_top_up(event=event, seed=seed, target=visitors, log=log)
    _meeting_requests_create(event=event, seed=seed, log=log)
    return DemoResult(event=event, created=created, visitors_added=added)


def _event_delete(event: Event) -> None:
    with transaction.atomic():
        from networking.models import Meeting, MeetingRequest, MeetingSeat

        MeetingSeat.objects.filter(meeting__event=event).delete()
        Meeting.objects.filter(event=event).delete()
        MeetingRequest.objects.filter(event=event).delete()
        Profile.objects.filter(event=event).delete()
        event.attendees.all().delete()
        organizations = list(Organization.objects.filter(exhibitions__event=event).values_list("pk", flat=True))
        event.exhibitors.all().delete()
        Organization.objects.filter(pk__in=organizations, exhibitions__isnull=True).delete()
        event.sessions.all().delete()
        event.delete()


def _edition_create(*, seed: int, log) -> Event:
    terms = {(t.vocabulary, t.slug): t for t in Term.objects.all()}
    venue, _ = Venue.objects.get_or_create(
        name="World Trade Center Ciudad de México",
        defaults={"address": "Montecito 38, Nápoles, Benito Juárez, 03810", "city": "Ciudad de México"},
    )
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
    days = [event.start_date + timedelta(days=i) for i in range(event.days)]
    _pass_types_create(event)
    _program_create(event=event, venue=venue, days=days, seed=seed)
    _exhibitors_create(event=event, terms=terms, seed=seed)
    _networking_create(event=event, days=days)
    log(f"Created {event.name}: {event.sessions.count()} sessions, {event.exhibitors.count()} exhibitors.")
    return event


def _pass_types_create(event: Event) -> None:
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


def _program_create(*, event: Event, venue: Venue, days: list[date], seed: int) -> None:
    rng = _rng(seed, "program")
    rooms = [Room.objects.get_or_create(venue=venue, name="Auditorio Maya", defaults={"capacity": 1200})[0]]
    rooms += [
        Room.objects.get_or_create(venue=venue, name=f"Salón Olmeca {i}", defaults={"capacity": 180})[0]
        for i in range(1, 7)
    ]
    workshop_rooms = [
        Room.objects.get_or_create(venue=venue, name=f"Aula de capacitación {i}", defaults={"capacity": 40})[0]
        for i in range(1, 13)
    ]
    tracks = Track.objects.bulk_create(
        [
            Track(event=event, name_es=es, name_en=en, color=color)
            for es, en, color in [
                ("Regulación y calidad", "Regulation and quality", "#0b6e99"),
                ("Manufactura y cadena de suministro", "Manufacturing and supply chain", "#7a4eab"),
                ("Salud digital", "Digital health", "#1e7d32"),
                ("Hospitales y compras", "Hospitals and procurement", "#b35c00"),
            ]
        ]
    )
    speakers = Speaker.objects.bulk_create(
        [
            Speaker(
                event=event,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                affiliation=rng.choice(
                    [name for name, _ in MULTINATIONALS]
                    + [
                        "IMSS",
                        "ISSSTE",
                        "UNAM",
                        "Tec de Monterrey",
                        "COFEPRIS",
                        "Secretaría de Economía",
                        "ANAPS",
                        "AMID",
                    ]
                ),
            )
            for _ in range(180)
        ]
    )
    titles = [
        f"{topic}: {angle}" for topic, language in TOPICS for angle in (ANGLES_EN if language == "en" else ANGLES_ES)
    ]
    rng.shuffle(titles)
    sessions, speaker_links = [], []
    # 250 talks: the auditorium and six rooms, twelve 40-minute slots a day from 9:30.
    for day in days:
        for index in range(12):
            for room in rooms:
                if len(sessions) == 250:
                    break
                start = _at(day, 9, 30) + timedelta(minutes=40 * index)
                title = titles[len(sessions) % len(titles)]
                language = "en" if any(title.startswith(t) for t, lang in TOPICS if lang == "en") else "es"
                if room is rooms[0] and index in (0, 6):
                    kind = Session.Kind.KEYNOTE
                elif index % 4 == 3:
                    kind = Session.Kind.PANEL
                else:
                    kind = Session.Kind.PRESENTATION
                sessions.append(
                    Session(
                        event=event,
                        title=title,
                        kind=kind,
                        track=rng.choice(tracks),
                        room=room,
                        language=language,
                        start=start,
                        end=start + timedelta(minutes=35),
                        abstract="",
                    )
                )
    # Workshops: three 3-hour blocks a day in twelve rooms; 100 of them credit 300 hours.
    workshops = 0
    for day in days:
        for block_start in ((9, 0), (12, 30), (16, 0)):
            for room in workshop_rooms:
                if workshops == 100:
                    break
                start = _at(day, *block_start)
                topic = WORKSHOP_TOPICS[workshops % len(WORKSHOP_TOPICS)]
                sessions.append(
                    Session(
                        event=event,
                        title=f"Taller: {topic} (grupo {workshops // len(WORKSHOP_TOPICS) + 1})",
                        kind=Session.Kind.WORKSHOP,
                        room=room,
                        start=start,
                        end=start + timedelta(hours=3),
                        capacity=room.capacity,
                        training_hours=Decimal("3"),
                        track=tracks[0] if workshops % 2 else tracks[1],
                    )
                )
                workshops += 1
    sessions = Session.objects.bulk_create(sessions)
    Through = Session.speakers.through
    for session in sessions:
        count = 3 if session.kind == Session.Kind.PANEL else 1
        for speaker in rng.sample(speakers, count):
            speaker_links.append(Through(session_id=session.pk, speaker_id=speaker.pk))
    Through.objects.bulk_create(speaker_links)


def _exhibitors_create(*, event: Event, terms: dict, seed: int) -> None:
    rng = _rng(seed, "exhibitors")
    categories = [t for (v, _), t in terms.items() if v == Term.Vocabulary.DEVICE_CATEGORY]
    certifications = {slug: t for (v, slug), t in terms.items() if v == Term.Vocabulary.CERTIFICATION}
    specs = [(name, Organization.Kind.MANUFACTURER, Organization.Size.LARGE, state) for name, state in MULTINATIONALS]
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
        specs.append((name, Organization.Kind.HOSPITAL, Organization.Size.LARGE, rng.choice(CLUSTER_STATES)))
        names.add(name)
    specs.append(
        (
            "Universidad de Guadalajara · Ingeniería Biomédica",
            Organization.Kind.ACADEMIA,
            Organization.Size.LARGE,
            "jalisco",
        )
    )
    specs.append(
        (
            "Tecnológico de Monterrey · Centro de Dispositivos Médicos",
            Organization.Kind.ACADEMIA,
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
    halls = ["Salón A", "Salón B", "Salón C", "Salón D"]
    for index, organization in enumerate(organizations):
        held = ["iso-9001"] if rng.random() < 0.6 else []
        if organization.kind in (Organization.Kind.MANUFACTURER, Organization.Kind.SUPPLIER):
            if organization.size == Organization.Size.LARGE or rng.random() < 0.55:
                held.append("iso-13485")
            if organization.size == Organization.Size.LARGE or rng.random() < 0.25:
                held += ["fda-registration", "cofepris"]
            if rng.random() < 0.2:
                held.append("ce-mark")
        if organization.kind == Organization.Kind.SERVICE_PROVIDER and rng.random() < 0.5:
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
        exhibitors.append(
            Exhibitor(
                event=event,
                organization=organization,
                hall=hall,
                package=package,
                booth=f"{hall[-1]}-{100 + index // 4}",
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


def _networking_create(*, event: Event, days: list[date]) -> None:
    slots = Slot.objects.bulk_create(
        [
            Slot(
                event=event,
                start=_at(day, 10) + timedelta(minutes=20 * i),
                end=_at(day, 10) + timedelta(minutes=20 * (i + 1)),
            )
            for day in days
            for i in range(24)  # 10:00 to 18:00
        ]
    )
    spaces = NetworkingSpace.objects.bulk_create(
        [
            NetworkingSpace(event=event, code="A", name="Espacio B2B A · Manufactura", location="Salón A, mezzanine"),
            NetworkingSpace(event=event, code="B", name="Espacio B2B B · Hospitales", location="Salón C, nivel 2"),
            NetworkingSpace(event=event, code="C", name="Espacio B2B C · Proveedores", location="Salón D, nivel 1"),
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


def _visitors_top_up(*, event: Event, seed: int, target: int, log) -> int:
    """Create demo visitors number `existing..target-1`, in bulk, each from its own generator."""
    existing = event.attendees.filter(email__startswith="visitante", email__endswith=f"@{DEMO_EMAIL_DOMAIN}").count()
    staff_count = event.attendees.filter(pass_type__slug="expositor").count()
    if staff_count == 0:
        _exhibitor_staff_create(event=event, seed=seed)
    if existing >= target:
        return 0
    pass_types = {p.slug: p for p in event.pass_types.all()}
    terms = list(Term.objects.filter(vocabulary__in=["device_category", "capability", "state"]))
    categories = [t for t in terms if t.vocabulary == "device_category"]
    capabilities = [t for t in terms if t.vocabulary == "capability"]
    states = {t.slug: t for t in terms if t.vocabulary == "state"}
    state_weights = [(states[s], 10) for s in CLUSTER_STATES] + [(t, 1) for t in states.values()]
    kinds = Attendee.OrganizationKind
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
            rng = _rng(seed, "visitor", i)
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
        profiles = []
        for attendee in attendees:
            rng = _rng(seed, "visitor-interests", attendee.email)
            for term in rng.sample(categories, k=rng.randint(1, 3)):
                interests.append(Attendee.interests.through(attendee_id=attendee.pk, term_id=term.pk))
            if attendee.pass_type.includes_b2b:
                profiles.append((attendee, rng))
        Attendee.interests.through.objects.bulk_create(interests)
        _profiles_create(event=event, entries=profiles, categories=categories, capabilities=capabilities)
        added += len(attendees)
    for slug in pass_types:
        count = event.attendees.filter(pass_type__slug=slug).exclude(status=Attendee.Status.CANCELLED).count()
        PassType.objects.filter(pk=pass_types[slug].pk).update(registered_count=count)
    log(f"Added {added} visitors (now {existing + added}).")
    return added


def _exhibitor_staff_create(*, event: Event, seed: int) -> None:
    """One staff member per exhibitor, registered with the exhibitor pass and a B2B profile."""
    staff_pass = event.pass_types.get(slug="expositor")
    exhibitors = list(
        event.exhibitors.select_related("organization", "organization__state")
        .prefetch_related("organization__capabilities", "categories")
        .order_by("pk")
    )
    now = timezone.now()
    attendees = []
    for index, exhibitor in enumerate(exhibitors):
        rng = _rng(seed, "staff", index)
        organization = exhibitor.organization
        kind = organization.kind if organization.kind in Attendee.OrganizationKind.values else "other"
        attendees.append(
            Attendee(
                event=event,
                pass_type=staff_pass,
                email=f"staff{index:04d}@{DEMO_EMAIL_DOMAIN}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}",
                organization_name=organization.name,
                organization_kind=kind,
                job_title=rng.choice(JOB_TITLES),
                state=organization.state,
                privacy_accepted_at=now,
                share_with_exhibitors=True,
                badge_code=f"S{rng.getrandbits(96):024x}",
            )
        )
    attendees = Attendee.objects.bulk_create(attendees)
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                event=event,
                attendee=attendee,
                organization=exhibitor.organization,
                role=exhibitor.organization.kind,
                languages=["es", "en"],
                max_meetings=12,
            )
            for attendee, exhibitor in zip(attendees, exhibitors)
        ]
    )
    offers = []
    for profile, exhibitor in zip(profiles, exhibitors):
        for term in list(exhibitor.organization.capabilities.all()) + list(exhibitor.categories.all()):
            offers.append(Profile.offers.through(profile_id=profile.pk, term_id=term.pk))
    Profile.offers.through.objects.bulk_create(offers)
    staff_pass.registered_count = len(attendees)
    staff_pass.save(update_fields=["registered_count"])


def _profiles_create(*, event: Event, entries: list, categories: list, capabilities: list) -> None:
    role_of = {
        "hospital": "hospital",
        "manufacturer": "manufacturer",
        "supplier": "supplier",
        "distributor": "distributor",
        "government": "government",
        "academia": "academia",
        "other": "service_provider",
    }
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                event=event,
                attendee=attendee,
                role=role_of[attendee.organization_kind],
                languages=["es"] if rng.random() < 0.6 else ["es", "en"],
                max_meetings=rng.choice([4, 6, 8, 10]),
            )
            for attendee, rng in entries
        ]
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
    Profile.needs.through.objects.bulk_create(links_needs)
    Profile.offers.through.objects.bulk_create(links_offers)


def _meeting_requests_create(*, event: Event, seed: int, log) -> None:
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
        rng = _rng(seed, "b2b-request", pk)
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
