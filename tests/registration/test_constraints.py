"""Rules that the database itself enforces, whoever writes."""

import pytest
from django.db import IntegrityError, transaction

from expo.registration.models import BadgeScan, PassType
from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory

pytestmark = pytest.mark.django_db


def test_one_registration_per_email_per_edition_whatever_the_case():
    attendee = AttendeeFactory(email="ana@hospital.mx")
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendeeFactory(event=attendee.event, pass_type=attendee.pass_type, email="ANA@Hospital.mx")
    AttendeeFactory(email="ana@hospital.mx", event=EventFactory())  # another edition is fine


def test_pass_type_counter_cannot_exceed_capacity():
    pass_type = PassTypeFactory(capacity=2)
    PassType.objects.filter(pk=pass_type.pk).update(registered_count=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PassType.objects.filter(pk=pass_type.pk).update(registered_count=3)


def test_door_check_in_counts_once_per_day():
    attendee = AttendeeFactory()
    day = attendee.event.start_date
    BadgeScan.objects.create(event=attendee.event, attendee=attendee, day=day)
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeScan.objects.create(event=attendee.event, attendee=attendee, day=day)
