"""Table QR check-in, confirming a meeting with feedback, and what organizers see: table codes,
the slot grid, the scheduler in the admin, and the outcome report."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from networking.models import Meeting, NetworkingSettings, ScheduleRun, Slot
from networking.scheduling.services import slot_grid_generate
from networking.services import meeting_checkin, meeting_outcome_record
from networking.table_codes import table_code
from tests.factories import MeetingFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_meeting(edition):
    """A published meeting at table A2 in a slot that started five minutes ago."""
    start = timezone.now() - timedelta(minutes=5)
    slot = Slot.objects.create(event=edition.event, start=start, end=start + timedelta(minutes=20))
    edition.space.slots.add(slot)
    a = ParticipantFactory(event=edition.event, role="hospital")
    b = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge")
    return MeetingFactory(event=edition.event, slot=slot, table=edition.tables[1], between=(a, b)), a, b


def test_scanning_the_table_qr_checks_the_participant_in(client, now_meeting, edition):
    meeting, a, b = now_meeting
    signin(client, a.attendee)
    url = reverse("networking:table-checkin", args=[table_code(edition.tables[1])])
    response = client.get(url)
    assert response.status_code == 200 and "Jorge" in response.content.decode()
    seat = meeting.seats.get(profile=a)
    assert seat.checked_in_at is not None
    first = seat.checked_in_at
    client.get(url)  # a second scan keeps the first time
    assert meeting.seats.get(profile=a).checked_in_at == first


def test_scanning_another_table_or_a_forged_code_checks_nobody_in(client, now_meeting, edition):
    meeting, a, _ = now_meeting
    signin(client, a.attendee)
    assert client.get(reverse("networking:table-checkin", args=[table_code(edition.tables[0])])).status_code == 404
    assert client.get(reverse("networking:table-checkin", args=["EXPOT1.1.1.AAAA"])).status_code == 400
    assert not meeting.seats.filter(checked_in_at__isnull=False).exists()


def test_check_in_is_only_open_around_the_meeting_time(now_meeting, edition):
    meeting, a, _ = now_meeting
    with pytest.raises(ValidationError):
        meeting_checkin(profile=a, table=edition.tables[1], at=meeting.slot.end + timedelta(hours=1))
    assert meeting_checkin(profile=a, table=edition.tables[1], at=meeting.slot.start - timedelta(minutes=10))


def test_both_sides_confirm_and_leave_feedback_with_a_deal_value(client, now_meeting):
    meeting, a, b = now_meeting
    signin(client, a.attendee)
    url = reverse("networking:meeting-outcome", args=[meeting.pk])
    bad = client.post(url, {"took_place": "yes", "feedback": "Muy útil", "deal_value": "-5"})
    assert bad.status_code == 200 and "no puede ser negativo" in bad.content.decode()
    assert "Muy útil" in bad.content.decode()
    assert client.post(url, {"took_place": "yes", "feedback": "Muy útil", "deal_value": "250000"}).status_code == 302
    seat = meeting.seats.get(profile=a)
    assert seat.took_place is True and seat.deal_value == Decimal("250000") and seat.feedback == "Muy útil"


def test_a_meeting_cannot_be_confirmed_before_it_starts(edition):
    a, b = ParticipantFactory.create_batch(2, event=edition.event)
    meeting = MeetingFactory(event=edition.event, slot=edition.slots[0], table=edition.tables[0], between=(a, b))
    with pytest.raises(ValidationError):
        meeting_outcome_record(seat=meeting.seats.get(profile=a), took_place=True,
                               at=edition.slots[0].start - timedelta(hours=1))  # fmt: skip


def test_outcome_report_counts_held_no_shows_cancellations_and_deal_value(admin_client, edition):
    past = timezone.now() - timedelta(days=1)
    slots = [Slot.objects.create(event=edition.event, start=past + timedelta(minutes=20 * i),
                                 end=past + timedelta(minutes=20 * (i + 1))) for i in range(3)]  # fmt: skip
    people = ParticipantFactory.create_batch(6, event=edition.event)
    held = MeetingFactory(event=edition.event, slot=slots[0], table=edition.tables[0], between=people[:2])
    MeetingFactory(event=edition.event, slot=slots[1], table=edition.tables[0], between=people[2:4])  # no-show
    MeetingFactory(event=edition.event, slot=slots[2], table=edition.tables[0], between=people[4:],
                   status=Meeting.Status.CANCELLED)  # fmt: skip
    seats = list(held.seats.all())
    meeting_outcome_record(seat=seats[0], took_place=True, feedback="Pedido de prueba", deal_value=Decimal("100000"))
    meeting_outcome_record(seat=seats[1], took_place=True, deal_value=Decimal("80000"))
    response = admin_client.get(reverse("networking:outcome-report"), {"event": edition.event.pk})
    report = response.context["report"]
    assert (report["held"], report["no_show"], report["cancelled"], report["deal_value"]) == (1, 1, 1, 100000)
    assert "Pedido de prueba" in response.content.decode()


def test_outcome_report_takes_the_same_queries_however_many_meetings(admin_client, edition, django_assert_num_queries):
    past = timezone.now() - timedelta(days=1)

    def add(n):
        for _ in range(n):
            start = past - timedelta(minutes=20 * Slot.objects.count())
            slot = Slot.objects.create(event=edition.event, start=start, end=start + timedelta(minutes=20))
            meeting = MeetingFactory(event=edition.event, slot=slot, table=edition.tables[0],
                                     between=ParticipantFactory.create_batch(2, event=edition.event))  # fmt: skip
            meeting_outcome_record(seat=meeting.seats.first(), took_place=True, feedback="Bien")

    add(2)
    url = reverse("networking:outcome-report")
    # 1 user (the session is read from the cache), 2 the device that verified the session (django-otp),
    # 3 edition, 4 counts by status, 5 seats of past meetings, 6 feedback with people and places
    with django_assert_num_queries(6):
        admin_client.get(url, {"event": edition.event.pk})
    add(6)
    with django_assert_num_queries(6):
        admin_client.get(url, {"event": edition.event.pk})


def test_organizers_print_one_qr_card_per_table(admin_client, edition):
    response = admin_client.get(reverse("networking:tables-sheet", args=[edition.space.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<svg") == 2 and "Mesa A1" in html


def test_visitors_cannot_open_organizer_pages(client, edition):
    assert client.get(reverse("networking:tables-sheet", args=[edition.space.pk])).status_code == 302
    assert client.get(reverse("networking:outcome-report")).status_code == 302


def test_slot_grid_opens_a_space_in_20_minute_rounds_reusing_existing_slots(edition):
    result = slot_grid_generate(space=edition.space, day=edition.event.start_date, start=time(11, 0), end=time(13, 0),
                                tables=4)  # fmt: skip
    assert (result.created, result.opened) == (3, 3)  # 11:00-12:00 existed; 12:00-13:00 is new
    assert edition.space.slots.count() == 9 and edition.space.tables.count() == 4
    again = slot_grid_generate(space=edition.space, day=edition.event.start_date, start=time(11, 0), end=time(13, 0))
    assert (again.created, again.opened) == (0, 0)
    with pytest.raises(ValidationError):
        slot_grid_generate(space=edition.space, day=edition.event.start_date, start=time(10, 10), end=time(11, 0))


def test_slot_grid_form_in_the_admin(admin_client, edition):
    url = reverse("admin:networking_networkingspace_slot_grid", args=[edition.space.pk])
    response = admin_client.post(
        url,
        {
            "day": (edition.event.start_date + timedelta(days=1)).isoformat(),
            "start": "10:00",
            "end": "12:00",
            "minutes": 20,
        },
    )
    assert response.status_code == 302
    assert edition.space.slots.count() == 12


def test_admin_starts_a_run_and_shows_progress_and_quality(
    admin_client, edition, solver, django_capture_on_commit_callbacks
):
    a = ParticipantFactory(event=edition.event, role="hospital")
    ParticipantFactory(event=edition.event, role="manufacturer")
    NetworkingSettings.objects.create(event=edition.event)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:networking_schedulerun_run"),
                                     {"event": edition.event.pk, "time_limit": 5})  # fmt: skip
    assert response.status_code == 302
    run = ScheduleRun.objects.get()
    assert run.status == "succeeded" and a.meetings.filter(status="draft").exists()
    html = admin_client.get(reverse("admin:networking_schedulerun_changelist")).content.decode()
    assert '<progress max="100" value="100">' in html and "de los participantes que pueden reunirse" in html


def test_a_runs_admin_page_shows_its_quality_figures(admin_client, edition):
    run = ScheduleRun.objects.create(event=edition.event, status="succeeded", progress=100,
                                     metrics={"coverage": 0.99, "ratio": 0.97, "violations": []})  # fmt: skip
    html = admin_client.get(reverse("admin:networking_schedulerun_change", args=[run.pk])).content.decode()
    assert "97.0 %" in html and "Participantes con alguna reunión" in html
