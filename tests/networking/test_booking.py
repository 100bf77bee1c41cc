"""Booking an accepted request into a time: the page, and the email to the other participant."""

import re

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from networking.models import Meeting, MeetingRequest
from tests.factories import ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def accepted(edition):
    buyer = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía",
                               attendee__last_name="Hernández",
                               attendee__organization_name="Hospital Civil")  # fmt: skip
    seller = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="George",
                                attendee__last_name="Miller", attendee__language="en")  # fmt: skip
    request = MeetingRequest.objects.create(event=edition.event, sender=buyer, recipient=seller, status="accepted")
    return buyer, seller, request


def test_each_time_is_one_label_around_its_radio_and_its_text(client, accepted, edition):
    buyer, _, request = accepted
    signin(client, buyer.attendee)
    html = client.get(reverse("networking:request-book", args=[request.pk])).content.decode()
    choice = r'<label class="choice"><input type="radio" name="slot" value="(\d+)"[^>]*><span>([^<]+)</span>'
    labels = re.findall(choice, html)
    assert labels[:2] == [(str(edition.slots[0].pk), "10:00–10:20"), (str(edition.slots[1].pk), "10:20–10:40")]
    assert len(labels) == len(edition.slots)
    day = timezone.localtime(edition.slots[0].start)
    assert re.search(rf"<legend>[A-ZÁÉÍÓÚ][a-záéíóú]+ {day.day} de [a-z]+</legend>", html)  # "Martes 28 de octubre"
    assert " checked" not in html  # nothing booked by accident: the person chooses


def test_booking_without_choosing_a_time_says_so(client, accepted):
    buyer, _, request = accepted
    signin(client, buyer.attendee)
    response = client.post(reverse("networking:request-book", args=[request.pk]), {}, follow=True)
    assert "Elige un horario." in response.content.decode()
    assert not Meeting.objects.exists()


def test_booking_emails_the_other_participant_in_their_language_with_the_time_table_and_ics(client, accepted, edition):
    buyer, seller, request = accepted
    signin(client, buyer.attendee)
    response = client.post(reverse("networking:request-book", args=[request.pk]), {"slot": edition.slots[2].pk},
                           follow=True)  # fmt: skip
    assert "Cita agendada: " in response.content.decode() and "10:40–11:00" in response.content.decode()
    meeting = Meeting.objects.get()
    assert [m.to for m in mail.outbox] == [[seller.attendee.email]]  # the booker knows; the other is told
    message = mail.outbox[0]
    assert message.subject.startswith("A B2B meeting was booked with you")
    assert "Lucía Hernández (Hospital Civil) booked a B2B meeting with you" in message.body
    day = timezone.localtime(edition.slots[2].start)
    assert f"{day:%A} {day.day} {day:%B}, 10:40–11:00" in message.body  # English, in the fair's time zone
    assert f"B2B space A, table {meeting.table}" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename == "cita-b2b.ics" and mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == edition.slots[2].start
    assert "Lucía Hernández" in str(event["SUMMARY"]) and str(meeting.table) in str(event["LOCATION"])


def test_a_spanish_speaker_gets_the_booking_email_in_spanish(accepted, edition):
    buyer, seller, request = accepted
    from networking.services import meeting_book

    meeting_book(request=request, slot=edition.slots[0], by=seller)
    message = mail.outbox[0]
    assert message.to == [buyer.attendee.email]
    assert message.subject.startswith("Se agendó una cita B2B contigo")
    day = timezone.localtime(edition.slots[0].start)
    assert f"{day.day} de " in message.body and ", 10:00–10:20" in message.body
    assert f"Espacio B2B A, mesa {Meeting.objects.get().table}" in message.body
