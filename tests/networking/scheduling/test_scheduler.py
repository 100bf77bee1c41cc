"""The scheduler run: the instance built from the database, drafts written in one transaction,
quality measured, publish and re-run around published and locked meetings."""

import contextlib
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from networking import services
from networking.models import Meeting, MeetingRequest, MeetingSeat, ScheduleRun
from networking.scheduling import selectors
from networking.scheduling import services as scheduling
from networking.scheduling.selectors import MUST_BONUS, schedule_instance
from tests.conftest import celery_broker
from tests.factories import OrganizationFactory, ParticipantFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fair(edition, solver):
    """Two hospitals and three manufacturers (two of them colleagues); one accepted request."""
    event = edition.event
    h1 = ParticipantFactory(event=event, role="hospital", max_meetings=3)
    h2 = ParticipantFactory(event=event, role="hospital", max_meetings=3)
    h2.availability.set(edition.slots[:2])
    org = OrganizationFactory(kind="manufacturer")
    m1 = ParticipantFactory(event=event, role="manufacturer", organization=org)
    m2 = ParticipantFactory(event=event, role="manufacturer", organization=org)
    m3 = ParticipantFactory(event=event, role="manufacturer")
    accepted = MeetingRequest.objects.create(event=event, sender=h1, recipient=m3, status="accepted")
    return {"edition": edition, "h1": h1, "h2": h2, "m1": m1, "m2": m2, "m3": m3, "accepted": accepted}


def pid(profile):
    return f"p{profile.pk}"


def run(event, **kwargs):
    kwargs.setdefault("time_limit", 5)
    return ScheduleRun.objects.get(pk=scheduling.schedule_run_start(event=event, **kwargs).pk)


def live_meetings(event):
    return sorted(
        (m.slot_id, m.table_id, tuple(sorted(m.seats.values_list("profile_id", flat=True))), m.status)
        for m in Meeting.objects.filter(event=event).exclude(status="cancelled")
    )


def test_instance_follows_the_spec(fair):
    edition = fair["edition"]
    MeetingRequest.objects.create(event=edition.event, sender=fair["h2"], recipient=fair["m1"], status="declined")
    built = schedule_instance(event=edition.event)
    instance = built.instance
    assert [s["id"] for s in instance["slots"]] == [f"s{s.pk}" for s in edition.slots]
    assert instance["spaces"] == [{"id": "A", "name": "Espacio B2B A", "tables": 2,
                                   "slots": [f"s{s.pk}" for s in edition.slots]}]  # fmt: skip
    people = {p["id"]: p for p in instance["participants"]}
    assert len(people[pid(fair["h1"])]["available"]) == 6  # empty availability: every open slot
    assert people[pid(fair["h2"])]["available"] == [f"s{s.pk}" for s in edition.slots[:2]]
    assert people[pid(fair["m1"])]["organization"] == people[pid(fair["m2"])]["organization"]
    pairs = {frozenset((e["a"], e["b"])): e for e in instance["pairs"]}
    assert frozenset((pid(fair["m1"]), pid(fair["m2"]))) not in pairs  # colleagues
    assert frozenset((pid(fair["h2"]), pid(fair["m1"]))) not in pairs  # declined
    must = pairs[frozenset((pid(fair["h1"]), pid(fair["m3"])))]
    assert must["must"] is True and must["weight"] > MUST_BONUS
    assert all(e["weight"] > 0 for e in instance["pairs"])
    assert sum(e["must"] for e in instance["pairs"]) == 1


def test_a_run_writes_valid_drafts_and_records_their_quality(fair):
    event = fair["edition"].event
    result = run(event)
    assert result.status == "succeeded" and result.progress == 100 and result.finished_at
    m = result.metrics
    assert m["violation_count"] == 0
    assert m["must_scheduled"] == m["must_bound"] == 1
    assert m["coverage"] == m["coverage_bound"] == 1.0
    assert 0 < m["ratio"] <= 1 and m["bound"] > 0
    drafts = Meeting.objects.filter(event=event, status="draft")
    assert drafts.count() == m["meetings"] == m["drafts_written"] > 0
    assert drafts.get(request=fair["accepted"]).run == result
    assert not mail.outbox  # nothing is sent before publishing


def test_the_runs_progress_follows_the_work(fair, monkeypatch):
    seen = []
    real = scheduling._run_progress

    def record(run, progress, **fields):
        seen.append(progress)
        real(run, progress, **fields)

    monkeypatch.setattr(scheduling, "RUN_PROGRESS_EVERY", 0)  # every step written, however fast
    monkeypatch.setattr(scheduling, "_run_progress", record)
    result = run(fair["edition"].event)
    assert result.progress == 100 and seen == sorted(seen) and seen[-1] == 100
    low, high = scheduling.RUN_PHASES["solve"]
    assert len({p for p in seen if low < p < high}) >= 3  # the solver's own steps, between the phases
    assert len(set(seen)) >= 10
    metrics = result.metrics
    assert metrics["pairs_scored"] >= metrics["pairs"] > 0 and 0 <= metrics["pruning_gap"] <= 1e-4
    assert all(f"{phase}_seconds" in metrics for phase in scheduling.RUN_PHASES)


def test_running_twice_duplicates_nothing(fair):
    event = fair["edition"].event
    run(event)
    first = live_meetings(event)
    second_run = run(event)
    assert live_meetings(event) == first
    assert second_run.metrics["drafts_replaced"] == len(first)
    assert MeetingSeat.objects.filter(meeting__event=event).count() == 2 * len(first)


def test_a_failing_solver_leaves_the_previous_schedule_and_says_why(fair, monkeypatch, solver):
    event = fair["edition"].event
    run(event)
    before = live_meetings(event)
    monkeypatch.setattr(solver, "solve", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("out of memory")))
    failed = run(event)
    assert failed.status == "failed" and "out of memory" in failed.error
    assert live_meetings(event) == before


def test_a_run_that_dies_while_writing_leaves_the_previous_schedule(fair, monkeypatch):
    event = fair["edition"].event
    run(event)
    before = live_meetings(event)

    def crash(*args, **kwargs):
        raise OSError("worker killed")

    monkeypatch.setattr(MeetingSeat.objects, "bulk_create", crash)
    assert run(event).status == "failed"
    assert live_meetings(event) == before


@contextlib.contextmanager
def worker_alive(run_id: int):
    """A worker executing the run, as the others see it: on PostgreSQL, another session holding the run's
    advisory lock (schedule_run_execute takes it); elsewhere nothing to hold (the time rule only)."""
    if connection.vendor != "postgresql":
        yield
        return
    from tests.faults.conftest import other_connection  # noqa: PLC0415 -- PostgreSQL only

    with other_connection() as db:
        db.execute("SELECT pg_advisory_lock(%s, %s)", [scheduling.RUN_LOCK_NAMESPACE, run_id])
        yield


def test_only_one_run_at_a_time_and_a_silent_one_is_given_up_past_its_time_limit(fair):
    event = fair["edition"].event
    stuck = ScheduleRun.objects.create(event=event, status="running", time_limit=5)
    with worker_alive(stuck.pk):  # a worker still at it, hung or slow: the time limit is the backstop
        with pytest.raises(ValidationError, match="en curso"):
            scheduling.schedule_run_start(event=event)
        ScheduleRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=20))
        with pytest.raises(ValidationError, match="en curso"):  # not yet 25 minutes past its limit
            scheduling.schedule_run_start(event=event)
        ScheduleRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(hours=1))
        assert run(event).status == "succeeded"
    stuck.refresh_from_db()
    assert stuck.status == "failed"


@pytest.mark.postgres
def test_a_run_whose_worker_is_gone_is_failed_at_once_and_shown_so(fair, admin_client):
    event = fair["edition"].event
    orphan = ScheduleRun.objects.create(event=event, status="running", time_limit=600)  # nobody holds its lock
    with worker_alive(orphan.pk):
        assert scheduling.schedule_runs_redispatch() == 0
        assert ScheduleRun.objects.get(pk=orphan.pk).status == "running"
    assert scheduling.schedule_runs_redispatch() == 0  # the periodic task marks it, a minute at most
    orphan.refresh_from_db()
    assert orphan.status == "failed" and orphan.finished_at is not None
    page = admin_client.get(reverse("admin:networking_schedulerun_change", args=[orphan.pk])).content.decode()
    assert "El proceso que la ejecutaba se detuvo" in page
    # A new run starts at once, without waiting out the dead one's time limit.
    assert run(event).status == "succeeded"


def test_publishing_emails_each_participant_once_and_twice_publishes_nothing(fair):
    event = fair["edition"].event
    run(event)
    people = set(MeetingSeat.objects.filter(meeting__event=event).values_list("profile__attendee__email", flat=True))
    mail.outbox.clear()
    published = scheduling.schedule_publish(event=event)
    assert published == Meeting.objects.filter(event=event, status="published").count() > 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people)
    assert "agenda" in mail.outbox[0].subject.lower()
    assert scheduling.schedule_publish(event=event) == 0


def test_rerun_keeps_published_and_locked_meetings_and_fills_freed_seats(fair, edition):
    event = edition.event
    run(event)
    scheduling.schedule_publish(event=event)
    published = {m.pk: (m.slot_id, m.table_id) for m in Meeting.objects.filter(event=event)}
    cancelled = Meeting.objects.filter(event=event).exclude(request=fair["accepted"]).first()
    services.meeting_cancel(meeting=cancelled)  # organizers cancel: the pair may meet again
    newcomer = ParticipantFactory(event=event, role="distributor")
    hospital_drafts = run(event)
    assert hospital_drafts.metrics["fixed"] == len(published) - 1
    for meeting in Meeting.objects.filter(pk__in=published).exclude(pk=cancelled.pk):
        assert meeting.status == "published" and (meeting.slot_id, meeting.table_id) == published[meeting.pk]
    new = Meeting.objects.filter(event=event, status="draft")
    assert new.filter(seats__profile=newcomer).exists()
    locked = new.first()
    services.meeting_lock(meeting=locked)
    run(event)
    assert Meeting.objects.filter(pk=locked.pk, status="draft").exists()


def test_a_participants_own_booking_made_during_a_run_wins_and_the_run_skips_the_clash(fair, solver, monkeypatch):
    """The run's meetings are computed before a participant books; the write sees the booking."""
    event = fair["edition"].event
    real = solver.solve
    booking = {}

    def solve_then_someone_books(instance, **kwargs):
        result = real(instance, **kwargs)
        clash = next(m for m in result["meetings"] if {m["a"], m["b"]} == {pid(fair["h1"]), pid(fair["m3"])})
        slot = next(s for s in fair["edition"].slots if f"s{s.pk}" == clash["slot"])
        booking["meeting"] = services.meeting_book(request=fair["accepted"], slot=slot, by=fair["h1"])
        return result

    monkeypatch.setattr(solver, "solve", solve_then_someone_books)
    result = run(event)
    assert result.status == "succeeded" and result.metrics["skipped"] >= 1
    assert Meeting.objects.get(request=fair["accepted"]).pk == booking["meeting"].pk
    assert result.metrics["violation_count"] == 0


def test_the_command_schedules_an_instance_file(tmp_path, solver):
    instance = {
        "slots": [{"id": "s1"}, {"id": "s2"}],
        "spaces": [{"id": "A", "tables": 1, "slots": ["s1", "s2"]}],
        "participants": [
            {"id": "p1", "organization": "o1", "role": "hospital", "max_meetings": 2, "available": ["s1", "s2"]},
            {"id": "p2", "organization": "o2", "role": "manufacturer", "max_meetings": 2, "available": ["s1", "s2"]},
            {"id": "p3", "organization": "o3", "role": "supplier", "max_meetings": 2, "available": ["s2"]},
        ],
        "pairs": [
            {"a": "p1", "b": "p2", "weight": 5.0, "must": True},
            {"a": "p2", "b": "p3", "weight": 3.0, "must": False},
        ],
    }
    (tmp_path / "in.json").write_text(json.dumps(instance))
    call_command("schedule_meetings", instance=str(tmp_path / "in.json"), output=str(tmp_path / "out.json"),
                 time_limit=2, stdout=open("/dev/null", "w"))  # fmt: skip
    meetings = json.loads((tmp_path / "out.json").read_text())["meetings"]
    assert {frozenset((m["a"], m["b"])) for m in meetings} == {frozenset(("p1", "p2")), frozenset(("p2", "p3"))}


def test_the_command_exports_the_instance_of_an_edition(fair, tmp_path):
    call_command("schedule_meetings", event=fair["edition"].event.slug, save_instance=str(tmp_path / "i.json"),
                 output=str(tmp_path / "o.json"), time_limit=2, stdout=open("/dev/null", "w"))  # fmt: skip
    exported = json.loads((tmp_path / "i.json").read_text())
    assert len(exported["participants"]) == 5
    assert selectors.schedule_instance(event=fair["edition"].event).instance == exported


def test_a_run_started_while_the_broker_is_down_waits_and_starts_once_it_is_back(fair, admin_client):
    event = fair["edition"].event
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there: the task cannot be queued
        response = admin_client.post(reverse("admin:networking_schedulerun_run"), {"event": event.pk, "time_limit": 5})
    assert response.status_code == 302  # the organizer gets the list with a message, not a 500
    waiting = ScheduleRun.objects.get()
    assert waiting.status == "queued"
    # The periodic re-dispatch leaves a run alone for a minute (its task may still be on its way)...
    assert scheduling.schedule_runs_redispatch() == 0
    # ...then queues it again; running it twice would do nothing more.
    assert scheduling.schedule_runs_redispatch(at=timezone.now() + timedelta(minutes=2)) == 1
    waiting.refresh_from_db()
    assert waiting.status == "succeeded" and Meeting.objects.filter(event=event, status="draft").exists()
    assert scheduling.schedule_runs_redispatch(at=timezone.now() + timedelta(minutes=2)) == 0
