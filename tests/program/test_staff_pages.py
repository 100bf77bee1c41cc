"""Organizers' pages: hours per session and per visitor with CSV, certificates; permissions; pinned queries."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from expo.program import services
from expo.registration.badges import attendee_badge_code

from .conftest import visitor

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer(client):
    user = User.objects.create_user("org", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["view_attendance", "add_certificate", "change_certificate", "view_certificate"]))  # fmt: skip
    client.force_login(user)
    return user


def attend(program, n: int) -> list:
    people = []
    for i in range(n):
        person = visitor(program, first_name=f'=HYPERLINK("x") {i}' if i == 0 else "Ana")
        services.enrollment_create(attendee=person, session=program.workshop, clashes_accepted=True)
        for direction, at in (("in", program.workshop.start), ("out", program.workshop.end)):
            services.room_scan_record(event=program.event, code=attendee_badge_code(person), direction=direction,
                                      session=program.workshop, at=at)  # fmt: skip
        people.append(person)
    return people


def test_hours_per_session_and_csv(client, organizer, program, django_assert_num_queries):
    attend(program, 2)
    # user with "has an authenticator app? is an organizer?" (two-step sign-in) and their permissions
    # (the Django session is read from the cache), current edition, sessions with counts, credited, settings
    with django_assert_num_queries(5):
        html = client.get(reverse("program:staff-hours")).content.decode()
    assert "6 horas acreditadas en 2 asistencias" in html
    csv = client.get(reverse("program:staff-hours"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "Taller: Validación de esterilización" in csv and ",2,6.00" in csv


def test_hours_per_visitor_csv_is_formula_safe(client, organizer, program, django_assert_num_queries):
    attend(program, 1)
    with django_assert_num_queries(5):
        client.get(reverse("program:staff-hours-visitors"))
    attend(program, 1)
    # user with "has an authenticator app? is an organizer?" (two-step sign-in) and their permissions
    # (the Django session and the edition are read from the cache), credited, certificates, visitors
    with django_assert_num_queries(4):
        client.get(reverse("program:staff-hours-visitors"))
    csv = client.get(reverse("program:staff-hours-visitors"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv


def test_certificates_page_lists_and_revokes(client, organizer, program):
    person = attend(program, 1)[0]
    certificate, _ = services.certificate_issue(attendee=person)
    html = client.get(reverse("program:staff-certificates")).content.decode()
    assert "1 constancia vigente." in html
    client.post(reverse("program:staff-certificate-revoke", args=[certificate.pk]), {"reason": "Duplicada"})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Duplicada"
    assert client.get(reverse("program:staff-certificate-pdf", args=[certificate.pk])).content.startswith(b"%PDF")


def test_staff_without_permission_is_refused(client, program):
    client.force_login(User.objects.create_user("nadie", password="x", is_staff=True))
    for name in ("program:staff-hours", "program:staff-hours-visitors", "program:staff-certificates"):
        assert client.get(reverse(name)).status_code == 403
