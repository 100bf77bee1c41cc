"""My agenda: sessions and B2B meetings together with clashes flagged, one .ics and one subscription
URL (TZID, stable UID, growing SEQUENCE, cancelled kept as cancelled) that can be reset; organizers'
moves and cancellations email the people booked."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from expo.mail.services import mail_drain
from expo.program import calendar, services
from expo.program.models import Session
from tests.factories import MeetingFactory, ParticipantFactory, RoomFactory, SlotFactory
from tests.networking.conftest import signin

from .conftest import local, visitor

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> dict:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def participant(program):
    """A B2B participant on a training pass with a meeting at 11:00 that clashes with the workshop."""
    person = ParticipantFactory(event=program.event)
    person.attendee.pass_type.includes_training = True
    person.attendee.pass_type.save()
    day = program.event.start_date
    MeetingFactory(event=program.event, slot=SlotFactory(event=program.event, start=local(day, 11),
                                                         end=local(day, 11, 20)),
                   between=[person, ParticipantFactory(event=program.event)])  # fmt: skip
    return person


def test_agenda_shows_sessions_and_meetings_with_clashes(client, program, participant, django_assert_num_queries):
    attendee = participant.attendee
    services.enrollment_create(attendee=attendee, session=program.workshop, clashes_accepted=True)
    services.saved_session_add(attendee=attendee, session=program.talk)
    signin(client, attendee)
    # the visitor, enrollments, saved sessions, B2B profile, seats, other seats, feed version (the Django
    # session is read from the cache)
    with django_assert_num_queries(7):
        response = client.get(reverse("program:agenda"))
    html = response.content.decode()
    assert "Taller: Validación de esterilización" in html and "Regulación COFEPRIS" in html
    assert "Cita B2B" in html
    assert html.count("is-clash") == 3  # workshop 9-12 overlaps the talk at 10 and the meeting at 11
    for _ in range(3):
        services.saved_session_add(attendee=attendee, session=Session.objects.create(
            event=program.event, title="Otra", room=RoomFactory(), start=local(program.event.end_date, 9),
            end=local(program.event.end_date, 10)))  # fmt: skip
    with django_assert_num_queries(7):
        client.get(reverse("program:agenda"))


def test_agenda_ics_has_tzid_stable_uid_and_status(client, program, participant):
    attendee = participant.attendee
    services.enrollment_create(attendee=attendee, session=program.workshop, clashes_accepted=True)
    signin(client, attendee)
    response = client.get(reverse("program:agenda-ics"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    assert b"DTSTART;TZID=America/Mexico_City" in body and b"BEGIN:VTIMEZONE" in body
    events = _events(body)
    workshop = events[f"session-{program.workshop.pk}@medicalexpo.mx"]
    assert str(workshop["status"]) == "CONFIRMED" and int(workshop["sequence"]) == 0
    assert any(uid.startswith("b2b-meeting-") for uid in events)


def test_moving_a_session_emails_the_booked_and_raises_the_sequence(client, program):
    person = visitor(program, language="en")
    services.enrollment_create(attendee=person, session=program.workshop)
    mail_drain()
    mail.outbox.clear()
    new_room = RoomFactory(name_es="Aula 9", name_en="Training room 9")
    services.session_move(session=program.workshop, start=program.workshop.start + timedelta(hours=1),
                          end=program.workshop.end + timedelta(hours=1), room=new_room)  # fmt: skip
    mail_drain()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("Changed time or room")
    assert "Training room 1" in message.body and "Training room 9" in message.body
    ics = next(a for a in message.attachments if a[0] == "sesion.ics")
    assert (
        int(
            _events(ics[1].encode() if isinstance(ics[1], str) else ics[1])[
                f"session-{program.workshop.pk}@medicalexpo.mx"
            ]["sequence"]
        )
        == 1
    )
    signin(client, person)
    services.session_move(session=program.workshop, start=program.workshop.start + timedelta(hours=1),
                          end=program.workshop.end + timedelta(hours=1))  # fmt: skip
    event = _events(client.get(reverse("program:agenda-ics")).content)[f"session-{program.workshop.pk}@medicalexpo.mx"]
    assert int(event["sequence"]) == 2
    assert event["dtstart"].dt == local(program.event.start_date, 11)


def test_cancelled_session_stays_in_the_feed_as_cancelled(client, program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    mail_drain()
    mail.outbox.clear()
    services.session_cancel(session=program.workshop)
    mail_drain()
    assert [m.subject for m in mail.outbox] == ["Cancelada: Taller: Validación de esterilización"]
    url = calendar.feed_url(attendee_id=person.pk, version=1)
    event = _events(client.get(url.replace("http://127.0.0.1:8000", "")).content)[
        f"session-{program.workshop.pk}@medicalexpo.mx"
    ]
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def test_feed_needs_no_session_and_reset_makes_the_old_url_fail(client, program):
    person = visitor(program)
    services.saved_session_add(attendee=person, session=program.talk)
    old = reverse("program:agenda-feed", args=[calendar.feed_token(attendee_id=person.pk, version=1)])
    assert client.get(old).status_code == 200
    signin(client, person)
    client.post(reverse("program:agenda-feed-reset"))
    client.logout()
    assert client.get(old).status_code == 404
    new = reverse("program:agenda-feed", args=[calendar.feed_token(attendee_id=person.pk, version=2)])
    assert b"Regulaci" in client.get(new).content


def test_forged_feed_token_is_not_found(client, program):
    person = visitor(program)
    token = calendar.feed_token(attendee_id=person.pk, version=1)
    other = visitor(program)
    forged = f"{other.pk}{token[token.index('.') :]}"
    assert client.get(reverse("program:agenda-feed", args=[forged])).status_code == 404


def test_session_ics_for_add_to_calendar(client, program):
    response = client.get(reverse("program:session-ics", args=[program.talk.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert b"Regulaci" in response.content and b"TZID=America/Mexico_City" in response.content


def test_someone_elses_enrollment_answers_404(client, program):
    owner, intruder = visitor(program), visitor(program)
    services.enrollment_create(attendee=owner, session=program.workshop)
    signin(client, intruder)
    assert client.post(reverse("program:enrollment-cancel", args=[program.workshop.pk])).status_code == 404
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 1
