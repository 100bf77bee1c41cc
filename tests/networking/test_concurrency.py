"""No double booking under concurrency, on PostgreSQL with threads: participants booking their own
meetings while the scheduler writes its drafts can never give a person or a table two meetings in
a slot; the side that loses gets a clear error (a booking) or skips the meeting (the scheduler),
and nothing half-written remains."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from networking import services
from networking.models import Meeting, MeetingRequest, MeetingSeat
from networking.scheduling import selectors as scheduling_selectors
from networking.scheduling import services as scheduling
from tests.factories import ParticipantFactory
from tests.networking.conftest import edition_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(*jobs):
    """Start every job at the same moment, each on its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = ("ok", job())
        except Exception as exc:  # noqa: BLE001 - the test inspects what each side got
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def assert_no_double_booking(event):
    live = Meeting.objects.filter(event=event).exclude(status="cancelled")
    assert all(n == 2 for n in Counter(MeetingSeat.objects.filter(meeting__in=live).values_list(
        "meeting_id", flat=True)).values())  # fmt: skip
    assert MeetingSeat.objects.filter(meeting__in=live).count() == 2 * live.count()  # nothing half-written
    seats = Counter(MeetingSeat.objects.filter(meeting__in=live, is_active=True).values_list("profile_id", "slot_id"))
    assert max(seats.values(), default=1) == 1
    tables = Counter(live.values_list("slot_id", "table_id"))
    assert max(tables.values(), default=1) == 1


@pytest.mark.parametrize("round_", range(3))
def test_bookings_racing_the_scheduler_write_never_double_book(round_):
    edition = edition_make(slots=2, tables=2)
    event = edition.event
    hospitals = ParticipantFactory.create_batch(4, event=event, role="hospital")
    makers = ParticipantFactory.create_batch(4, event=event, role="manufacturer")
    requests = [
        MeetingRequest.objects.create(event=event, sender=h, recipient=m, status="accepted")
        for h, m in zip(hospitals, makers)
    ]
    built = scheduling_selectors.schedule_instance(event=event)
    # The scheduler's answer, computed before anyone books: each accepted pair in slot 1 or 2.
    slots = [f"s{s.pk}" for s in edition.slots]
    result = {"meetings": [
        {"a": f"p{h.pk}", "b": f"p{m.pk}", "slot": slots[i // 2], "space": "A", "table": i % 2 + 1}
        for i, (h, m) in enumerate(zip(hospitals, makers))
    ]}  # fmt: skip
    # Meanwhile every pair books itself into slot 1, where only two tables stand.
    jobs = [lambda: scheduling.schedule_drafts_write(event=event, run=None, built=built, result=result)]
    jobs += [(lambda r=r: services.meeting_book(request=r, slot=edition.slots[0], by=r.sender)) for r in requests]
    if round_ % 2:
        jobs.reverse()
    outcomes = run_together(*jobs)
    for status, value in outcomes:
        if status == "error":
            assert isinstance(value, ValidationError), repr(value)
    assert_no_double_booking(event)
    booked = [value for status, value in outcomes if status == "ok" and isinstance(value, Meeting)]
    assert len(booked) <= 2  # slot 1 has two tables; the scheduler may have taken them first
    assert Meeting.objects.filter(event=event).exclude(status="cancelled").count() <= 4


def test_two_bookings_for_the_last_table_one_wins_one_is_told():
    edition = edition_make(slots=1, tables=1)
    event = edition.event
    requests = [
        MeetingRequest.objects.create(event=event, status="accepted",
                                      sender=ParticipantFactory(event=event, role="hospital"),
                                      recipient=ParticipantFactory(event=event, role="manufacturer"))
        for _ in range(2)
    ]  # fmt: skip
    outcomes = run_together(*[
        (lambda r=r: services.meeting_book(request=r, slot=edition.slots[0], by=r.sender)) for r in requests
    ])  # fmt: skip
    assert sorted(status for status, _ in outcomes) == ["error", "ok"]
    error = next(value for status, value in outcomes if status == "error")
    assert isinstance(error, ValidationError) and "mesas" in error.messages[0]
    assert_no_double_booking(event)


def test_the_same_person_booked_twice_at_once_gets_one_meeting():
    edition = edition_make(slots=1, tables=2)
    event = edition.event
    busy = ParticipantFactory(event=event, role="manufacturer")
    requests = [
        MeetingRequest.objects.create(event=event, status="accepted", recipient=busy,
                                      sender=ParticipantFactory(event=event, role="hospital"))
        for _ in range(2)
    ]  # fmt: skip
    outcomes = run_together(*[
        (lambda r=r: services.meeting_book(request=r, slot=edition.slots[0], by=r.sender)) for r in requests
    ])  # fmt: skip
    assert sorted(status for status, _ in outcomes) == ["error", "ok"]
    assert MeetingSeat.objects.filter(profile=busy, is_active=True).count() == 1
    assert_no_double_booking(event)
