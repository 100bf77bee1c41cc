"""The audit trail: who changed registrations, meetings, tokens... and when, whatever the door,
visible per object in the admin."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from exhibitors.models import ApiToken
from expo.dashboard import roles
from expo.registration.models import Attendee
from tests.conftest import login_verified

from .conftest import member

pytestmark = pytest.mark.django_db


def test_an_admin_action_is_logged_with_its_actor_and_shown_on_the_object(client, organizer, fair):
    attendee = Attendee.objects.filter(event=fair.event, status=Attendee.Status.CONFIRMED).first()
    login_verified(client, organizer)
    client.post(reverse("admin:registration_attendee_changelist"),
                {"action": "cancel_registrations", "_selected_action": [attendee.pk]})  # fmt: skip
    entry = LogEntry.objects.get_for_object(attendee).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == organizer
    assert entry.changes_dict["status"] == ["confirmed", "cancelled"]
    change_page = client.get(reverse("admin:registration_attendee_change", args=[attendee.pk])).content.decode()
    audit = reverse("admin:audit", args=[ContentType.objects.get_for_model(Attendee).pk, attendee.pk])
    assert audit in change_page
    page = client.get(audit).content.decode()
    table = page[page.find("audit-log") :]
    assert organizer.username in table and "Cancelado" in table, table[:1500]


def test_changes_without_a_person_are_logged_as_the_platform(fair):
    meeting = fair.event.meetings.first()
    meeting.is_locked = True
    meeting.save()
    entry = LogEntry.objects.get_for_object(meeting).latest("timestamp")
    assert entry.actor is None and entry.changes_dict["is_locked"] == [False, True]


def test_token_secrets_never_reach_the_log(fair):
    from tests.factories import ExhibitorFactory

    token = ApiToken.objects.create(exhibitor=ExhibitorFactory(event=fair.event), name="CRM", prefix="abc123",
                                    key_hash=ApiToken.digest("s3cret-value"), scopes=["leads:read"])  # fmt: skip
    entry = LogEntry.objects.get_for_object(token).get()
    assert ApiToken.digest("s3cret-value") not in str(entry.changes)


def test_someone_who_cannot_see_the_object_cannot_read_its_log(client, fair):
    attendee = fair.event.attendees.first()
    client.force_login(member(roles.PROGRAM_MANAGER))
    url = reverse("admin:audit", args=[ContentType.objects.get_for_model(Attendee).pk, attendee.pk])
    assert client.get(url).status_code == 403
