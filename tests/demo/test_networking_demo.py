"""The demo edition comes with B2B meeting requests, made once."""

import pytest
from django.core.management import call_command

from networking.models import MeetingRequest

pytestmark = pytest.mark.django_db


def test_demo_edition_has_meeting_requests_and_a_second_run_adds_none():
    call_command("seed_demo", visitors=600, stdout=open("/dev/null", "w"))
    first = set(MeetingRequest.objects.values_list("sender_id", "recipient_id", "status"))
    assert first and {status for *_, status in first} <= {"accepted", "pending", "declined"}
    call_command("seed_demo", visitors=600, stdout=open("/dev/null", "w"))
    assert set(MeetingRequest.objects.values_list("sender_id", "recipient_id", "status")) == first
