"""Demo builder of the program: rooms, four tracks, 180 speakers with affiliations and positions,
250 talks and 100 workshops (300 hours) with abstracts and capacities; then, once visitors exist
(`program_activity_create`), what visitors did with it: saved sessions, enrollments with full
workshops and their waitlists, room scans on entry and exit of the workshops already held, the
attendance they add up to, and certificates issued for most of those who earned hours.

Bulk inserts throughout, and no emails: the demo writes what the services would have left behind.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from expo.events.models import Event, Room, Venue
from expo.program.attendance import credited, presence
from expo.program.models import (
    DEFAULT_ATTENDANCE_SHARE,
    Attendance,
    Certificate,
    Enrollment,
    ProgramSettings,
    RoomScan,
    SavedSession,
    Session,
    Speaker,
    Track,
)
from expo.program.services import session_search_refresh
from expo.registration.models import Attendee

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


POSITIONS = [
    "Directora de Asuntos Regulatorios",
    "Gerente de Calidad",
    "Director de Operaciones",
    "Investigadora titular",
    "Jefe de Ingeniería Biomédica",
    "Consultora en dispositivos médicos",
    "Directora de Compras",
    "Gerente de Desarrollo de Proveedores",
    "Comisionado",
    "Coordinadora de Innovación",
]
ABSTRACT_ES = [
    "Una sesión práctica sobre {topic_l}, con {angle} y ejemplos de empresas y hospitales mexicanos.",
    "Qué cambió en {topic_l} y cómo prepararse: requisitos, tiempos y costos, con {angle}.",
    "Los ponentes comparten {angle} sobre {topic_l} y responden preguntas del público.",
]
ABSTRACT_EN = [
    "A practical session on {topic_l}, with {angle} from manufacturers and hospitals in Mexico.",
    "What changed in {topic_l} and how to prepare: requirements, timelines and costs, with {angle}.",
]
WORKSHOP_ABSTRACT = (
    "Taller de tres horas con ejercicios en equipo sobre {topic_l}. Cupo limitado: inscríbete desde el programa. "
    "Acredita 3 horas de capacitación con pase profesional y asistencia de al menos el 80%: lee tu gafete "
    "en la puerta al entrar y al salir."
)


# Topics organizers know will fill up first (their workshops get waitlists).
POPULAR = ("Expediente técnico para COFEPRIS", "Auditor interno ISO 13485", "Validación de software médico (IEC 62304)")
LAB_SEATS = 6


def _abstract(rng, title: str, language: str) -> str:
    topic, _, angle = title.partition(": ")
    templates = ABSTRACT_EN if language == "en" else ABSTRACT_ES
    return rng.choice(templates).format(topic_l=topic[0].lower() + topic[1:], angle=angle or "casos reales")


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
                position=rng.choice(POSITIONS),
                bio="Más de quince años de experiencia en la industria de dispositivos médicos en México.",
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
                        abstract=_abstract(rng, title, language),
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
                        # The first group of the most wanted topics is a hands-on lab with few seats.
                        capacity=LAB_SEATS if topic in POPULAR and workshops < len(WORKSHOP_TOPICS) else room.capacity,
                        enrollment_required=True,
                        abstract=WORKSHOP_ABSTRACT.format(topic_l=topic[0].lower() + topic[1:]),
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
    session_search_refresh(session_ids=[session.pk for session in sessions])
    ProgramSettings.objects.get_or_create(
        event=event,
        defaults={"certificate_signer_name": "Dra. Patricia Morales Rivera",
                  "certificate_signer_title": "Directora del Comité Académico, Medical Expo",
                  "training_provider": "Medical Expo, S.A. de C.V.",
                  "training_provider_registration": "MEX-240101-AB1-0013"},
    )  # fmt: skip


def program_activity_create(*, event: Event, seed: int, now=None) -> None:
    """Saved sessions, enrollments and waitlists, room scans, attendance and certificates. Runs once
    per edition (a later run with more visitors leaves it as it is), in one transaction."""
    if Enrollment.objects.filter(session__event=event).exists():
        return
    with transaction.atomic():
        _activity_create(event=event, seed=seed, now=now or timezone.now())


def _activity_create(*, event: Event, seed: int, now) -> None:
    rng = rng_for(seed, "program-activity")
    workshops = list(
        Session.objects.filter(event=event, enrollment_required=True).select_related("room").order_by("start", "pk")
    )
    talks = list(Session.objects.filter(event=event, enrollment_required=False).values_list("pk", flat=True))
    visitors = Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED).exclude(
        pass_type__slug="expositor").select_related("pass_type").order_by("pk")  # fmt: skip
    trainees = [a for a in visitors if a.pass_type.includes_training]
    others = [a for a in visitors if not a.pass_type.includes_training]
    weights = [3 if w.title.startswith(tuple(f"Taller: {t} " for t in POPULAR)) else 1 for w in workshops]
    # Who asks for which workshop, in the order they asked: a trainee picks 3 to 5 (never two at once),
    # a few other visitors one each.
    requests = []
    for attendee in trainees + rng.sample(others, k=len(others) // 20):
        wanted = 1 if not attendee.pass_type.includes_training else rng.randint(3, 5)
        chosen, busy = [], set()
        for workshop in rng.choices(workshops, weights=weights, k=wanted * 4):
            if len(chosen) == wanted:
                break
            if workshop.start not in busy:
                chosen.append(workshop)
                busy.add(workshop.start)
        asked = now - timedelta(days=30) + timedelta(minutes=rng.randint(0, 60 * 24 * 25))
        requests += [(asked, attendee, workshop) for workshop in chosen]
    requests.sort(key=lambda request: (request[0], request[1].pk, request[2].pk))
    taken = dict.fromkeys((w.pk for w in workshops), 0)
    enrollments = []
    for asked, attendee, workshop in requests:
        seated = taken[workshop.pk] < workshop.capacity
        taken[workshop.pk] += int(seated)
        enrollments.append(Enrollment(session=workshop, attendee=attendee, created_at=asked, updated_at=asked,
                                      status=Enrollment.Status.ENROLLED if seated else Enrollment.Status.WAITLISTED,
                                      waitlisted_at=None if seated else asked))  # fmt: skip
    # A seat freed in an upcoming full workshop is on offer to the first person waiting.
    by_session = {}
    for enrollment in enrollments:
        by_session.setdefault(enrollment.session_id, []).append(enrollment)
    for workshop in workshops:
        rows = by_session.get(workshop.pk, [])
        waiting = [e for e in rows if e.status == Enrollment.Status.WAITLISTED]
        if waiting and workshop.start > now + timedelta(hours=2):
            rows[0].status = Enrollment.Status.CANCELLED
            waiting[0].status = Enrollment.Status.OFFERED
            waiting[0].offered_at = now - timedelta(hours=1)
            waiting[0].offer_expires_at = min(now + timedelta(hours=11), workshop.start)
            break
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)
    for workshop in workshops:
        holding = (Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED)
        workshop.enrolled_count = sum(1 for e in by_session.get(workshop.pk, []) if e.status in holding)
    Session.objects.bulk_update(workshops, ["enrolled_count"], batch_size=500)
    # Sessions saved to "My agenda".
    SavedSession.objects.bulk_create(
        [SavedSession(attendee=attendee, session_id=pk, created_at=now - timedelta(days=3))
         for attendee in trainees + others[::10] for pk in rng.sample(talks, k=rng.randint(2, 5))],
        batch_size=2000, ignore_conflicts=True,
    )  # fmt: skip
    _attendance_create(event=event, workshops=workshops, enrollments=enrollments, rng=rng, now=now)


def _attendance_create(*, event, workshops, enrollments, rng, now) -> None:
    """Entry and exit scans of the workshops already over: most stay, some leave at the break, some
    never come; the attendance they add up to; certificates for most of those who earned hours."""
    held = {w.pk: w for w in workshops if w.end <= now}
    scans, attendances, hours = [], [], {}
    for enrollment in enrollments:
        workshop = held.get(enrollment.session_id)
        if workshop is None or enrollment.status != Enrollment.Status.ENROLLED:
            continue
        luck = rng.random()
        if luck < 0.12:
            continue  # did not come
        entry = workshop.start + timedelta(minutes=rng.randint(-10, 8))
        leave = workshop.start + timedelta(minutes=rng.randint(70, 100)) if luck < 0.2 else (
            workshop.end + timedelta(minutes=rng.randint(-12, 8)))  # fmt: skip
        pair = [(entry, RoomScan.Direction.ENTRY), (leave, RoomScan.Direction.EXIT)]
        scans += [RoomScan(event=event, session=workshop, attendee=enrollment.attendee, direction=direction,
                           scanned_at=at, recorded_at=at, device="Aula") for at, direction in pair]  # fmt: skip
        found = presence([(at, direction.value) for at, direction in pair], start=workshop.start, end=workshop.end)
        attendances.append(Attendance(session=workshop, attendee=enrollment.attendee, present_seconds=found.seconds,
                                      share=found.share, first_entry_at=found.first_entry,
                                      last_exit_at=found.last_exit, updated_at=leave))  # fmt: skip
        earned = credited(share=found.share, share_needed=DEFAULT_ATTENDANCE_SHARE,
                          training_hours=workshop.training_hours,
                          includes_training=enrollment.attendee.pass_type.includes_training)  # fmt: skip
        if earned:
            hours.setdefault(enrollment.attendee, []).append(workshop)
    RoomScan.objects.bulk_create(scans, batch_size=2000)
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    certificates = []
    for attendee, sessions in hours.items():
        if rng.random() < 0.3:
            continue  # not issued yet: the organizers' next batch will
        sessions.sort(key=lambda s: s.start)
        issued = max(s.end for s in sessions) + timedelta(hours=6)
        certificates.append(Certificate(
            event=event, attendee=attendee, full_name=attendee.full_name, issued_at=issued,
            hours=sum((s.training_hours for s in sessions), Decimal(0)),
            sessions=[{"session_id": s.pk, "title": s.title, "start": s.start.isoformat(), "end": s.end.isoformat(),
                       "hours": str(s.training_hours), "room": s.room.name_es} for s in sessions],
        ))  # fmt: skip
    Certificate.objects.bulk_create(certificates, batch_size=1000)
