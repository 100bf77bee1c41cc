"""B2B emails: the published agenda lists the meetings and carries them as a calendar file;
cancellations name the time in the reader's language."""

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from networking.models import Meeting, MeetingRequest
from networking.scheduling.services import schedule_publish
from networking.services import meeting_cancel, meeting_request_accept, meeting_request_send
from tests.factories import MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def drafts(edition):
    lucia = ParticipantFactory(event=edition.event, attendee__first_name="Lucía", attendee__last_name="Hernández",
                               attendee__organization_name="Hospital Civil")  # fmt: skip
    jorge = ParticipantFactory(event=edition.event, attendee__first_name="Jorge", attendee__last_name="Ramírez",
                               attendee__organization_name="Imagen Médica", attendee__language="en")  # fmt: skip
    marta = ParticipantFactory(event=edition.event, attendee__first_name="Marta", attendee__last_name="Soto")
    first = MeetingFactory(event=edition.event, slot=edition.slots[0], table=edition.tables[0], between=(lucia, jorge),
                           status=Meeting.Status.DRAFT)  # fmt: skip
    second = MeetingFactory(event=edition.event, slot=edition.slots[3], table=edition.tables[1],
                            between=(lucia, marta), status=Meeting.Status.DRAFT)  # fmt: skip
    return lucia, jorge, marta, first, second


def test_the_agenda_email_lists_time_table_and_person_and_attaches_the_ics(drafts, edition):
    lucia, jorge, marta, first, second = drafts
    schedule_publish(event=edition.event)
    message = next(m for m in mail.outbox if m.to == [lucia.attendee.email])
    body = message.body
    assert "Tu agenda B2B tiene 2 citas nuevas." in body
    day = timezone.localtime(first.slot.start)
    assert f"{day.day} de " in body
    assert f", 10:00–10:20 · Espacio B2B A, mesa {edition.tables[0]}" in body
    assert "Con Jorge Ramírez (Imagen Médica)" in body
    assert f", 11:00–11:20 · Espacio B2B A, mesa {edition.tables[1]}" in body and "Con Marta Soto" in body
    assert body.index("Jorge Ramírez") < body.index("Marta Soto")  # in time order
    html = message.alternatives[0][0]
    assert "Jorge Ramírez" in html and "10:00–10:20" in html
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("agenda-b2b.ics", "text/calendar")
    events = icalendar.Calendar.from_ical(content).walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == [first.slot.start, second.slot.start]


def test_the_agenda_email_is_in_the_readers_language(drafts, edition):
    _, jorge, _, first, _ = drafts
    schedule_publish(event=edition.event)
    body = next(m for m in mail.outbox if m.to == [jorge.attendee.email]).body
    assert "Your B2B agenda has 1 new meeting." in body
    assert f", 10:00–10:20 · B2B space A, table {edition.tables[0]}" in body and "With Lucía Hernández" in body


def test_a_cancelled_meeting_email_names_the_day_as_spanish_writes_it(drafts, edition):
    lucia, jorge, _, first, _ = drafts
    Meeting.objects.filter(pk=first.pk).update(status=Meeting.Status.PUBLISHED)
    meeting_cancel(meeting=first)
    body = next(m for m in mail.outbox if m.to == [lucia.attendee.email]).body
    day = timezone.localtime(first.slot.start)
    months = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
              "noviembre", "diciembre"]  # fmt: skip
    assert f"{day.day} de {months[day.month - 1]} a las 10:00, mesa {edition.tables[0]}, fue cancelada" in body


def test_the_request_accepted_email_opens_the_booking_page(edition):
    lucia, jorge = ParticipantFactory.create_batch(2, event=edition.event)
    request = meeting_request_send(sender=lucia, recipient=jorge)
    mail.outbox.clear()
    meeting_request_accept(request=request, by=jorge)
    assert MeetingRequest.objects.get().status == "accepted"
    assert f"/b2b/solicitudes/{request.pk}/agendar/" in mail.outbox[0].body
