"""Fault: the same thing arrives twice. A form double-clicked (two POSTs of one browser at the same
moment), the same badge read at the same moment by two devices, an offline scanner syncing its
queue twice: one effect each (one record, one seat, one email, one webhook).

Covered elsewhere, not repeated here (the README's "Faults" lists them): an API POST retried with
the same Idempotency-Key, one after the other and six at once (tests/exhibitors/test_exhibitor_api.py),
and after its first try was cut off from the database (tests/faults/test_database_dropped.py); one
badge at once on six phones of a booth (tests/exhibitors/test_portal.py); the same offline room
scan sent twice (tests/program/test_room_scans.py); one email registering from many requests at
once (tests/registration/test_registration_concurrency.py); one person enrolling from many tabs
(tests/program/test_concurrency.py) and booked twice at once (tests/networking/test_concurrency.py).
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exhibitors.models import Lead, WebhookDelivery
from exhibitors.services import webhook_endpoint_create
from expo.mail.models import OutboxEmail
from expo.program.models import Enrollment
from expo.registration.badges import attendee_badge_code
from expo.registration.models import Attendee, BadgeScan, PassType
from networking.models import MeetingRequest
from tests.exhibitors.conftest import visitor as exhibitor_visitor
from tests.exhibitors.test_portal import portal_user
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ExhibitorFactory,
    ParticipantFactory,
    PassTypeFactory,
    TermFactory,
)
from tests.networking.conftest import signin
from tests.networking.test_concurrency import run_together
from tests.program.conftest import program_make, visitor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def same_browser(client: Client) -> Client:
    """A second client with the first one's cookies: the second click of a double click."""
    twin = Client()
    twin.cookies = client.cookies
    return twin


def double_click(client: Client, url: str, data: dict) -> list:
    """Two POSTs of one browser at the same moment; what each answered (status, where it led)."""
    answers = run_together(*[lambda c=c: c.post(url, data) for c in (client, same_browser(client))])
    assert all(kind == "ok" for kind, _ in answers), answers
    return [(response.status_code, response.get("Location", "")) for _, response in answers]


def test_a_double_clicked_registration_is_one_registration_one_seat_and_one_email():
    event = EventFactory()
    pass_type = PassTypeFactory(event=event, capacity=10)
    state = TermFactory(vocabulary="state", slug="jalisco")
    form = {"pass_type": pass_type.pk, "first_name": "Rosa", "last_name": "Díaz", "email": "rosa@clinica.mx",
            "organization_kind": "hospital", "country": "MX", "state": state.pk, "privacy_accepted": "on"}  # fmt: skip
    client = Client()
    client.get(reverse("registration:register"))
    answers = double_click(client, reverse("registration:register"), form)
    assert answers == [(302, reverse("registration:done"))] * 2  # both clicks land on "check your email"
    assert Attendee.objects.count() == 1 and PassType.objects.get().registered_count == 1
    # One click, one email: the confirmation (it carries the sign-in link), no second "here is your link".
    assert list(OutboxEmail.objects.values_list("template", flat=True)) == ["registration/email/confirmed"]


def test_a_double_clicked_workshop_enrollment_takes_one_seat_and_sends_one_email():
    program = program_make(seats=3)
    person = visitor(program)
    client = Client()
    signin(client, person)
    answers = double_click(client, reverse("program:session-enroll", args=[program.workshop.pk]), {})
    assert [status for status, _ in answers] == [302, 302]
    assert Enrollment.objects.filter(attendee=person).count() == 1
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 1
    assert OutboxEmail.objects.filter(to=person.email).count() == 1


def test_a_double_clicked_b2b_request_is_one_request_and_one_email_to_the_recipient(edition):
    buyer = ParticipantFactory(event=edition.event, role="hospital")
    seller = ParticipantFactory(event=edition.event, role="manufacturer")
    client = Client()
    signin(client, buyer.attendee)
    answers = double_click(client, reverse("networking:request-send", args=[seller.pk]), {"message": "Hola"})
    assert [status for status, _ in answers] == [302, 302]  # a page with a message each, never an error page
    assert MeetingRequest.objects.count() == 1
    assert OutboxEmail.objects.filter(to=seller.attendee.email).count() == 1


def door_staff(name: str) -> Client:
    user = User.objects.create_user(name, password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_badgescan"))
    client = Client()
    client.force_login(user)
    return client


def test_one_badge_read_at_the_same_moment_at_two_doors_is_one_check_in():
    event = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate() + timedelta(days=2))
    code = attendee_badge_code(AttendeeFactory(event=event))
    doors = [door_staff("puerta-norte"), door_staff("puerta-sur")]
    answers = run_together(*[lambda door=door, gate=gate: door.post(reverse("registration:checkin-scan"),
                                                                      {"code": code, "gate": gate}).json()
                             for door, gate in zip(doors, ("Norte", "Sur"), strict=True)])  # fmt: skip
    outcomes = sorted(answer["outcome"] for kind, answer in answers if kind == "ok")
    assert outcomes == ["already", "ok"] and all(answer["admitted"] for _, answer in answers)
    assert BadgeScan.objects.count() == 1


def test_an_offline_door_scanner_syncing_its_queue_twice_checks_each_badge_in_once_at_the_time_read():
    event = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate() + timedelta(days=2))
    people = AttendeeFactory.create_batch(3, event=event)
    read_at = (timezone.now() - timedelta(minutes=30)).replace(microsecond=0)
    queue = [{"code": attendee_badge_code(p), "gate": "Norte", "scanned_at": read_at.isoformat()} for p in people]
    door = door_staff("puerta-norte")
    first = [door.post(reverse("registration:checkin-scan"), scan).json()["outcome"] for scan in queue]
    # The answers were lost on the way back (the network dropped again): the scanner sends it all again.
    again = [door.post(reverse("registration:checkin-scan"), scan).json() for scan in queue]
    assert first == ["ok"] * 3 and [a["outcome"] for a in again] == ["already"] * 3
    assert all(a["admitted"] for a in again)
    assert BadgeScan.objects.count() == 3 and set(BadgeScan.objects.values_list("scanned_at", flat=True)) == {read_at}


def test_an_offline_booth_scanner_syncing_twice_captures_one_lead_and_one_webhook_at_the_time_read():
    event = EventFactory(start_date=timezone.localdate(), end_date=timezone.localdate() + timedelta(days=2))
    exhibitor = ExhibitorFactory(event=event)
    webhook_endpoint_create(exhibitor=exhibitor, url="https://crm.example.com/hooks/expo")
    phone = Client()
    phone.force_login(portal_user(exhibitor))
    read_at = (timezone.now() - timedelta(minutes=20)).replace(microsecond=0)
    scan = {"code": attendee_badge_code(exhibitor_visitor(event, consent=True)), "scanned_at": read_at.isoformat()}
    url = reverse("exhibitors:portal-scan-capture")
    outcomes = [phone.post(url, scan).json()["outcome"] for _ in range(2)]
    assert outcomes == ["ok", "already"]
    assert Lead.objects.get().created_at == read_at and WebhookDelivery.objects.count() == 1
