"""Workshop capacity under simultaneous enrollment, on PostgreSQL with threads, and the certificate
batch run by a real Celery worker."""

import pytest
from django.db import connection

from expo.program import services, tasks
from expo.program.models import Certificate, CertificateBatch, Enrollment
from expo.registration.badges import attendee_badge_code
from tests.conftest import celery_broker, celery_worker, redis_url
from tests.networking.test_concurrency import run_together

from .conftest import program_make, visitor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("round_", range(3))
def test_simultaneous_enrollments_never_exceed_the_seats(round_):
    program = program_make(seats=3)
    people = [visitor(program) for _ in range(12)]
    results = run_together(*[
        (lambda person=person: services.enrollment_create(attendee=person, session=program.workshop).status)
        for person in people
    ])  # fmt: skip
    statuses = sorted(value for kind, value in results if kind == "ok")
    assert len(statuses) == 12, results
    assert statuses.count("enrolled") == 3 and statuses.count("waitlisted") == 9
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 3
    assert Enrollment.objects.filter(session=program.workshop, status="enrolled").count() == 3


def test_one_person_enrolling_from_many_tabs_gets_one_enrollment():
    program = program_make(seats=3)
    person = visitor(program)
    results = run_together(*[
        (lambda: services.enrollment_create(attendee=person, session=program.workshop).status) for _ in range(6)
    ])  # fmt: skip
    assert all(kind == "ok" for kind, _ in results), results
    assert Enrollment.objects.filter(attendee=person).count() == 1
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 1


def test_last_seat_freed_and_taken_at_once_stays_consistent():
    program = program_make(seats=1)
    holder, newcomer, waiting = visitor(program), visitor(program), visitor(program)
    services.enrollment_create(attendee=holder, session=program.workshop)
    services.enrollment_create(attendee=waiting, session=program.workshop)
    enrollment = Enrollment.objects.get(attendee=holder)
    run_together(
        lambda: services.enrollment_cancel(enrollment=enrollment),
        lambda: services.enrollment_create(attendee=newcomer, session=program.workshop),
    )
    program.workshop.refresh_from_db()
    held = Enrollment.objects.filter(session=program.workshop).holding_seat()
    assert program.workshop.enrolled_count == held.count() == 1
    # The freed seat went to the person already waiting, not to whoever asked at that moment.
    assert held.get().attendee == waiting


@pytest.mark.redis
@pytest.mark.worker
def test_certificate_batch_runs_in_a_real_worker_with_progress():
    program = program_make(seats=5)
    people = [visitor(program) for _ in range(3)]
    for person in people:
        services.enrollment_create(attendee=person, session=program.workshop)
        for direction, at in (("in", program.workshop.start), ("out", program.workshop.end)):
            services.room_scan_record(event=program.event, code=attendee_badge_code(person), direction=direction,
                                      session=program.workshop, at=at)  # fmt: skip
    batch = CertificateBatch.objects.create(event=program.event)
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    url = redis_url()
    env = {"REDIS_URL": url, "DATABASE_URL": database_url, "EMAIL_URL": "locmem:"}
    with celery_broker(url), celery_worker(queue="test-certificates", env=env):
        result = tasks.certificate_batch_run.apply_async(args=[batch.pk], queue="test-certificates")
        assert result.get(timeout=90, disable_sync_subtasks=False) == "done"
    batch.refresh_from_db()
    assert (batch.total, batch.done, batch.issued, batch.percent) == (3, 3, 3, 100)
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 3
