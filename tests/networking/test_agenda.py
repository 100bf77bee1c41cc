"""A participant's agenda: the page, the .ics calendar, booking an accepted request, cancelling."""

import re

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networking.models import Meeting, MeetingRequest
from networking.services import meeting_book, meeting_cancel
from tests.factories import MeetingFactory, ParticipantFactory, TermFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def booked(edition):
    me = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía")
    imaging = TermFactory(vocabulary="device_category", slug="imaging", name_es="Imagenología", name_en="Imaging")
    me.needs.add(imaging)
    other = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge",
                               attendee__last_name="Ramírez", attendee__organization_name="Imagen Médica")  # fmt: skip
    other.offers.add(imaging)
    meeting = MeetingFactory(event=edition.event, slot=edition.slots[1], table=edition.tables[0], between=(me, other))
    return me, other, meeting


def test_agenda_shows_time_place_table_person_and_why(client, booked):
    me, other, meeting = booked
    signin(client, me.attendee)
    html = client.get(reverse("networking:agenda")).content.decode()
    assert "10:20–10:40" in html and "Espacio B2B A" in html and "mesa A1" in html
    assert "Jorge Ramírez" in html and "Imagen Médica" in html
    assert "Ofrecen Imagenología, que tú necesitas" in html


def test_agenda_page_takes_the_same_queries_however_many_meetings(client, booked, edition):
    me, other, _ = booked

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("networking:agenda")).status_code == 200
        return len(queries)

    signin(client, me.attendee)
    count()
    before = count()
    for slot, table in zip(edition.slots[2:5], edition.tables * 2):
        MeetingFactory(event=edition.event, slot=slot, table=table,
                       between=(me, ParticipantFactory(event=edition.event, role="manufacturer")))  # fmt: skip
    # The session is read from the cache. 1 attendee, 2 profile with its edition, 3 seats with meetings,
    # slots, tables and spaces, 4 the other seats with profiles, 5-8 scoring data (profiles, offers,
    # needs, certifications; nobody here has an organization, so theirs are not read), 9 terms.
    assert count() == before == 9


def test_ics_has_the_mexico_city_zone_a_stable_uid_and_marks_cancelled_meetings(client, booked):
    me, other, meeting = booked
    signin(client, me.attendee)
    first = client.get(reverse("networking:agenda-ics"))
    assert first["Content-Type"].startswith("text/calendar")
    body = first.content.decode()
    start = timezone.localtime(meeting.slot.start).strftime("%Y%m%dT%H%M%S")
    assert f"DTSTART;TZID=America/Mexico_City:{start}" in body and "BEGIN:VTIMEZONE" in body
    uid = icalendar.Calendar.from_ical(first.content).walk("VEVENT")[0]["UID"]
    meeting_cancel(meeting=meeting)
    event = icalendar.Calendar.from_ical(client.get(reverse("networking:agenda-ics")).content).walk("VEVENT")[0]
    assert event["UID"] == uid and event["STATUS"] == "CANCELLED"


def test_cancelling_from_the_agenda_frees_the_seats_and_emails_both(client, booked):
    me, other, meeting = booked
    signin(client, me.attendee)
    assert client.post(reverse("networking:meeting-cancel", args=[meeting.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled" and meeting.cancelled_by == me
    assert not meeting.seats.filter(is_active=True).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([me.attendee.email, other.attendee.email])
    assert "cancelada" in mail.outbox[0].subject


def test_someone_else_cannot_cancel_my_meeting(client, booked, edition):
    _, _, meeting = booked
    stranger = ParticipantFactory(event=edition.event)
    signin(client, stranger.attendee)
    assert client.post(reverse("networking:meeting-cancel", args=[meeting.pk])).status_code == 404
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=meeting, by=stranger)


def test_an_accepted_request_can_be_booked_into_a_time_both_are_free(client, edition):
    buyer = ParticipantFactory(event=edition.event, role="hospital")
    seller = ParticipantFactory(event=edition.event, role="manufacturer")
    seller.availability.set(edition.slots[3:])
    request = MeetingRequest.objects.create(event=edition.event, sender=buyer, recipient=seller, status="accepted")
    signin(client, buyer.attendee)
    page = client.get(reverse("networking:request-book", args=[request.pk])).content.decode()
    assert f'value="{edition.slots[3].pk}"' in page and f'value="{edition.slots[0].pk}"' not in page
    response = client.post(reverse("networking:request-book", args=[request.pk]), {"slot": edition.slots[3].pk})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == "published" and meeting.slot == edition.slots[3] and meeting.request == request
    assert set(meeting.participants.all()) == {buyer, seller}


def test_booking_a_slot_where_every_table_is_taken_says_so(edition):
    for table in edition.tables:
        MeetingFactory(event=edition.event, slot=edition.slots[0], table=table,
                       between=ParticipantFactory.create_batch(2, event=edition.event))  # fmt: skip
    buyer, seller = ParticipantFactory.create_batch(2, event=edition.event)
    request = MeetingRequest.objects.create(event=edition.event, sender=buyer, recipient=seller, status="accepted")
    with pytest.raises(ValidationError, match="Todas las mesas están ocupadas"):
        meeting_book(request=request, slot=edition.slots[0], by=buyer)
    assert Meeting.objects.count() == 2


def test_booking_when_one_side_is_busy_is_refused(booked, edition):
    me, other, _ = booked
    third = ParticipantFactory(event=edition.event)
    request = MeetingRequest.objects.create(event=edition.event, sender=me, recipient=third, status="accepted")
    with pytest.raises(ValidationError, match="ya tiene una cita"):
        meeting_book(request=request, slot=edition.slots[1], by=third)


def test_calendar_apps_subscribe_with_a_signed_url_without_signing_in(client, booked):
    me, other, meeting = booked
    signin(client, me.attendee)
    page = client.get(reverse("networking:agenda")).content.decode()
    feed = re.search(r'value="(https?://[^"]+/b2b/calendario/[^"]+\.ics)"', page).group(1)
    client.logout()
    path = feed.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert "Jorge Ramírez" in response.content.decode()
    token = path.rsplit("/", 1)[1][: -len(".ics")]
    signature, _, profile_id = token.rpartition("-")
    assert client.get(reverse("networking:agenda-feed", args=[f"{signature}-{other.pk}"])).status_code == 404
    altered = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert client.get(reverse("networking:agenda-feed", args=[f"{altered}-{profile_id}"])).status_code == 404
