"""No double booking, enforced by the database: one meeting per participant and per table per slot."""

import pytest
from django.db import IntegrityError, transaction

from networking.models import Meeting, MeetingSeat
from tests.factories import EventFactory, ProfileFactory, SlotFactory, TableFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    event = EventFactory()
    slot = SlotFactory(event=event)
    tables = [TableFactory(space__event=event), TableFactory(space__event=event)]
    people = ProfileFactory.create_batch(3, event=event)
    return event, slot, tables, people


def book(event, slot, table, *profiles, status="published"):
    meeting = Meeting.objects.create(event=event, slot=slot, table=table, status=status)
    for profile in profiles:
        MeetingSeat.objects.create(meeting=meeting, profile=profile, slot=slot)
    return meeting


def test_a_participant_cannot_have_two_meetings_in_a_slot(setup):
    event, slot, (t1, t2), (a, b, c) = setup
    book(event, slot, t1, a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        book(event, slot, t2, a, c)


def test_a_table_cannot_host_two_meetings_in_a_slot(setup):
    event, slot, (t1, _), (a, b, c) = setup
    book(event, slot, t1, a, b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(event=event, slot=slot, table=t1, status="published")


def test_a_cancelled_meeting_frees_the_table_and_the_people(setup):
    event, slot, (t1, _), (a, b, c) = setup
    meeting = book(event, slot, t1, a, b)
    meeting.status = Meeting.Status.CANCELLED
    meeting.save()
    meeting.seats.update(is_active=False)
    book(event, slot, t1, a, c)
