"""Fixtures of the control-room tests: people in each role, and a small edition with a bit of everything."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from expo.dashboard import roles
from expo.registration.models import Attendee, BadgeScan
from tests.factories import (
    AttendeeFactory,
    ExhibitorFactory,
    MeetingFactory,
    ParticipantFactory,
    PassTypeFactory,
    SessionFactory,
)
from tests.networking.conftest import edition_make


def member(role: str, *, username: str | None = None, staff: bool = True) -> User:
    user = User.objects.create_user(username or role.lower().replace(" ", "-"), f"{role[:4]}@example.mx", "x",
                                    is_staff=staff)  # fmt: skip
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def organizer(db):
    return member(roles.ORGANIZER)


@pytest.fixture
def fair(db):
    """An edition with passes, registrations, a check-in, sessions, exhibitors and B2B meetings."""
    edition = edition_make(day=timezone.localdate() + timedelta(days=30))
    event = edition.event
    visitor = PassTypeFactory(event=event, slug="visitante", capacity=100)
    AttendeeFactory.create_batch(3, event=event, pass_type=visitor)
    AttendeeFactory(event=event, pass_type=visitor, status=Attendee.Status.WAITLISTED)
    first = Attendee.objects.filter(event=event).first()
    BadgeScan.objects.create(event=event, attendee=first, day=timezone.localdate())
    SessionFactory.create_batch(2, event=event)
    ExhibitorFactory.create_batch(2, event=event)
    a = ParticipantFactory(event=event, attendee__last_name="Castillo", attendee__organization_name="Hospital Ángeles")
    b = ParticipantFactory(event=event, attendee__last_name="Pérez", attendee__organization_name="Biomédica del Norte")
    c = ParticipantFactory(event=event)
    MeetingFactory(event=event, slot=edition.slots[0], table=edition.tables[0], between=(a, b))
    MeetingFactory(event=event, slot=edition.slots[1], table=edition.tables[0], between=(b, c))
    edition.people = (a, b, c)
    return edition
