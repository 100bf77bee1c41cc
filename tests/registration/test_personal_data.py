"""ARCO rights: a person's data exported and erased across every app (expo/registration/personal_data.py)."""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exhibitors.models import Lead, WebhookEndpoint
from exhibitors.services import _lead_data, webhook_event_send
from expo.dashboard import roles
from expo.lib.panels import panels_all
from expo.mail.models import OutboxEmail
from expo.program.calendar import feed_token
from expo.program.models import Attendance, CalendarFeed, Certificate, Dc3Details, Enrollment, RoomScan, SavedSession
from expo.registration import personal_data
from expo.registration.access import signin_token_make
from expo.registration.models import Attendee, BadgeScan
from expo.registration.personal_data import PersonalDataSource, personal_data_erase, personal_data_export
from expo.registration.services import registration_create
from networking.models import Meeting, MeetingRequest, MeetingSeat, Slot
from tests.conftest import login_verified
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ExhibitorFactory,
    MeetingFactory,
    PassTypeFactory,
    ProfileFactory,
    SessionFactory,
    TableFactory,
)

EMAIL = "rosaura.quintanilla@zafiro-norte.mx"
FIRST, LAST = "Rosaura", "Quintanilla"
ORGANIZATION, JOB = "Clínica Zafiro Norte", "Jefa de Compras Zafiro"
PHONE = "55 8765 4321"


class Fair:
    """One edition where Rosaura did a bit of everything, and Bernardo, who met her."""


@pytest.fixture
def fair(db):
    f = Fair()
    f.event = event = EventFactory()
    f.pass_type = PassTypeFactory(event=event, capacity=50, includes_b2b=True, includes_training=True)
    result = registration_create(event=event, pass_type=f.pass_type, email=EMAIL, first_name=FIRST, last_name=LAST,
                                 organization_name=ORGANIZATION, job_title="Compras", privacy_accepted=True,
                                 share_with_exhibitors=True)  # fmt: skip
    f.rosaura = rosaura = result.attendee
    rosaura.job_title = JOB  # an edit the audit trail keeps, old and new values
    rosaura.save()
    f.badge_code = rosaura.badge_code
    f.bernardo = bernardo = AttendeeFactory(event=event, pass_type=f.pass_type, email="bernardo@lumen.mx",
                                            first_name="Bernardo", last_name="Luján")  # fmt: skip
    BadgeScan.objects.create(event=event, attendee=rosaura, day=event.start_date)
    BadgeScan.objects.create(event=event, attendee=bernardo, day=event.start_date)
    # Program: a saved session, a workshop with a seat, scans and attendance, a certificate, DC-3.
    session = SessionFactory(event=event, title="Taller de esterilización", enrollment_required=True, capacity=10)
    f.session = session
    SavedSession.objects.create(attendee=rosaura, session=session)
    Enrollment.objects.create(session=session, attendee=rosaura, status=Enrollment.Status.ENROLLED)
    RoomScan.objects.create(event=event, session=session, attendee=rosaura, direction="in", scanned_at=session.start)
    Attendance.objects.create(session=session, attendee=rosaura, present_seconds=3600, share=Decimal("1"))
    Attendance.objects.create(session=session, attendee=bernardo, present_seconds=1800, share=Decimal("0.5"))
    Dc3Details.objects.create(attendee=rosaura, curp="QUIR800101MDFNNS09", employer_name=ORGANIZATION)
    lines = [{"title": session.title, "start": session.start.isoformat(), "end": session.end.isoformat(),
              "hours": "3", "room": "Aula 1"}]  # fmt: skip
    Certificate.objects.create(event=event, attendee=rosaura, full_name=f"{FIRST} {LAST}", hours=Decimal("3"),
                               sessions=lines, dc3={"curp": "QUIR800101MDFNNS09"})  # fmt: skip
    CalendarFeed.objects.create(attendee=rosaura, version=1)
    # B2B: a request she sent (accepted), a meeting held yesterday and one still to come, with Bernardo.
    f.mine, f.his = ProfileFactory(event=event, attendee=rosaura), ProfileFactory(event=event, attendee=bernardo)
    MeetingRequest.objects.create(event=event, sender=f.mine, recipient=f.his, status=MeetingRequest.Status.ACCEPTED,
                                  message=f"Soy {FIRST} de {ORGANIZATION}, mi celular {PHONE}")  # fmt: skip
    table = TableFactory(space__event=event)
    now = timezone.now()
    past = Slot.objects.create(event=event, start=now - timedelta(days=1), end=now - timedelta(days=1, minutes=-20))
    later = Slot.objects.create(event=event, start=now + timedelta(days=1), end=now + timedelta(days=1, minutes=20))
    f.held = MeetingFactory(event=event, slot=past, table=table, between=(f.mine, f.his))
    MeetingSeat.objects.filter(meeting=f.held).update(checked_in_at=past.start, took_place=True,
                                                      deal_value=Decimal("250000"))  # fmt: skip
    MeetingSeat.objects.filter(meeting=f.held, profile=f.mine).update(feedback=f"{FIRST} cerró trato")
    f.upcoming = MeetingFactory(event=event, slot=later, table=table, between=(f.mine, f.his))
    # Exhibitors: a lead on her with the exhibitor's notes, and its webhook waiting to go.
    exhibitor = ExhibitorFactory(event=event)
    WebhookEndpoint.objects.create(exhibitor=exhibitor, url="https://crm.example.mx/hook", secret="whsec_x")
    lead = Lead.objects.create(exhibitor=exhibitor, attendee=rosaura, notes=f"Llamar a {FIRST} al {PHONE}")
    webhook_event_send(exhibitor=exhibitor, event_type="lead.created", data=_lead_data(lead))
    Lead.objects.create(exhibitor=exhibitor, attendee=bernardo, notes="Bernardo quiere cotización")
    f.exhibitor = exhibitor
    return f


def test_export_holds_every_app_part_for_that_person_and_nothing_of_another(fair):
    data = personal_data_export(attendee=fair.rosaura)
    registration = data["registration"]
    assert registration["email"] == EMAIL and registration["job_title"] == JOB
    assert registration["consents"]["share_contact_with_exhibitors"] is True
    assert registration["consents"]["privacy_notice_accepted_at"]
    assert [c["day"] for c in registration["door_checkins"]] == [fair.event.start_date.isoformat()]
    assert [e["template"] for e in registration["emails"]] == ["registration/email/confirmed"]
    assert any(entry["changes"].get("job_title") == ["Compras", JOB] for entry in registration["audit_trail"])
    program = data["program"]
    assert [s["title"] for s in program["saved_sessions"]] == ["Taller de esterilización"]
    assert program["enrollments"][0]["status"] == "enrolled" and program["room_scans"][0]["direction"] == "in"
    assert program["attendance"][0]["seconds_present"] == 3600
    assert program["dc3_details"]["curp"] == "QUIR800101MDFNNS09"
    assert program["certificates"][0]["name"] == f"{FIRST} {LAST}" and program["calendar_link"]["version"] == 1
    b2b = data["networking"]
    assert b2b["profile"]["id"] == fair.mine.pk and b2b["requests"][0]["message"].startswith("Soy Rosaura")
    assert {m["id"] for m in b2b["meetings"]} == {fair.held.pk, fair.upcoming.pk}
    assert {m["feedback"] for m in b2b["meetings"]} == {"Rosaura cerró trato", ""}
    assert b2b["meetings"][0]["other_profile_ids"] == [fair.his.pk]
    assert [lead["notes"] for lead in data["exhibitors"]["leads"]] == [f"Llamar a {FIRST} al {PHONE}"]
    text = json.dumps(data, ensure_ascii=False)
    for other in ("Bernardo", "Luján", "bernardo@lumen.mx", "cotización", "1800"):
        assert other not in text, other


def test_admin_export_is_a_zip_with_the_json_badge_and_certificate_and_is_audited(client, fair):
    organizer = User.objects.create_user("org", "org@example.mx", "x", is_staff=True)
    organizer.groups.add(Group.objects.get(name=roles.ORGANIZER))
    login_verified(client, organizer)
    response = client.post(reverse("admin:registration_attendee_changelist"),
                           {"action": "export_personal_data", "_selected_action": [fair.rosaura.pk]})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    certificate = Certificate.objects.get(attendee=fair.rosaura)
    assert names == {"datos-personales.json", f"gafete-{fair.rosaura.pk}.pdf", f"constancia-{certificate.pk}.pdf"}
    assert json.loads(archive.read("datos-personales.json"))["registration"]["email"] == EMAIL
    assert archive.read(f"gafete-{fair.rosaura.pk}.pdf").startswith(b"%PDF")
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(additional_data__arco="export").get()
    assert entry.actor == organizer and entry.object_pk == str(fair.rosaura.pk) and EMAIL not in entry.object_repr


def figures(event) -> dict:
    """Every figure and table row of the dashboard's panels, by panel."""
    out = {}
    for panel in panels_all():
        content = panel.build(event)
        out[panel.key] = {
            "figures": {str(f.label): f.value for f in content.figures},
            "tables": [[row.cells for row in table.rows] for table in content.tables],
        }
    return out


def text_columns_containing(values: list[str]) -> dict[str, list[str]]:
    """Every text, varchar and JSON column of the database that holds any of `values` (PostgreSQL)."""
    found = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
        )
        columns = cursor.fetchall()
        for value in values:
            for table, column in columns:
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE %s', [f"%{value}%"])
                if cursor.fetchone()[0]:
                    found.setdefault(value, []).append(f"{table}.{column}")
    return found


@pytest.mark.postgres
def test_erasure_leaves_no_trace_keeps_the_figures_and_tells_the_other_side(fair, django_capture_on_commit_callbacks):
    originals = [EMAIL, FIRST, LAST, ORGANIZATION, JOB, fair.badge_code, PHONE, "QUIR800101MDFNNS09"]
    assert set(text_columns_containing(originals)) == set(originals)  # they are there before
    before = figures(fair.event)
    visitor = Client()  # Rosaura, signed in on her phone
    visitor.post(reverse("registration:signin-link", args=[signin_token_make(fair.rosaura)]))
    assert visitor.get(reverse("registration:mine")).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = personal_data_erase(attendee=fair.rosaura)
    assert text_columns_containing(originals) == {}
    # The dashboard adds up as before; only the meeting still to come was cancelled.
    after = figures(fair.event)
    before["networking"]["figures"]["Reuniones agendadas"] -= 1
    assert after == before
    assert done["networking"] == {"meetings_cancelled": 1, "requests_withdrawn": 0}
    fair.upcoming.refresh_from_db()
    assert fair.upcoming.status == Meeting.Status.CANCELLED
    # Bernardo is told, with nobody's name; no email goes to Rosaura's old or new address.
    assert [m.to for m in mail.outbox] == [["bernardo@lumen.mx"]]
    assert "cancel" in mail.outbox[0].subject.lower() and "Anónimo" in mail.outbox[0].body
    rosaura = Attendee.objects.get(pk=fair.rosaura.pk)
    assert rosaura.email.endswith("@erased.invalid") and rosaura.status == Attendee.Status.CONFIRMED
    assert rosaura.erased_at is not None and rosaura.full_name == f"Anónimo #{rosaura.pk}"
    assert BadgeScan.objects.filter(attendee=rosaura).count() == 1 and Lead.objects.filter(attendee=rosaura).exists()
    assert not SavedSession.objects.filter(attendee=rosaura).exists() and not Dc3Details.objects.exists()
    assert Certificate.objects.get(attendee=rosaura).revoked_at is None  # the hours still count, anonymous
    # The old calendar link and her signed-in session stop working.
    assert visitor.get(reverse("registration:mine")).status_code == 302
    assert CalendarFeed.objects.get(attendee=rosaura).version == 2
    assert Client().get(f"/programa/calendario/{feed_token(attendee_id=rosaura.pk, version=1)}.ics").status_code == 404
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(additional_data__arco="erasure").get()
    assert entry.object_pk == str(rosaura.pk) and entry.changes == {"personal_data": ["held", "erased"]}


@pytest.mark.postgres
def test_a_second_erasure_changes_nothing(fair):
    assert personal_data_erase(attendee=fair.rosaura) is not None

    def state():
        return [list(model.objects.order_by("pk").values()) for model in (Attendee, OutboxEmail, Meeting, Lead)]

    erased = state()
    assert personal_data_erase(attendee=fair.rosaura) is None
    assert state() == erased


def test_a_failing_part_rolls_the_whole_erasure_back(fair, monkeypatch):
    def broken(*, erasure):
        raise RuntimeError("disk full")

    monkeypatch.setitem(personal_data._sources, "zz-broken", PersonalDataSource("zz-broken", dict, broken))
    with pytest.raises(RuntimeError):
        personal_data_erase(attendee=fair.rosaura)
    rosaura = Attendee.objects.get(pk=fair.rosaura.pk)
    assert (rosaura.email, rosaura.first_name, rosaura.erased_at) == (EMAIL, FIRST, None)
    assert Meeting.objects.get(pk=fair.upcoming.pk).status == Meeting.Status.PUBLISHED  # not cancelled
    assert SavedSession.objects.filter(attendee=rosaura).exists() and Lead.objects.get(attendee=rosaura).notes


def staff(role: str) -> User:
    user = User.objects.create_user(role.lower().replace(" ", "-"), "staff@example.mx", "x", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_the_organizer_erases_after_typing_the_registration_number(client, fair):
    login_verified(client, staff(roles.ORGANIZER))
    url = reverse("admin:registration_attendee_changelist")
    chosen = {"action": "erase_personal_data", "_selected_action": [fair.rosaura.pk]}
    page = client.post(url, chosen)
    assert page.status_code == 200 and "Escriba el número de registro para confirmar" in page.content.decode()
    wrong = client.post(url, {**chosen, "apply": "1", "confirm": str(fair.bernardo.pk)})
    assert wrong.status_code == 200 and f"Escriba {fair.rosaura.pk}" in wrong.content.decode()
    assert Attendee.objects.get(pk=fair.rosaura.pk).erased_at is None
    done = client.post(url, {**chosen, "apply": "1", "confirm": str(fair.rosaura.pk)}, follow=True)
    assert "fueron borrados" in done.content.decode()
    assert Attendee.objects.get(pk=fair.rosaura.pk).erased_at is not None
    english = client.post(url, {"action": "erase_personal_data", "_selected_action": [fair.bernardo.pk]},
                          headers={"accept-language": "en"})  # fmt: skip
    assert "Type the registration number to confirm" in english.content.decode()


@pytest.mark.parametrize("role", [roles.DESK_STAFF, roles.PROGRAM_MANAGER])
def test_roles_without_the_erase_permission_cannot_erase_or_export(client, fair, role):
    user = staff(role)
    assert not user.has_perm("registration.erase_attendee")
    client.force_login(user)
    url = reverse("admin:registration_attendee_changelist")
    for action in ("erase_personal_data", "export_personal_data"):
        response = client.post(url, {"action": action, "_selected_action": [fair.rosaura.pk], "apply": "1",
                                     "confirm": str(fair.rosaura.pk)})  # fmt: skip
        assert response.status_code in (200, 302, 403) and response.get("Content-Type") != "application/zip"
    assert Attendee.objects.get(pk=fair.rosaura.pk).erased_at is None


def test_management_commands_export_by_email_and_erase_by_id(fair):
    out = io.StringIO()
    call_command("export_personal_data", EMAIL.upper(), stdout=out)
    exported = json.loads(out.getvalue())
    assert [e["registration"]["id"] for e in exported] == [fair.rosaura.pk]
    with pytest.raises(Exception, match="--yes"):
        call_command("erase_personal_data", str(fair.rosaura.pk))
    out = io.StringIO()
    call_command("erase_personal_data", str(fair.rosaura.pk), "--yes", stdout=out)
    assert f"Registration {fair.rosaura.pk} erased" in out.getvalue()
    out = io.StringIO()
    call_command("erase_personal_data", str(fair.rosaura.pk), "--yes", stdout=out)
    assert "already erased" in out.getvalue()
