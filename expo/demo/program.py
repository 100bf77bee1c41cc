"""Demo builder of the program: rooms, four tracks, 180 speakers, 250 talks and 100 workshops (300 hours)."""

from datetime import date, timedelta
from decimal import Decimal

from expo.events.models import Event, Room, Venue
from expo.program.models import Session, Speaker, Track

from .common import FIRST_NAMES, LAST_NAMES, MULTINATIONALS, local_at, rng_for

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


def program_create(*, event: Event, venue: Venue, days: list[date], seed: int) -> None:
    rng = rng_for(seed, "program")
    rooms = [
        Room.objects.get_or_create(
            venue=venue, name_es="Auditorio Maya", defaults={"name_en": "Maya Auditorium", "capacity": 1200}
        )[0]
    ]
    rooms += [
        Room.objects.get_or_create(
            venue=venue, name_es=f"Salón Olmeca {i}", defaults={"name_en": f"Olmeca Room {i}", "capacity": 180}
        )[0]
        for i in range(1, 7)
    ]
    workshop_rooms = [
        Room.objects.get_or_create(
            venue=venue, name_es=f"Aula de capacitación {i}", defaults={"name_en": f"Training room {i}", "capacity": 40}
        )[0]
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
                start = local_at(day, 9, 30) + timedelta(minutes=40 * index)
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
                start = local_at(day, *block_start)
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
