"""Bulk import and export in the admin: a preview, row-by-row errors with their line, all rows or
none; visitors go through the registration service (seat counters, one registration per email)."""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from exhibitors.models import Exhibitor, Organization
from exhibitors.selectors import exhibitor_directory
from expo.mail.models import OutboxEmail
from expo.program.models import Session, Speaker
from expo.program.selectors import session_list
from expo.program.services import enrollment_create
from expo.registration.models import Attendee, PassType
from tests.conftest import login_verified
from tests.factories import (
    AttendeeFactory,
    HallFactory,
    PassTypeFactory,
    RoomFactory,
    SessionFactory,
    SpeakerFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db

VISITOR_HEADER = (
    "event,pass_type,email,first_name,last_name,organization_name,organization_kind,job_title,language,privacy_accepted"
)


def _csv(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("datos.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")


def _preview(client, model: str, upload):
    return client.post(reverse(f"admin:{model}_import"), {"resource": "0", "format": "0", "import_file": upload})


def _confirm(client, model: str, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, field.initial) for name, field in form.fields.items()}
    return client.post(reverse(f"admin:{model}_process_import"), data)


@pytest.fixture
def admin(client, organizer):
    login_verified(client, organizer)
    return client


@pytest.fixture
def passes(fair):
    return PassTypeFactory(event=fair.event, slug="b2b", capacity=2, is_public=False)


def test_a_bad_visitor_row_is_reported_with_its_line_and_nothing_is_imported(admin, fair, passes):
    slug = fair.event.slug
    upload = _csv(
        VISITOR_HEADER,
        f"{slug},b2b,lucia@example.mx,Lucía,Castillo,Hospital Ángeles,hospital,Compras,es-mx,sí",
        f"{slug},no-such-pass,pedro@example.mx,Pedro,Ruiz,,other,,es-mx,1",
        f"{slug},b2b,marta@example.mx,Marta,Díaz,,hospital,,en,0",
    )
    before = Attendee.objects.count()
    preview = _preview(admin, "registration_attendee", upload)
    content = preview.content.decode()
    result = preview.context["result"]
    assert result.has_validation_errors()
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3}
    assert "No hay un tipo de pase con este identificador en esta edición." in str(invalid[2])
    assert "consentimiento" in str(invalid[3])
    assert "No hay un tipo de pase con este identificador" in content
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert Attendee.objects.count() == before
    assert PassType.objects.get(pk=passes.pk).registered_count == 0


def test_visitors_import_through_the_registration_service(admin, fair, passes):
    slug = fair.event.slug
    existing = AttendeeFactory(event=fair.event, pass_type=passes, email="ya@example.mx")
    upload = _csv(
        VISITOR_HEADER,
        f"{slug},b2b,Lucia@Example.mx,Lucía,Castillo,Hospital Ángeles,Hospital o clínica,Compras,es-mx,sí",
        f"{slug},b2b,YA@example.mx,Otra,Vez,,other,,es-mx,1",
    )
    preview = _preview(admin, "registration_attendee", upload)
    assert not preview.context["result"].has_validation_errors(), preview.context["result"].invalid_rows
    assert Attendee.objects.filter(email="lucia@example.mx").count() == 0  # a preview writes nothing
    _confirm(admin, "registration_attendee", preview)
    lucia = Attendee.objects.get(event=fair.event, email="lucia@example.mx")
    assert lucia.status == Attendee.Status.CONFIRMED and lucia.organization_kind == "hospital"
    assert PassType.objects.get(pk=passes.pk).registered_count == 2  # the existing one and Lucía
    assert Attendee.objects.filter(event=fair.event, email__iexact="ya@example.mx").get() == existing
    assert OutboxEmail.objects.filter(to="lucia@example.mx", template="registration/email/confirmed").exists()


def test_a_full_pass_is_an_error_for_its_row(admin, fair, passes):
    slug = fair.event.slug
    AttendeeFactory.create_batch(2, event=fair.event, pass_type=passes)
    preview = _preview(admin, "registration_attendee",
                       _csv(VISITOR_HEADER, f"{slug},b2b,tarde@example.mx,Tere,Luna,,other,,es-mx,1"))  # fmt: skip
    assert preview.context["result"].has_validation_errors()
    assert "agotado" in str(preview.context["result"].invalid_rows[0].error_dict).lower()


def test_exhibitors_import_creates_organizations_and_reports_unknown_categories(admin, fair):
    category = TermFactory(slug="imagen", name_es="Imagenología")
    hall = HallFactory(event=fair.event, code="c", name_es="Salón C", name_en="Hall C")
    header = "event,organization,rfc,organization_kind,organization_size,booth,hall,package,categories,is_listed"
    slug = fair.event.slug
    bad = _preview(admin, "exhibitors_exhibitor", _csv(
        header, f"{slug},Ortopedia del Bajío,,manufacturer,sme,C-10,Salón C,booth,imagen,sí",
        f"{slug},Rayos Norte,,supplier,sme,C-11,Salón C,booth,no-existe,sí",
    ))  # fmt: skip
    assert [row.number for row in bad.context["result"].invalid_rows] == [2]
    assert not Organization.objects.filter(name="Ortopedia del Bajío").exists()
    good = _preview(admin, "exhibitors_exhibitor", _csv(
        header, f"{slug},Ortopedia del Bajío,,Manufacturer,Large company,C-10,Salón C,Premium booth,imagen,sí",
    ))  # fmt: skip
    assert not good.context["result"].has_validation_errors(), good.context["result"].invalid_rows
    _confirm(admin, "exhibitors_exhibitor", good)
    exhibitor = Exhibitor.objects.get(event=fair.event, booth="C-10")
    assert exhibitor.organization.size == "large" and exhibitor.package == "premium" and exhibitor.hall == hall
    assert exhibitor.slug and exhibitor in exhibitor_directory(event=fair.event, query="ortopedia bajio")
    assert list(exhibitor.categories.all()) == [category]


def test_sessions_import_with_speakers_and_a_bad_time(admin, fair):
    room = RoomFactory(venue=fair.event.venue, name_es="Auditorio Maya")
    SpeakerFactory(event=fair.event, name="Dra. Elena Ríos")
    day = fair.event.start_date.isoformat()
    header = "event,title,kind,room,start,end,language,speakers,training_hours"
    slug = fair.event.slug
    bad = _preview(admin, "program_session", _csv(
        header, f"{slug},Robótica quirúrgica,keynote,Auditorio Maya,{day} 10:00,{day} 11:00,es,Dra. Elena Ríos,0",
        f"{slug},Taller de suturas,workshop,Auditorio Maya,mañana,{day} 13:00,es,,3",
    ))  # fmt: skip
    assert [row.number for row in bad.context["result"].invalid_rows] == [2]
    assert not Session.objects.filter(title="Robótica quirúrgica").exists()
    good = _preview(
        admin,
        "program_session",
        _csv(header, f"{slug},Robótica quirúrgica,keynote,Auditorio Maya,{day} 10:00,{day} 11:00,es,Dra. Elena Ríos,0"),
    )
    _confirm(admin, "program_session", good)
    session = Session.objects.get(title="Robótica quirúrgica")
    assert session.room == room and [s.name for s in session.speakers.all()] == ["Dra. Elena Ríos"]
    # Imported through the program's service: found by a speaker's name without accents.
    assert session in session_list(event=fair.event, query="elena rios")


def test_a_session_moved_by_import_emails_the_people_enrolled(admin, fair, django_capture_on_commit_callbacks):
    room = RoomFactory(venue=fair.event.venue, name_es="Aula 1")
    session = SessionFactory(event=fair.event, room=room, kind="workshop", enrollment_required=True, capacity=5)
    person = AttendeeFactory(event=fair.event)
    enrollment_create(attendee=person, session=session, clashes_accepted=True)
    mail.outbox.clear()
    later = session.start + timedelta(hours=2)
    header = "id,event,title,kind,room,start,end,language,capacity,training_hours"
    row = (f"{session.pk},{fair.event.slug},{session.title},workshop,Aula 1,{timezone.localtime(later):%Y-%m-%d %H:%M},"
           f"{timezone.localtime(later + timedelta(hours=1)):%Y-%m-%d %H:%M},es,5,0")  # fmt: skip
    preview = _preview(admin, "program_session", _csv(header, row))
    assert not preview.context["result"].has_errors() and len(mail.outbox) == 0  # a preview sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(admin, "program_session", preview)
    session.refresh_from_db()
    assert session.start == later and session.sequence == 1
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_speakers_import(admin, fair):
    preview = _preview(
        admin,
        "program_speaker",
        _csv("event,name,affiliation,email", f"{fair.event.slug},Dr. Luis Mora,IMSS,lmora@example.mx"),
    )
    _confirm(admin, "program_speaker", preview)
    assert Speaker.objects.filter(event=fair.event, name="Dr. Luis Mora").exists()


def test_visitor_export_is_formula_safe_and_needs_the_export_permission(admin, fair):
    attendee = fair.event.attendees.first()
    attendee.organization_name = '=HYPERLINK("http://x")'
    attendee.save()
    response = admin.post(
        reverse("admin:registration_attendee_export"),
        {
            "format": "0",
            "resource": "0",
            **{f"visitorresource_{name}": "on" for name in ("id", "email", "organization_name")},
        },
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["id", "email", "organization_name"] or "email" in rows[0]
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
