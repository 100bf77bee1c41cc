"""The meetings desk in the networking admin: who meets whom, where and when; search, filters,
exports, printable agendas, the outcome export, and the scheduler's figures in words."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from expo.dashboard import roles
from networking.models import Meeting, ScheduleRun
from tests.conftest import login_verified
from tests.factories import MeetingFactory, ParticipantFactory

from .conftest import member

pytestmark = pytest.mark.django_db
DESK = "/admin/networking/meeting/"


@pytest.fixture
def desk(client, organizer):
    login_verified(client, organizer)
    return client


def test_the_list_shows_both_people_their_organizations_space_table_and_time(desk, fair):
    content = desk.get(DESK).content.decode()
    assert "Castillo" in content and "Hospital Ángeles" in content
    assert "Pérez" in content and "Biomédica del Norte" in content
    assert "Espacio B2B A" in content and ">A1<" in content
    assert timezone.localtime(fair.slots[0].start).strftime("%H:%M") in content


def test_searching_a_last_name_finds_that_persons_meetings(desk, fair):
    response = desk.get(DESK, {"q": "Castillo"})
    assert [m.pk for m in response.context["cl"].result_list] == [fair.event.meetings.order_by("pk").first().pk]
    by_organization = desk.get(DESK, {"q": "Biomédica"})
    assert len(by_organization.context["cl"].result_list) == 2
    by_email = desk.get(DESK, {"q": fair.people[0].attendee.email})
    assert len(by_email.context["cl"].result_list) == 1


def test_filters_by_day_space_and_status(desk, fair):
    day = timezone.localdate(fair.slots[0].start)
    assert len(desk.get(DESK, {"day": day.isoformat()}).context["cl"].result_list) == 2
    assert len(desk.get(DESK, {"day": "2001-01-01"}).context["cl"].result_list) == 0
    assert len(desk.get(DESK, {"table__space__id__exact": fair.space.pk}).context["cl"].result_list) == 2
    assert len(desk.get(DESK, {"status__exact": "draft"}).context["cl"].result_list) == 0


def test_the_list_runs_the_same_queries_for_two_or_thirty_meetings(desk, fair):
    desk.get(DESK)  # fills the cache (the edition) as the first request of a process does
    with CaptureQueriesContext(connection) as few:
        desk.get(DESK)
    for slot in fair.slots[2:]:
        for table in fair.tables:
            MeetingFactory(event=fair.event, slot=slot, table=table,
                           between=ParticipantFactory.create_batch(2, event=fair.event))  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = desk.get(DESK)
    assert len(response.context["cl"].result_list) == 10
    # the user with their permissions (the session is read from the cache), the device that verified
    # the session (django-otp), "is exhibitor staff?", the editions, days and spaces of the filters,
    # the count (on PostgreSQL after the planner's estimate), the page, its seats with people and
    # organizations (the outcome report's edition is in the cache).
    assert len(few) == len(many) == 9 + (connection.vendor == "postgresql"), [q["sql"][:90] for q in many]


def _export(client, fair, action):
    ids = list(fair.event.meetings.values_list("pk", flat=True))
    return client.post(DESK, {"action": action, "_selected_action": ids})


def test_export_csv_names_both_sides_and_is_formula_safe(desk, fair):
    a = fair.people[0].attendee
    a.organization_name = '=HYPERLINK("http://evil")'
    a.save()
    response = _export(desk, fair, "export_csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "day", "start"] and len(rows) == 3
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["participant_a"].endswith("Castillo") and first["organization_a"].startswith("'=HYPERLINK")
    assert first["participant_b"].endswith("Pérez")


def test_export_xlsx_opens_in_excel(desk, fair):
    response = _export(desk, fair, "export_xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "id" and len(rows) == 3
    assert "Castillo" in rows[1][8]


def test_printable_agendas_per_participant_and_per_table(desk, fair):
    profile_pdf = desk.get(reverse("admin:networking_profile_agenda", args=[fair.people[1].pk]))
    assert profile_pdf["Content-Type"] == "application/pdf" and profile_pdf.content.startswith(b"%PDF")
    table_pdf = desk.get(reverse("admin:networking_table_agenda", args=[fair.tables[0].pk]))
    assert table_pdf.content.startswith(b"%PDF")
    batch = _export(desk, fair, "print_agendas")
    assert batch.content.count(b"/Type /Page\n") + batch.content.count(b"/Type /Page ") >= 3


def test_outcome_report_is_linked_and_exports(desk, fair):
    content = desk.get(DESK).content.decode()
    assert reverse("networking:outcome-report") in content
    response = desk.get(reverse("admin:networking_meeting_outcome_export", args=["csv"]), {"event": fair.event.pk})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][9] == "outcome" and {row[9] for row in rows[1:]} == {"upcoming"}
    xlsx = desk.get(reverse("admin:networking_meeting_outcome_export", args=["xlsx"]), {"event": fair.event.pk})
    assert len(list(load_workbook(io.BytesIO(xlsx.content)).active.values)) == 3


def test_desk_staff_cannot_export_meetings(client, fair):
    client.force_login(member(roles.DESK_STAFF))
    assert client.get(DESK).status_code == 403
    assert client.get(reverse("admin:networking_meeting_outcome_export", args=["csv"])).status_code == 403


def test_scheduler_figures_read_in_words_in_both_languages(desk, fair):
    run = ScheduleRun.objects.create(event=fair.event, status=ScheduleRun.Status.SUCCEEDED, progress=100, metrics={
        "meetings": 1200, "must_scheduled": 40, "must_bound": 41, "coverage": 0.98, "coverage_bound": 1.0,
        "ratio": 0.9987, "violation_count": 0, "weight": 5000.5, "bound": 5007.0,
    })  # fmt: skip
    spanish = desk.get(reverse("admin:networking_schedulerun_change", args=[run.pk])).content.decode()
    table = spanish[spanish.find("run-quality") : spanish.find("</table>", spanish.find("run-quality"))]
    assert "Solicitudes aceptadas agendadas" in table and "99.9 %" in table and "must_scheduled" not in spanish, table
    desk.cookies["expo_language"] = "en"
    english = desk.get(reverse("admin:networking_schedulerun_change", args=[run.pk])).content.decode()
    desk.cookies["expo_language"] = "es-mx"
    assert "Accepted requests scheduled" in english and "99.9 %" in english
    listed = desk.get(reverse("admin:networking_schedulerun_changelist")).content.decode()
    assert "40 de 41 solicitudes aceptadas agendadas" in listed


def test_meetings_are_cancelled_from_the_desk(desk, fair):
    meeting = fair.event.meetings.first()
    desk.post(DESK, {"action": "cancel", "_selected_action": [meeting.pk]})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
