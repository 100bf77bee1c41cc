"""A cancelled (or deleted) registration cancels the person's B2B meetings and tells the other side.

Networking registers its handler with expo.registration (registration cannot import networking).
"""

import icalendar
import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from expo.registration.models import Attendee
from expo.registration.services import registration_cancel
from networking.models import Meeting, MeetingRequest
from tests.conftest import login_verified
from tests.factories import MeetingFactory, MeetingRequestFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair(edition):
    me = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía",
                            attendee__email="lucia@hospital.mx")  # fmt: skip
    other = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge",
                               attendee__email="jorge@fabrica.mx")  # fmt: skip
    meeting = MeetingFactory(event=edition.event, slot=edition.slots[1], table=edition.tables[0], between=(me, other))
    draft = MeetingFactory(event=edition.event, slot=edition.slots[2], table=edition.tables[0], between=(me, other),
                           status=Meeting.Status.DRAFT)  # fmt: skip
    third = ParticipantFactory(event=edition.event, role="distributor")
    request = MeetingRequestFactory(event=edition.event, sender=third, recipient=me)
    return me, other, meeting, draft, request


def test_cancelling_a_registration_cancels_meetings_and_tells_the_other_side(pair):
    me, other, meeting, draft, request = pair
    mail.outbox.clear()
    registration_cancel(attendee=me.attendee)
    meeting.refresh_from_db()
    draft.refresh_from_db()
    assert meeting.status == draft.status == Meeting.Status.CANCELLED
    assert not meeting.seats.filter(is_active=True).exists()
    assert MeetingRequest.objects.get(pk=request.pk).status == MeetingRequest.Status.WITHDRAWN
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Jorge hears about the published meeting (not the draft, which he never saw); Lucía gets one
    # email, the cancellation of her registration, not one per meeting.
    assert recipients == ["jorge@fabrica.mx", "lucia@hospital.mx"]
    jorge = next(m for m in mail.outbox if m.to == ["jorge@fabrica.mx"])
    assert "cancel" in jorge.subject.lower() and "Lucía" in jorge.body


def test_the_other_sides_calendar_shows_the_meeting_cancelled(client, pair):
    me, other, meeting, *_ = pair
    registration_cancel(attendee=me.attendee)
    from tests.networking.conftest import signin

    signin(client, other.attendee)
    calendar = icalendar.Calendar.from_ical(client.get(reverse("networking:agenda-ics")).content)
    statuses = [str(e.get("STATUS")) for e in calendar.walk("VEVENT")]
    assert statuses and set(statuses) == {"CANCELLED"}  # nothing left looking confirmed


def test_a_handler_that_fails_rolls_the_cancellation_back(pair, monkeypatch):
    me, *_ = pair

    def broken(**kwargs):
        raise RuntimeError("workshop seats unavailable")

    from expo.registration import cancellation

    monkeypatch.setitem(cancellation._handlers, "broken", broken)
    with pytest.raises(RuntimeError):
        registration_cancel(attendee=me.attendee)
    assert Attendee.objects.get(pk=me.attendee.pk).status == Attendee.Status.CONFIRMED
    assert Meeting.objects.filter(status=Meeting.Status.PUBLISHED).count() == 1


def test_admin_delete_of_a_participant_cancels_their_meetings_first(client, pair):
    me, other, meeting, *_ = pair
    login_verified(client, User.objects.create_superuser("org", password="x"))
    url = reverse("admin:registration_attendee_delete", args=[me.attendee.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Attendee.objects.filter(pk=me.attendee.pk).exists()
    assert any(m.to == ["jorge@fabrica.mx"] for m in mail.outbox)
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CANCELLED
