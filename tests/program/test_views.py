"""The program pages: browse by day with time headings, search across days ignoring accents, the
session and speaker pages, with their query counts pinned."""

from datetime import timedelta

import pytest
from django.urls import reverse

from expo.program import services
from expo.program.models import Session
from tests.factories import EventFactory, SessionFactory, SpeakerFactory, TrackFactory
from tests.networking.conftest import signin

from .conftest import local, visitor

pytestmark = pytest.mark.django_db


def _session(event, day_offset=0, hour=10, **kwargs):
    day = event.start_date + timedelta(days=day_offset)
    session = SessionFactory(event=event, start=local(day, hour), end=local(day, hour, 40), **kwargs)
    speakers = kwargs.pop("speakers", None)
    services.session_search_refresh(session_ids=[session.pk])
    return session if speakers is None else session


def test_program_lists_sessions_of_the_chosen_day_with_speakers(client):
    event = EventFactory()
    session = SessionFactory(event=event, title="ISO 13485 en la práctica")
    session.speakers.add(SpeakerFactory(event=event, name="Dra. Lucía Herrera"))
    response = client.get(reverse("program:list"), {"day": event.start_date.isoformat()})
    html = response.content.decode()
    assert "ISO 13485 en la práctica" in html and "Dra. Lucía Herrera" in html


def test_search_ignores_accents_and_case_and_looks_across_days(client):
    event = EventFactory()
    _session(event, 0, title="Requisitos de COFEPRIS para clase II")
    _session(event, 1, title="Regulación sanitaria: COFEPRIS en 2026")
    _session(event, 1, title="Cadena de frío")
    response = client.get(reverse("program:list"), {"q": "cofepris"})
    html = response.content.decode()
    assert "Requisitos de COFEPRIS" in html and "Regulación sanitaria" in html
    assert "Cadena de frío" not in html
    assert "2 sesiones coinciden" in html
    response = client.get(reverse("program:list"), {"q": "REGULACION"})
    assert "Regulación sanitaria" in response.content.decode()


def test_search_on_one_day_says_where_the_other_matches_are(client):
    event = EventFactory()
    _session(event, 0, title="COFEPRIS: dispositivos clase III")
    for hour in (10, 12, 15):
        _session(event, 2, hour=hour, title=f"COFEPRIS: taller {hour}")
    response = client.get(reverse("program:list"), {"q": "Cofepris", "day": event.start_date.isoformat()})
    html = response.content.decode()
    assert "clase III" in html and "taller 10" not in html
    assert "También en otros días:" in html
    assert f"day={(event.start_date + timedelta(days=2)).isoformat()}" in html and "(3)" in html


def test_search_finds_abstracts_speakers_and_tracks(client):
    event = EventFactory()
    track = TrackFactory(event=event, name_es="Salud digital", name_en="Digital health")
    with_abstract = _session(event, 0, title="Uno", abstract="Esterilización por óxido de etileno", track=track)
    by_speaker = _session(event, 1, title="Dos")
    by_speaker.speakers.add(SpeakerFactory(event=event, name="José Núñez", affiliation="IMSS"))
    services.session_search_refresh(session_ids=[by_speaker.pk])
    for query, title in (("oxido etileno", "Uno"), ("nunez", "Dos"), ("digital health", "Uno")):
        html = client.get(reverse("program:list"), {"q": query}).content.decode()
        assert f">{title}<" in html, query
    assert with_abstract.pk


def test_renamed_speaker_is_found_by_the_new_name(client):
    event = EventFactory()
    session = _session(event, 0, title="Uno")
    speaker = SpeakerFactory(event=event, name="Ana Pérez")
    session.speakers.add(speaker)
    speaker.name = "Ana Pérez Íñiguez"
    services.speaker_save(speaker=speaker)
    assert ">Uno<" in client.get(reverse("program:list"), {"q": "iniguez"}).content.decode()


def test_day_tabs_are_short_and_time_headings_group_sessions(client):
    event = EventFactory()
    _session(event, 0, hour=9, title="A")
    _session(event, 0, hour=9, title="B")
    _session(event, 0, hour=11, title="C")
    html = client.get(reverse("program:list"), {"day": event.start_date.isoformat()}).content.decode()
    assert html.count('class="time-heading"') == 2
    short = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][event.start_date.weekday()]
    assert f"<span>{short} {event.start_date.day}</span>" in html


def test_program_query_count_does_not_grow_with_sessions(client, django_assert_num_queries):
    event = EventFactory()
    for _ in range(3):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    services.session_search_refresh(session_ids=event.sessions.values_list("pk", flat=True))
    # current edition, the program's version (cache key), counts per day, sessions with rooms and tracks,
    # speakers, tracks, rooms
    with django_assert_num_queries(7):
        assert "3 sesiones coinciden" in client.get(reverse("program:list"), {"q": "conferencia"}).content.decode()
    # The same page again, for another visitor who is not signed in: from the cache; the edition too,
    # the version is read.
    with django_assert_num_queries(1):
        assert "3 sesiones coinciden" in client.get(reverse("program:list"), {"q": "conferencia"}).content.decode()
    for _ in range(20):
        SessionFactory(event=event).speakers.add(SpeakerFactory(event=event))
    services.session_search_refresh(session_ids=event.sessions.values_list("pk", flat=True))
    # New sessions are a new version of the program: rendered again, at the same cost (the factories
    # saved venues for the new rooms, so the edition is read again too).
    with django_assert_num_queries(7):
        assert "23 sesiones coinciden" in client.get(reverse("program:list"), {"q": "conferencia"}).content.decode()


def test_an_organizers_change_shows_at_once_to_visitors_who_are_not_signed_in(client):
    event = EventFactory()
    session = SessionFactory(event=event, title="Esterilización con óxido de etileno")
    url = reverse("program:list")
    assert "óxido de etileno" in client.get(url, {"day": event.start_date.isoformat()}).content.decode()
    previous = Session.objects.get(pk=session.pk)
    session.title = "Esterilización con vapor"
    services.session_save(session=session, previous=previous)
    html = client.get(url, {"day": event.start_date.isoformat()}).content.decode()
    assert "con vapor" in html and "óxido de etileno" not in html


def test_program_query_count_for_a_signed_in_visitor(client, program, django_assert_num_queries):
    person = visitor(program)
    services.saved_session_add(attendee=person, session=program.talk)
    services.enrollment_create(attendee=person, session=program.workshop, clashes_accepted=True)
    signin(client, person)
    url = reverse("program:list")
    # current edition, counts, sessions, speakers, the visitor, saved, enrollments, tracks, rooms (the
    # Django session is read from the cache)
    with django_assert_num_queries(9):
        html = client.get(url, {"day": program.event.start_date.isoformat()}).content.decode()
    assert "En mi agenda" in html and "Inscrito" in html
    for _ in range(10):
        SessionFactory(event=program.event, start=program.talk.start, end=program.talk.end)
    with django_assert_num_queries(9):
        client.get(url, {"day": program.event.start_date.isoformat()})


def test_session_page_shows_abstract_speakers_seats_and_hours(client, program, django_assert_num_queries):
    program.workshop.abstract = "Validación con indicadores biológicos."
    program.workshop.save()
    program.workshop.speakers.add(SpeakerFactory(event=program.event, name="Ing. Rosa Díaz", affiliation="B. Braun"))
    # current edition, session with room and track, speakers
    with django_assert_num_queries(3):
        response = client.get(reverse("program:session", args=[program.workshop.pk]))
    html = response.content.decode()
    assert "Validación con indicadores biológicos." in html
    assert "Ing. Rosa Díaz" in html and "B. Braun" in html
    assert "Quedan 2 de 2 lugares" in html and "3 horas certificadas" in html
    assert reverse("program:session-ics", args=[program.workshop.pk]) in html


def test_session_of_another_edition_is_not_found(client, program):
    other = SessionFactory(event=EventFactory(start_date=program.event.start_date - timedelta(days=400),
                                              end_date=program.event.start_date - timedelta(days=398)))  # fmt: skip
    assert client.get(reverse("program:session", args=[other.pk])).status_code == 404


def test_speaker_page_lists_their_sessions(client, django_assert_num_queries):
    event = EventFactory()
    speaker = SpeakerFactory(event=event, name="Dra. Marta Ruiz", affiliation="UNAM", bio="Investigadora.")
    for hour in (10, 12):
        _session(event, 0, hour=hour, title=f"Sesión {hour}").speakers.add(speaker)
    # current edition, speaker, sessions with rooms and tracks
    with django_assert_num_queries(3):
        html = client.get(reverse("program:speaker", args=[speaker.pk])).content.decode()
    assert "Sesión 10" in html and "Sesión 12" in html and "UNAM" in html and "Investigadora." in html


def test_saving_needs_sign_in_and_is_a_post(client, program):
    url = reverse("program:session-save", args=[program.talk.pk])
    assert client.get(url).status_code in (302, 405)
    response = client.post(url)
    assert response.status_code == 302 and "/acceso/" in response["Location"]


def test_now_and_next_during_the_fair(program):
    from expo.program.selectors import session_now_and_next

    later = SessionFactory(event=program.event, title="Después", start=program.talk.end + timedelta(minutes=20),
                           end=program.talk.end + timedelta(minutes=60))  # fmt: skip
    sessions = [program.workshop, program.talk, later]
    now, upcoming = session_now_and_next(sessions, at=program.talk.start + timedelta(minutes=5))
    assert now == [program.workshop, program.talk] and upcoming == [later]


def test_moving_a_session_in_the_admin_goes_through_the_service(admin_client, program):
    from django.core import mail

    from expo.mail.services import mail_drain
    from expo.program.models import Session

    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    mail_drain()
    mail.outbox.clear()
    url = reverse("admin:program_session_change", args=[program.workshop.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    start = local(program.event.start_date, 11)
    data.update({"start_0": start.date().isoformat(), "start_1": "11:00:00", "end_0": start.date().isoformat(),
                 "end_1": "14:00:00", "speakers": [], "capacity": 0})  # fmt: skip
    for name in ("start", "end"):
        data.pop(name, None)
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "el cupo no puede ser menor" in response.content.decode()
    data["capacity"] = 2
    assert admin_client.post(url, data).status_code == 302
    workshop = Session.objects.get(pk=program.workshop.pk)
    assert workshop.start == start and workshop.sequence == 1
    mail_drain()
    assert [m.to for m in mail.outbox] == [[person.email]] and "Cambio de horario" in mail.outbox[0].subject
