"""Every admin path that changes a registration's pass or status goes through the services, so the
seat counter, the waitlist and the emails stay true (a pass of 526 once ended with 530 confirmed)."""

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from expo.registration.models import Attendee, PassType
from expo.registration.services import registration_create
from tests.conftest import login_verified
from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_client(client):
    login_verified(client, User.objects.create_superuser("org", password="x"))
    return client


@pytest.fixture
def event():
    return EventFactory()


def register(event, pass_type, n):
    return registration_create(event=event, pass_type=pass_type, email=f"p{n}@x.mx", first_name="P", last_name=str(n),
                               privacy_accepted=True).attendee  # fmt: skip


def confirmed(pass_type):
    return Attendee.objects.filter(pass_type=pass_type, status="confirmed").count()


def changelist_action(client, action, attendees, **extra):
    return client.post(reverse("admin:registration_attendee_changelist"),
                       {"action": action, "_selected_action": [a.pk for a in attendees], **extra})  # fmt: skip


def test_change_form_cannot_edit_pass_or_status(admin_client, event):
    attendee = AttendeeFactory(event=event)
    other = PassTypeFactory(event=event, capacity=0)
    url = reverse("admin:registration_attendee_change", args=[attendee.pk])
    data = {"email": attendee.email, "first_name": "Ana", "last_name": "Ruiz", "organization_kind": "other",
            "country": "MX", "language": "es-mx", "pass_type": other.pk, "status": "waitlisted"}  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    attendee.refresh_from_db()
    assert attendee.pass_type_id != other.pk and attendee.status == "confirmed" and attendee.first_name == "Ana"


def test_change_pass_action_moves_the_seat_and_refuses_a_full_pass(admin_client, event):
    small = PassTypeFactory(event=event, slug="small", capacity=1)
    big = PassTypeFactory(event=event, slug="big", capacity=5)
    first, second = register(event, small, 1), register(event, small, 2)  # second waits
    assert second.status == "waitlisted"
    page = changelist_action(admin_client, "change_pass", [first])
    assert page.status_code == 200 and f'value="{big.pk}"' in page.content.decode()  # the choice of pass
    changelist_action(admin_client, "change_pass", [first], apply="1", pass_type=big.pk)
    small.refresh_from_db(), big.refresh_from_db()
    # The freed seat on `small` went to the waitlist, in order.
    assert Attendee.objects.get(pk=second.pk).status == "confirmed"
    assert (small.registered_count, big.registered_count) == (1, 1) == (confirmed(small), confirmed(big))
    big.capacity = 1
    big.save()
    changelist_action(admin_client, "change_pass", [second], apply="1", pass_type=big.pk)
    assert Attendee.objects.get(pk=second.pk).pass_type_id == small.pk  # big is full: refused, nothing moved


def test_confirm_action_takes_a_seat_and_never_oversells(admin_client, event):
    pass_type = PassTypeFactory(event=event, capacity=2)
    attendees = [register(event, pass_type, n) for n in range(4)]  # 2 confirmed, 2 waiting
    mail.outbox.clear()
    changelist_action(admin_client, "confirm_registrations", attendees[2:])
    pass_type.refresh_from_db()
    assert pass_type.registered_count == confirmed(pass_type) == 2
    PassType.objects.filter(pk=pass_type.pk).update(capacity=3)
    changelist_action(admin_client, "confirm_registrations", attendees[2:])
    pass_type.refresh_from_db()
    assert pass_type.registered_count == confirmed(pass_type) == 3
    assert len(mail.outbox) == 1  # the one confirmed is told


def test_cancel_action_frees_the_seat_for_the_waitlist(admin_client, event):
    pass_type = PassTypeFactory(event=event, capacity=1)
    first, second = register(event, pass_type, 1), register(event, pass_type, 2)
    changelist_action(admin_client, "cancel_registrations", [first])
    pass_type.refresh_from_db()
    assert Attendee.objects.get(pk=second.pk).status == "confirmed"
    assert pass_type.registered_count == confirmed(pass_type) == 1


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_delete_leaves_no_phantom_seat(admin_client, event, how):
    pass_type = PassTypeFactory(event=event, capacity=1)
    first, second = register(event, pass_type, 1), register(event, pass_type, 2)
    if how == "one":
        admin_client.post(reverse("admin:registration_attendee_delete", args=[first.pk]), {"post": "yes"})
    else:
        changelist_action(admin_client, "delete_selected", [first], post="yes")
    pass_type.refresh_from_db()
    assert not Attendee.objects.filter(pk=first.pk).exists()
    assert Attendee.objects.get(pk=second.pk).status == "confirmed"
    assert pass_type.registered_count == confirmed(pass_type) == 1


def test_raising_capacity_in_the_admin_confirms_the_waitlist_in_order(admin_client, event):
    pass_type = PassTypeFactory(event=event, capacity=1)
    attendees = [register(event, pass_type, n) for n in range(4)]
    url = reverse("admin:registration_passtype_change", args=[pass_type.pk])
    data = {"event": event.pk, "slug": pass_type.slug, "name_es": "Visitante", "name_en": "Visitor", "capacity": 3,
            "position": 0, "is_public": "on"}  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    statuses = [Attendee.objects.get(pk=a.pk).status for a in attendees]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    pass_type.refresh_from_db()
    assert pass_type.registered_count == 3
    # A newcomer now waits behind the one still waiting, never jumps the queue.
    assert register(event, pass_type, 9).status == "waitlisted"


def test_capacity_below_the_seats_taken_is_refused_with_a_message(admin_client, event):
    pass_type = PassTypeFactory(event=event, capacity=5)
    for n in range(3):
        register(event, pass_type, n)
    url = reverse("admin:registration_passtype_change", args=[pass_type.pk])
    data = {"event": event.pk, "slug": pass_type.slug, "name_es": "Visitante", "capacity": 2, "position": 0}
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "3" in response.content.decode()
    pass_type.refresh_from_db()
    assert pass_type.capacity == 5


def test_registrations_are_not_added_in_the_admin(admin_client):
    assert admin_client.get(reverse("admin:registration_attendee_add")).status_code == 403
