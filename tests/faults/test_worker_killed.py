"""Fault: a real Celery worker is killed (SIGKILL: no clean-up, as when its machine dies or the OOM
killer strikes) in the middle of a scheduler run, a certificate batch, a webhook delivery and an
email. Each kill happens at a known point, with no hook in the app: the test holds a row lock (in
its own PostgreSQL session) that the task needs, waits until the worker's backend is blocked on
it, and kills the worker there; or a local receiver (HTTP, SMTP) holds the request and the test
kills the worker while it waits for the answer.

What must hold: the state before the task is intact (a transaction the worker had open is rolled
back, never half-written), the task is retried or can be started again and completes, and nothing
is sent twice: an email or webhook the receiver never got goes out once; one whose answer was lost
with the worker (the receiver did get it) goes again with the same id, which receivers use to
apply it once (the README's receiver does).
"""

import socket
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import celery_broker, celery_worker, login_verified

from .conftest import backends_waiting_on, kill_now, other_connection, wait_until, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def gone(conn, pids) -> bool:
    """The killed worker's database sessions have ended (their transactions rolled back)."""
    rows = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [list(pids)]).fetchone()
    return rows[0] == 0


def test_a_scheduler_run_killed_while_replacing_the_drafts_leaves_them_as_they_were(throwaway_redis, edition):
    from networking.models import Meeting, MeetingRequest, ScheduleRun
    from networking.scheduling import services as scheduling
    from tests.factories import ParticipantFactory

    event = edition.event
    people = [ParticipantFactory(event=event, role=role, max_meetings=3)
              for role in ("hospital", "hospital", "manufacturer", "manufacturer", "distributor")]  # fmt: skip
    MeetingRequest.objects.create(event=event, sender=people[0], recipient=people[2], status="accepted")
    first = ScheduleRun.objects.create(event=event, time_limit=5)
    scheduling.schedule_run_execute(run_id=first.pk)  # the drafts the organizers are looking at

    def drafts():
        return sorted((m.slot_id, m.table_id, tuple(sorted(m.seats.values_list("profile_id", flat=True))))
                      for m in Meeting.objects.filter(event=event, status="draft"))  # fmt: skip

    before = drafts()
    assert len(before) >= 2
    with other_connection() as db, celery_broker(throwaway_redis.url):
        with celery_worker(queue="celery", env=worker_env(redis_url=throwaway_redis.url)) as worker:
            with db.transaction():
                # The run deletes the old drafts before writing its own: it stops on this one, with the
                # seats of all of them already deleted inside its transaction.
                db.execute("SELECT id FROM networking_meeting WHERE id = %s FOR UPDATE",
                           [Meeting.objects.filter(event=event, status="draft").order_by("pk").last().pk])  # fmt: skip
                second = scheduling.schedule_run_start(event=event, time_limit=5)
                blocked = backends_waiting_on(db, timeout=60)
                assert ScheduleRun.objects.get(pk=second.pk).status == "running"
                kill_now(worker)
            assert wait_until(lambda: gone(db, blocked), timeout=15)
    assert drafts() == before, "the killed run's half-done replacement must not show"
    # The worker's lock on the run went with its connection: the run is known dead at once (not 25
    # minutes past its time limit), and the organizers' next run starts and completes.
    with celery_broker(throwaway_redis.url):  # queued there for no worker: it runs here
        third = scheduling.schedule_run_start(event=event, time_limit=5)
    scheduling.schedule_run_execute(run_id=third.pk)
    dead = ScheduleRun.objects.get(pk=second.pk)
    assert dead.status == "failed" and dead.error == scheduling.RUN_DEAD_ERROR
    assert ScheduleRun.objects.get(pk=third.pk).status == "succeeded"
    assert len(drafts()) == len(before) and not Meeting.objects.filter(event=event, seats__isnull=True).exists()


def test_a_certificate_batch_killed_half_way_keeps_what_it_issued_and_a_new_batch_issues_the_rest(
    throwaway_redis, client, django_user_model
):
    from django.urls import reverse

    from expo.mail.models import OutboxEmail
    from expo.program import services as program
    from expo.program.models import Certificate, CertificateBatch
    from expo.registration.badges import attendee_badge_code
    from tests.program.conftest import program_make, visitor

    fair = program_make(seats=10)
    people = [visitor(fair) for _ in range(5)]
    for person in people:
        program.enrollment_create(attendee=person, session=fair.workshop)
        for direction, at in (("in", fair.workshop.start), ("out", fair.workshop.end)):
            program.room_scan_record(event=fair.event, code=attendee_badge_code(person), direction=direction,
                                     session=fair.workshop, at=at)  # fmt: skip
    OutboxEmail.objects.all().delete()  # the enrollments' emails; from here on, only certificates write to it
    with other_connection() as db, celery_broker(throwaway_redis.url):
        with celery_worker(queue="celery", env=worker_env(redis_url=throwaway_redis.url)) as worker:
            with db.transaction():
                db.execute("SELECT id FROM registration_attendee WHERE id = %s FOR UPDATE", [people[2].pk])
                batch = program.certificate_batch_start(event=fair.event)
                blocked = backends_waiting_on(db, timeout=60)  # issued two, waiting to issue the third
                kill_now(worker)
            assert wait_until(lambda: gone(db, blocked), timeout=15)
    batch.refresh_from_db()
    assert batch.status == "running"
    # Two whole certificates (each with its email); the third's transaction was rolled back.
    assert sorted(Certificate.objects.values_list("attendee_id", flat=True)) == [people[0].pk, people[1].pk]
    assert OutboxEmail.objects.count() == 2
    # While it looks running, a new batch is refused; past the task's time limit it is marked interrupted.
    with pytest.raises(ValidationError):
        program.certificate_batch_start(event=fair.event)
    CertificateBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now() - timedelta(minutes=40))
    assert program.certificate_batches_redispatch() == 0
    batch.refresh_from_db()
    assert batch.status == "failed" and "Interrupted" in batch.error
    organizer = django_user_model.objects.create_superuser("org", "org@expo.mx", "x")
    login_verified(client, organizer)
    page = client.get(reverse("program:staff-certificates"), HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Interrumpido" in page  # the organizers read what happened, in their language
    with celery_broker(throwaway_redis.url):  # queued there for no worker: it runs here
        retry = program.certificate_batch_start(event=fair.event)
    program.certificate_batch_run(batch_id=retry.pk)  # the retry, run here
    retry.refresh_from_db()
    assert (retry.status, retry.total, retry.issued, retry.unchanged) == ("done", 5, 3, 2)
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == Certificate.objects.count() == 5
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == sorted(p.email for p in people)


@pytest.fixture
def holding_receiver(receiver):
    """The webhook receiver, holding its first request (already read in full) until released."""
    arrived, release = threading.Event(), threading.Event()
    handle = receiver.handle

    def held(headers, body):
        code = handle(headers, body)
        if not arrived.is_set():
            arrived.set()
            release.wait(30)
        return code

    receiver.handle = held
    receiver.arrived, receiver.release = arrived, release
    return receiver


def test_a_worker_killed_while_a_receiver_answers_a_webhook_redelivers_it_once_with_the_same_id(
    throwaway_redis, holding_receiver, settings
):
    from exhibitors.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
    from exhibitors.services import lead_capture, webhook_endpoint_create, webhooks_drain
    from tests.exhibitors.conftest import badge, visitor
    from tests.factories import EventFactory, ExhibitorFactory

    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    receiver = holding_receiver
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    with celery_broker(throwaway_redis.url):
        receiver.secret = webhook_endpoint_create(exhibitor=exhibitor, url=receiver.url).secret
        with celery_worker(queue="celery", env=worker_env(redis_url=throwaway_redis.url)) as worker:
            first, second = (lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True))).lead
                             for _ in range(2))  # fmt: skip
            assert receiver.arrived.wait(60), "the worker never delivered"
            kill_now(worker)  # the receiver has the first event; its 204 will find nobody
            receiver.release.set()
    # Nothing recorded: no attempt, the delivery still pending, the endpoint's lease still held.
    assert WebhookAttempt.objects.count() == 0
    assert list(WebhookDelivery.objects.order_by("pk").values_list("status", flat=True)) == ["pending", "pending"]
    assert webhooks_drain() == 0  # the dead worker's lease keeps others off, so the order holds
    # A minute later the lease has lapsed; the periodic drain delivers both, in order.
    WebhookEndpoint.objects.update(sending_until=timezone.now() - timedelta(seconds=1))
    assert webhooks_drain() == 2 and webhooks_drain() == 0
    assert [r.body["data"]["id"] for r in receiver.accepted] == [first.pk, second.pk]
    # The first event reached the receiver twice under one id: it applied it once and answered the
    # retry as a duplicate (a receiver that dedupes by Expo-Webhook-Id, as the README says to).
    assert receiver.replays == 1 and all(r.verified for r in receiver.accepted)
    assert list(WebhookDelivery.objects.order_by("pk").values_list("status", "attempts")) == [("delivered", 1)] * 2


def test_a_worker_killed_while_talking_to_the_mail_server_leaves_the_email_to_be_sent_once(throwaway_redis, settings):
    from expo.mail.models import OutboxEmail
    from expo.mail.services import mail_drain
    from expo.registration.services import registration_create
    from tests.factories import EventFactory, PassTypeFactory

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    connected, held = threading.Event(), []

    def accept():  # takes the connection and never says hello: the worker waits inside the send
        try:
            held.append(server.accept()[0])
            connected.set()
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    event = EventFactory()
    env = worker_env(redis_url=throwaway_redis.url, EMAIL_URL=f"smtp://127.0.0.1:{server.getsockname()[1]}")
    try:
        with celery_broker(throwaway_redis.url), celery_worker(queue="celery", env=env) as worker:
            registration_create(event=event, pass_type=PassTypeFactory(event=event), email="rosa@clinica.mx",
                                first_name="Rosa", last_name="Díaz", privacy_accepted=True)  # fmt: skip
            assert connected.wait(60), "the worker never reached the mail server"
            kill_now(worker)
    finally:
        server.close()
        for sock in held:
            sock.close()
    email = OutboxEmail.objects.get()
    assert email.sent_at is None and email.claimed_until is not None and email.attempts == 0
    assert mail_drain() == 0  # claimed by the dead worker: nobody sends it while its lease runs
    OutboxEmail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))  # five minutes later
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail_drain() == 1 and mail_drain() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rosa@clinica.mx"]
