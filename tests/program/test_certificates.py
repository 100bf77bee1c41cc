"""Certificates of training hours: issued from credited attendance, bilingual PDF with a QR to the
public verification page; forged, altered and revoked codes say so; DC-3 fields checked by format."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from expo.program import services
from expo.program.certificate_pdf import certificate_pdf
from expo.program.certificates import certificate_code
from expo.program.models import Certificate, CertificateBatch, ProgramSettings
from tests.factories import PassTypeFactory
from tests.networking.conftest import signin

from .conftest import visitor

pytestmark = pytest.mark.django_db


def attend(program, person, minutes: int):
    """Enroll and scan in at the start and out after `minutes`."""
    services.enrollment_create(attendee=person, session=program.workshop, clashes_accepted=True)
    start = program.workshop.start
    for direction, at in (("in", start), ("out", start + timedelta(minutes=minutes))):
        services.room_scan_record(event=program.event, code=_code(person), direction=direction,
                                  session=program.workshop, at=at)  # fmt: skip


def _code(person):
    from expo.registration.badges import attendee_badge_code

    return attendee_badge_code(person)


def test_hours_credited_at_the_editions_share(program):
    person = visitor(program)
    attend(program, person, 150)  # 83% of three hours
    certificate, new = services.certificate_issue(attendee=person)
    assert new and certificate.hours == Decimal("3")
    ProgramSettings.objects.create(event=program.event, attendance_share=Decimal("0.90"))
    certificate, new = services.certificate_issue(attendee=person)
    assert certificate is None
    assert Certificate.objects.get().revoked_reason == "Ya no tiene horas acreditadas"


def test_pass_without_training_earns_no_hours(program):
    person = visitor(program)
    person.pass_type = PassTypeFactory(event=program.event, includes_training=False)
    person.save()
    attend(program, person, 180)
    assert services.certificate_issue(attendee=person) == (None, False)


def test_issuing_twice_keeps_the_same_certificate(program):
    person = visitor(program)
    attend(program, person, 170)
    first, _ = services.certificate_issue(attendee=person)
    again, new = services.certificate_issue(attendee=person)
    assert again == first and not new


def test_verification_page_genuine_altered_revoked(client, program):
    person = visitor(program, first_name="Lucía", last_name="Núñez")
    attend(program, person, 170)
    certificate, _ = services.certificate_issue(attendee=person)
    code = certificate_code(certificate)
    html = client.get(reverse("program:certificate-verify", args=[code])).content.decode()
    assert "Constancia auténtica" in html and "Lucía Núñez" in html and "Taller: Validación" in html
    # Another certificate's id with this one's signature, or a changed letter: not genuine.
    prefix, event_id, cert_id, signature = code.split(".")
    for forged in (
        f"{prefix}.{event_id}.{int(cert_id) + 1}.{signature}",
        code[:-2] + ("AA" if code[-2:] != "AA" else "BB"),
    ):
        response = client.get(reverse("program:certificate-verify", args=[forged]))
        assert response.status_code == 404 and "No es auténtica" in response.content.decode()
    services.certificate_revoke(certificate=certificate, reason="Asistencia corregida")
    html = client.get(reverse("program:certificate-verify", args=[code])).content.decode()
    assert "Constancia revocada" in html and "Asistencia corregida" in html


def test_certificate_pdf_is_bilingual_with_the_verification_url(program, settings):
    person = visitor(program, first_name="Łukasz", last_name="Dvořák Nguyễn")
    attend(program, person, 170)
    services.dc3_details_save(attendee=person, curp="GODE561231HDFRRN00", occupation="09.1",
                              employer_name="Hospital Ángeles", employer_rfc="ABC680524P76")  # fmt: skip
    certificate, _ = services.certificate_issue(attendee=person)
    pdf = certificate_pdf(certificate)
    assert pdf.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "CONSTANCIA DE HORAS DE CAPACITACIÓN" in text and "Certificate of training hours" in text
    assert "Łukasz Dvořák Nguyễn" in text and "FORMATO DC-3" in text and "GODE561231HDFRRN00" in text
    assert "ABC680524P76" in text and certificate_code(certificate) in text


def test_dc3_fields_are_checked_by_format(client, program):
    person = visitor(program)
    with pytest.raises(ValidationError) as error:
        services.dc3_details_save(attendee=person, curp="GODE561231HDFRRN01", occupation="9.1", employer_rfc="XYZ")
    assert set(error.value.message_dict) == {"curp", "occupation", "employer_rfc"}
    signin(client, person)
    data = {"curp": "gode561231hdfrrn00", "occupation": "15.1", "employer_name": "Hospital", "employer_rfc": "x"}
    response = client.post(reverse("program:hours"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "área de 01 a 11" in html
    assert 'value="gode561231hdfrrn00"' in html  # what was typed is kept


def test_transcript_shows_credited_and_missing_hours(client, program, django_assert_num_queries):
    person = visitor(program)
    attend(program, person, 170)
    services.room_scan_record(event=program.event, code=_code(person), direction="in", session=program.talk,
                              at=program.talk.start)  # fmt: skip
    signin(client, person)
    # the visitor, settings, attendances with sessions, certificate, DC-3 details (the Django session is
    # read from the cache)
    with django_assert_num_queries(5):
        html = client.get(reverse("program:hours")).content.decode()
    assert "Esta sesión no acredita horas de capacitación" in html
    assert '<strong class="big">3</strong>' in html


def test_batch_issues_certificates_with_progress(client, program):
    people = [visitor(program) for _ in range(2)]
    for person in people:
        attend(program, person, 175)
    visitor(program)  # no attendance: no certificate
    user = User.objects.create_user("org", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_certificate", "change_certificate"]))
    client.force_login(user)
    batch = services.certificate_batch_start(event=program.event, user=user)
    services.certificate_batch_run(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.issued) == ("done", 2, 2, 2)
    progress = client.get(reverse("program:staff-batch", args=[batch.pk])).json()
    assert progress["percent"] == 100
    assert services.certificate_batch_run(batch_id=batch.pk).issued == 2  # a second delivery does nothing
    html = client.get(reverse("program:staff-certificates")).content.decode()
    assert "2 constancias vigentes." in html


def test_one_batch_at_a_time(program):
    CertificateBatch.objects.create(event=program.event)
    with pytest.raises(ValidationError):
        services.certificate_batch_start(event=program.event)
