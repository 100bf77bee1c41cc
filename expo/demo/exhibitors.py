"""Demo builder of exhibitors: 350 organizations (multinationals, hospitals, universities and SMEs from
the clusters) with RFC, certifications, capabilities, booths in four halls and products."""

from exhibitors.models import Exhibitor, Organization, Product
from expo.events.models import Event, OrganizationKind, Term

from .common import CLUSTER_STATES, MULTINATIONALS, rng_for

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
    halls = ["Salón A", "Salón B", "Salón C", "Salón D"]
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
