"""The demo edition's program has what makes every program page show real content."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from expo.program.certificates import certificate_code
from expo.program.models import Attendance, Certificate, Enrollment, RoomScan, SavedSession, Session
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", visitors=600, stdout=open("/dev/null", "w"))


def test_demo_program_has_abstracts_speakers_capacities_waitlists_scans_and_certificates(client, demo):
    workshops = Session.objects.filter(enrollment_required=True)
    assert workshops.count() == 100 and not workshops.filter(capacity__isnull=True).exists()
    assert not Session.objects.filter(abstract="").exists()
    assert Enrollment.objects.filter(status="enrolled").count() > 300
    full = workshops.filter(enrollments__status="waitlisted").distinct().first()
    assert full is not None and full.enrolled_count == full.capacity
    assert RoomScan.objects.exists() and Attendance.objects.exists()
    assert SavedSession.objects.exists()
    certificate = Certificate.objects.first()
    assert certificate is not None and certificate.hours > 0
    html = client.get(reverse("program:certificate-verify", args=[certificate_code(certificate)])).content.decode()
    assert "Constancia auténtica" in html and certificate.full_name in html
    html = client.get(reverse("program:session", args=[full.pk])).content.decode()
    assert "la lista de espera está abierta" in html and "Taller de tres horas" in html
    speaker = full.speakers.first()
    assert speaker.affiliation and speaker.position
    assert speaker.name in client.get(reverse("program:speaker", args=[speaker.pk])).content.decode()
    signin(client, certificate.attendee)
    html = client.get(reverse("program:hours")).content.decode()
    assert "Descargar mi constancia (PDF)" in html
    assert "Mi agenda" in client.get(reverse("program:agenda")).content.decode()


def test_running_the_demo_twice_adds_no_program_activity(demo):
    counts = (Enrollment.objects.count(), RoomScan.objects.count(), Certificate.objects.count())
    call_command("seed_demo", visitors=600, stdout=open("/dev/null", "w"))
    assert (Enrollment.objects.count(), RoomScan.objects.count(), Certificate.objects.count()) == counts
