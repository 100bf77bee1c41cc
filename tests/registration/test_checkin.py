"""Door check-in: the service, the scanner endpoint and its permissions."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.registration.badges import attendee_badge_code
from expo.registration.models import BadgeScan
from expo.registration.services import checkin_scan, registration_cancel
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee():
    return AttendeeFactory(first_name="Raúl", last_name="Medina", organization_name="Hospital Civil")


def test_first_scan_admits_second_says_already_with_time(attendee):
    code = attendee_badge_code(attendee)
    first = checkin_scan(event=attendee.event, code=code, gate="Norte")
    second = checkin_scan(event=attendee.event, code=code, gate="Sur")
    assert first.outcome == "ok" and first.admitted
    assert second.outcome == "already" and second.admitted
    assert second.first_scan_at == first.first_scan_at
    assert BadgeScan.objects.get().gate == "Norte"


def test_next_day_counts_again(attendee):
    code = attendee_badge_code(attendee)
    day = attendee.event.start_date
    assert checkin_scan(event=attendee.event, code=code, day=day).outcome == "ok"
    assert checkin_scan(event=attendee.event, code=code, day=day + timedelta(days=1)).outcome == "ok"
    assert BadgeScan.objects.count() == 2


def test_forged_cancelled_and_foreign_badges_are_refused(attendee):
    code = attendee_badge_code(attendee)
    # The signature's end changed (a code ending in "AA" already, one badge in 1,024, gets "BA").
    forged = code[:-2] + ("AA" if code[-2:] != "AA" else "BA")
    assert checkin_scan(event=attendee.event, code=forged).outcome == "invalid"
    assert checkin_scan(event=EventFactory(), code=code).outcome == "other_event"
    registration_cancel(attendee=attendee)
    result = checkin_scan(event=attendee.event, code=code)
    assert result.outcome == "cancelled" and not result.admitted
    assert BadgeScan.objects.count() == 0


@pytest.fixture
def door_staff(client):
    user = User.objects.create_user("puerta", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_badgescan"))
    client.force_login(user)
    return user


def test_scanner_endpoint_answers_with_name_and_pass(client, door_staff, attendee):
    response = client.post(
        reverse("registration:checkin-scan"), {"code": attendee_badge_code(attendee), "gate": "Norte"}
    )
    body = response.json()
    assert body["admitted"] is True and body["name"] == "Raúl Medina" and body["organization"] == "Hospital Civil"
    # Neither "¡Bienvenido!" nor "¡Bienvenida!": a neutral greeting fits every visitor.
    assert body["message"] == "Acceso registrado" and body["today"] == 1 and body["today_display"] == "1"
    again = client.post(reverse("registration:checkin-scan"), {"code": attendee_badge_code(attendee)}).json()
    assert again["outcome"] == "already" and "primera lectura" in again["message"]
    assert client.post(reverse("registration:checkin-scan"), {"code": "EXPO1.1.2.XYZ"}).json()["admitted"] is False


def test_a_scan_takes_the_same_queries_however_many_check_ins(client, door_staff, attendee):
    others = AttendeeFactory.create_batch(12, event=attendee.event)

    def scan(who):
        code = attendee_badge_code(who)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(reverse("registration:checkin-scan"), {"code": code}).json()["admitted"]
        return [q["sql"] for q in queries]

    first = scan(others[0])
    for other in others[1:10]:
        checkin_scan(event=attendee.event, code=attendee_badge_code(other))
    # The session is read from the cache. 1 the user, with "has an authenticator app? is an
    # organizer?" (two-step sign-in, optional for door staff) and their permissions (own and groups'),
    # 2 current edition and 3 the edition's valid badge keys (then both from the cache), 4 the
    # registration with its pass, 5-7 the insert (in a savepoint here, as the test runs in a
    # transaction; one statement in production), 8 today's count, read once: then a counter in the cache.
    assert len(first) == 8, first
    assert len(scan(others[10])) == 5
    # A repeat scan: the insert is refused by the unique constraint (rolled back to its savepoint) and
    # the first scan is read back; nothing more is written.
    scans = BadgeScan.objects.count()
    repeat = scan(others[10])
    assert len(repeat) == 7 and any(sql.startswith("ROLLBACK TO SAVEPOINT") for sql in repeat), repeat
    assert repeat[-1].startswith('SELECT "registration_badgescan"."scanned_at"')
    assert BadgeScan.objects.count() == scans


def test_todays_count_follows_every_scan_without_counting_again(client, door_staff, attendee,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    others = AttendeeFactory.create_batch(3, event=attendee.event)
    todays = []
    for person in [attendee, *others, attendee]:  # the last one again: already in, not counted twice
        with django_capture_on_commit_callbacks(execute=True):
            body = client.post(reverse("registration:checkin-scan"), {"code": attendee_badge_code(person)}).json()
        todays.append((body["outcome"], body["today"]))
    assert todays == [("ok", 1), ("ok", 2), ("ok", 3), ("ok", 4), ("already", 4)], todays
    assert BadgeScan.objects.count() == 4


def test_scanner_page_shows_check_ins_per_day(client, door_staff, attendee):
    checkin_scan(event=attendee.event, code=attendee_badge_code(attendee), day=attendee.event.start_date)
    response = client.get(reverse("registration:checkin"))
    assert response.status_code == 200
    assert response.context["counts"] == [{"day": attendee.event.start_date, "count": 1}]
    assert "jsQR.js" in response.content.decode()


def test_scanner_needs_door_staff(client, attendee):
    assert client.post(reverse("registration:checkin-scan"), {"code": "x"}).status_code == 302  # to the admin sign-in
    User.objects.create_user("visitor", password="x", is_staff=True)
    client.login(username="visitor", password="x")
    assert client.post(reverse("registration:checkin-scan"), {"code": "x"}).status_code == 403


def test_door_page_is_never_stored_and_holds_public_keys_only(client, door_staff, attendee):
    from expo.registration.models import BadgeKey

    attendee_badge_code(attendee)
    response = client.get(reverse("registration:checkin"))
    assert "no-store" in response["Cache-Control"]
    key = BadgeKey.objects.get()
    html = response.content.decode()
    assert key.public_key in html and key.sealed_private_key not in html


def test_short_code_typed_at_the_door_checks_in(client, door_staff, attendee):
    from expo.registration.badges import short_code_display

    body = client.post(reverse("registration:checkin-scan"), {"code": short_code_display(attendee.badge_code).lower()})
    assert body.json()["admitted"] is True and body.json()["name"] == "Raúl Medina"


def test_door_search_finds_by_name_email_or_organization(client, door_staff, attendee):
    AttendeeFactory(event=attendee.event, first_name="Otra", last_name="Persona", organization_name="IMSS")
    url = reverse("registration:checkin-search")
    for query in ("raúl medina", "Hospital civil", attendee.email.upper()):
        results = client.get(url, {"q": query}).json()["results"]
        assert [r["name"] for r in results] == ["Raúl Medina"], query
    assert client.get(url, {"q": "x"}).json()["results"] == []  # too short to search
    hit = client.get(url, {"q": "medina"}).json()["results"][0]
    assert hit["code"] == attendee.badge_code and hit["confirmed"] is True


def test_door_search_needs_door_staff(client, attendee):
    User.objects.create_user("visitor", password="x", is_staff=True)
    client.login(username="visitor", password="x")
    assert client.get(reverse("registration:checkin-search"), {"q": "medina"}).status_code == 403


def test_an_ended_edition_refuses_door_scans_but_keeps_offline_scans_made_during_it(attendee):
    from datetime import datetime, time

    from django.utils import timezone

    event = attendee.event
    event.start_date = timezone.localdate() - timedelta(days=5)
    event.end_date = timezone.localdate() - timedelta(days=3)
    event.save()
    code = attendee_badge_code(attendee)
    assert checkin_scan(event=event, code=code).outcome == "ended"
    during = timezone.make_aware(datetime.combine(event.end_date, time(11, 0)))
    assert checkin_scan(event=event, code=code, at=during).outcome == "ok"
