"""Enrollment in workshops: seats, the waitlist, offers of freed seats with a deadline, clashes."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from expo.mail.services import mail_drain
from expo.program import services
from expo.program.models import Enrollment, Session
from expo.program.tasks import enrollment_offers_expire
from expo.registration.services import registration_cancel
from tests.factories import MeetingFactory, ParticipantFactory, SlotFactory
from tests.networking.conftest import signin

from .conftest import local, visitor

pytestmark = pytest.mark.django_db(transaction=True)


def test_full_workshop_puts_visitor_on_waitlist(program):
    first, second, third = (visitor(program) for _ in range(3))
    assert services.enrollment_create(attendee=first, session=program.workshop).status == "enrolled"
    assert services.enrollment_create(attendee=second, session=program.workshop).status == "enrolled"
    late = services.enrollment_create(attendee=third, session=program.workshop)
    assert late.status == "waitlisted"
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 2 and program.workshop.seats_left == 0


def test_enrolling_twice_changes_nothing(program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    services.enrollment_create(attendee=person, session=program.workshop)
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 1
    assert Enrollment.objects.count() == 1


def test_one_enrollment_per_person_per_session_is_a_constraint(program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(attendee=person, session=program.workshop, status="waitlisted")


def test_capacity_is_a_check_constraint(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=program.workshop.pk).update(enrolled_count=3)


def test_freed_seat_is_offered_to_the_first_waiting_with_a_deadline_then_passes_on(program):
    a, b, c, d = (visitor(program, first_name=name) for name in "ABCD")
    for person in (a, b, c, d):
        services.enrollment_create(attendee=person, session=program.workshop)
    mail.outbox.clear()
    at = program.workshop.start - timedelta(days=2)
    services.enrollment_cancel(enrollment=Enrollment.objects.get(attendee=a), at=at)
    offer = Enrollment.objects.get(attendee=c)
    assert offer.status == "offered"
    assert offer.offer_expires_at == at + timedelta(hours=12)  # the edition's default
    assert Enrollment.objects.get(attendee=d).status == "waitlisted"
    mail_drain()
    assert [m.to for m in mail.outbox] == [[c.email]]
    assert "Se liberó un lugar para ti" in mail.outbox[0].subject
    # Nobody answers: past the deadline the periodic task passes the seat to D.
    assert services.enrollment_offers_expire(at=offer.offer_expires_at - timedelta(minutes=1)) == 0
    assert services.enrollment_offers_expire(at=offer.offer_expires_at + timedelta(minutes=1)) == 1
    assert Enrollment.objects.get(attendee=c).status == "expired"
    assert Enrollment.objects.get(attendee=d).status == "offered"
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 2


def test_offer_deadline_never_passes_the_start(program):
    a, b = visitor(program), visitor(program)
    services.enrollment_create(attendee=a, session=program.workshop)
    services.enrollment_create(attendee=b, session=program.workshop)
    c = visitor(program)
    services.enrollment_create(attendee=c, session=program.workshop)
    program.workshop.capacity = 2
    at = program.workshop.start - timedelta(hours=1)
    services.enrollment_cancel(enrollment=Enrollment.objects.get(attendee=a), at=at)
    assert Enrollment.objects.get(attendee=c).offer_expires_at == program.workshop.start


def test_accepting_in_time_enrolls_and_late_is_refused(program):
    a, b, c = (visitor(program) for _ in range(3))
    for person in (a, b, c):
        services.enrollment_create(attendee=person, session=program.workshop)
    services.enrollment_cancel(enrollment=Enrollment.objects.get(attendee=a))
    offer = Enrollment.objects.get(attendee=c)
    with pytest.raises(ValidationError):
        services.enrollment_offer_accept(enrollment=offer, at=offer.offer_expires_at)
    assert services.enrollment_offer_accept(enrollment=offer).status == "enrolled"


def test_periodic_task_expires_offers(program, monkeypatch):
    a, b, c = (visitor(program) for _ in range(3))
    for person in (a, b, c):
        services.enrollment_create(attendee=person, session=program.workshop)
    services.enrollment_cancel(enrollment=Enrollment.objects.get(attendee=a))
    Enrollment.objects.filter(attendee=c).update(offer_expires_at=program.workshop.start - timedelta(days=40))
    assert enrollment_offers_expire.delay().get() == 1
    assert Enrollment.objects.get(attendee=c).status == "expired"


def test_clash_with_a_saved_session_asks_first(client, program):
    person = visitor(program)
    services.saved_session_add(attendee=person, session=program.talk)
    signin(client, person)
    url = reverse("program:session-enroll", args=[program.workshop.pk])
    response = client.post(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Se cruza con tu agenda" in html and "Regulación COFEPRIS" in html
    assert not Enrollment.objects.exists()
    client.post(url, {"confirm": "1"})
    assert Enrollment.objects.get().status == "enrolled"


def test_clash_with_a_b2b_meeting_is_found(program):
    participant = ParticipantFactory(event=program.event)
    slot = SlotFactory(event=program.event, start=local(program.event.start_date, 11),
                       end=local(program.event.start_date, 11, 20))  # fmt: skip
    other = ParticipantFactory(event=program.event)
    MeetingFactory(event=program.event, slot=slot, between=[participant, other])
    participant.attendee.pass_type.includes_training = True
    with pytest.raises(services.EnrollmentClash) as clash:
        services.enrollment_create(attendee=participant.attendee, session=program.workshop)
    assert clash.value.clashes[0].kind == "meeting"


def test_waitlisted_registration_cannot_enroll(program):
    person = visitor(program, status="waitlisted")
    with pytest.raises(ValidationError):
        services.enrollment_create(attendee=person, session=program.workshop)


def test_capacity_raised_in_the_service_offers_seats_to_the_waitlist(program):
    people = [visitor(program) for _ in range(3)]
    for person in people:
        services.enrollment_create(attendee=person, session=program.workshop)
    previous = Session.objects.select_related("room").get(pk=program.workshop.pk)
    program.workshop.capacity = 3
    services.session_save(session=program.workshop, previous=previous)
    assert Enrollment.objects.get(attendee=people[2]).status == "offered"


def test_capacity_under_the_seats_taken_is_refused(program):
    for person in (visitor(program), visitor(program)):
        services.enrollment_create(attendee=person, session=program.workshop)
    previous = Session.objects.select_related("room").get(pk=program.workshop.pk)
    program.workshop.capacity = 1
    with pytest.raises(ValidationError):
        services.session_save(session=program.workshop, previous=previous)


def test_cancelled_registration_releases_its_seats(program):
    a, b, c = (visitor(program) for _ in range(3))
    for person in (a, b, c):
        services.enrollment_create(attendee=person, session=program.workshop)
    assert services.enrollments_release_for(attendee=a) == 1
    assert Enrollment.objects.get(attendee=c).status == "offered"


def test_cancelling_a_registration_frees_its_workshop_seat_for_the_next_in_line(program):
    a, b, c = (visitor(program) for _ in range(3))
    for person in (a, b, c):
        services.enrollment_create(attendee=person, session=program.workshop)
    registration_cancel(attendee=a)  # from "My registration", the admin or the desk: the same service
    assert Enrollment.objects.get(attendee=a).status == "cancelled"
    assert Enrollment.objects.get(attendee=c).status == "offered"
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 2  # b, and the seat held for c's offer
