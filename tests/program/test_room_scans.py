"""Room scans: entry and exit at a session's door, idempotent, with clear refusals."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from expo.program import services
from expo.program.models import Attendance, RoomScan
from expo.registration.badges import attendee_badge_code
from tests.factories import RoomFactory, SessionFactory

from .conftest import visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_user("sala", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_roomscan"))
    client.force_login(user)
    return user


def _scan(client, person, session, direction="in", **extra):
    data = {"code": attendee_badge_code(person), "direction": direction, "session": session.pk, **extra}
    return client.post(reverse("program:room-scan"), data)


def test_entry_and_exit_add_up_the_time_present(client, staff, program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    start = program.workshop.start
    body = _scan(client, person, program.workshop, "in", scanned_at=(start - timedelta(minutes=5)).isoformat()).json()
    assert body["admitted"] and body["outcome"] == "in" and body["name"] == person.full_name
    body = _scan(
        client, person, program.workshop, "out", scanned_at=(start + timedelta(minutes=150)).isoformat()
    ).json()
    assert body["outcome"] == "out" and "150 min" in body["message"]
    attendance = Attendance.objects.get(attendee=person)
    assert attendance.present_seconds == 150 * 60 and float(attendance.share) == pytest.approx(0.8333, abs=1e-4)


def test_the_same_offline_scan_sent_twice_is_recorded_once(client, staff, program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    when = (program.workshop.start + timedelta(minutes=1)).isoformat()
    assert _scan(client, person, program.workshop, scanned_at=when).json()["outcome"] == "in"
    assert _scan(client, person, program.workshop, scanned_at=when).json()["outcome"] == "already"
    assert RoomScan.objects.count() == 1


def test_scan_far_outside_the_window_is_refused(client, staff, program):
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    body = _scan(client, person, program.workshop, scanned_at=(program.workshop.end + timedelta(hours=2)).isoformat())
    assert body.json()["outcome"] == "outside_window" and not body.json()["admitted"]
    assert "Fuera del horario de la sesión" in body.json()["message"]
    assert not RoomScan.objects.exists()


def test_visitor_enrolled_in_another_room_is_told_wrong_room(client, staff, program):
    person = visitor(program)
    other = SessionFactory(event=program.event, title="Taller de FMEA", kind="workshop", enrollment_required=True,
                           capacity=10, start=program.workshop.start, end=program.workshop.end,
                           room=RoomFactory(name_es="Aula 7"))  # fmt: skip
    services.enrollment_create(attendee=person, session=other)
    body = _scan(client, person, program.workshop, scanned_at=program.workshop.start.isoformat()).json()
    assert body["outcome"] == "wrong_room" and "Taller de FMEA" in body["message"] and "Aula 7" in body["message"]


def test_not_enrolled_in_a_workshop_is_refused(client, staff, program):
    body = _scan(client, visitor(program), program.workshop, scanned_at=program.workshop.start.isoformat()).json()
    assert body["outcome"] == "not_enrolled"


def test_room_mode_finds_the_session_under_way(client, staff, program):
    person = visitor(program)
    at = program.talk.start + timedelta(minutes=5)
    body = client.post(reverse("program:room-scan"), {
        "code": attendee_badge_code(person), "direction": "in", "room": program.talk.room_id,
        "scanned_at": at.isoformat()}).json()  # fmt: skip
    assert body["outcome"] == "in" and body["session"] == "Regulación COFEPRIS"


def test_forged_badge_is_refused(client, staff, program):
    person = visitor(program)
    code = attendee_badge_code(person)[:-4] + "AAAA"
    body = client.post(reverse("program:room-scan"), {"code": code, "direction": "in", "session": program.talk.pk})
    assert body.json()["outcome"] == "invalid"


def test_scanner_page_needs_the_permission(client, program):
    user = User.objects.create_user("otro", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("program:room-scanner")).status_code == 403


def test_scanner_page_preselects_the_current_session_of_the_room(client, staff, program):
    html = client.get(reverse("program:room-scanner"), {"sala": program.talk.room_id}).content.decode()
    assert 'id="scan-form"' in html and 'data-queue="expo-room-queue"' in html
    assert 'data-keys="badge-public-keys"' in html  # public keys only, as the door page
    assert f'name="room" value="{program.talk.room_id}"' in html
