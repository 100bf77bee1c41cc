"""Fault: Redis goes away (a throwaway `redis-server` of the test, killed with SIGKILL) while
visitors register, exhibitors capture leads whose webhooks are due, and organizers start tasks.

What must hold: every registration and lead is saved and the visitor never waits on the dead
broker; nothing is lost (each email and webhook waits in its outbox in the database); the
organizer gets a page with a clear message, never a 500; and once Redis is back, the periodic
tasks (beat's schedule) run in a real Celery worker and everything goes out, once.
"""

import time

import pytest
from django.test import Client

from exhibitors.models import Lead, WebhookDelivery
from exhibitors.services import webhook_endpoint_create
from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee, PassType
from tests.conftest import celery_broker, celery_worker
from tests.exhibitors.conftest import badge, bearer, token_for, visitor
from tests.factories import EventFactory, ExhibitorFactory, PassTypeFactory, TermFactory

from .conftest import mails_in, wait_until, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def redis_everywhere(settings, url: str) -> None:
    """The web process's cache (rate limits, API throttles) and broker both on `url`."""
    settings.REDIS_URL = url
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


def registration_form(pass_type, state, i: int) -> dict:
    return {"pass_type": pass_type.pk, "first_name": f"Visitante{i}", "last_name": "Pérez",
            "email": f"v{i}@hospital.mx", "organization_kind": "hospital", "country": "MX", "state": state.pk,
            "privacy_accepted": "on"}  # fmt: skip


def beat(*names: str) -> list:
    """What Celery beat does every minute: queue the periodic tasks by name (a real worker runs them)."""
    from expo.celery import app

    return [app.send_task(name) for name in names]


def results(calls) -> list:
    return [call.get(timeout=60, disable_sync_subtasks=False) for call in calls]


def test_visitors_and_exhibitors_lose_nothing_while_redis_is_down_and_all_goes_out_once_it_is_back(
    settings, throwaway_redis, receiver, tmp_path
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    redis_everywhere(settings, throwaway_redis.url)
    event = EventFactory()
    pass_type = PassTypeFactory(event=event, capacity=100)
    state = TermFactory(vocabulary="state", slug="jalisco", name_es="Jalisco")
    exhibitor = ExhibitorFactory(event=event)
    receiver.secret = webhook_endpoint_create(exhibitor=exhibitor, url=receiver.url).secret
    _, secret = token_for(exhibitor)
    scanned = [visitor(event, consent=True) for _ in range(3)]

    mail_dir = tmp_path / "mail"
    # One Celery app through the outage and after it, as in a web process that is never restarted.
    with celery_broker(throwaway_redis.url):
        throwaway_redis.stop()
        started = time.monotonic()
        for i in range(3):
            response = Client().post("/registro/", registration_form(pass_type, state, i))
            assert response.status_code == 302 and response.url.endswith("/registro/listo/"), response.status_code
        api = Client()
        for person in scanned:  # the CRM's API calls: the per-token throttle counts in the (dead) cache
            answer = api.post("/api/v1/leads/", {"badge_code": badge(person)}, content_type="application/json",
                              **bearer(secret))  # fmt: skip
            assert answer.status_code == 201, answer.content
        elapsed = time.monotonic() - started
        assert elapsed < 10, f"6 requests took {elapsed:.1f} s against a dead Redis"
        assert Attendee.objects.filter(email__endswith="@hospital.mx", status="confirmed").count() == 3
        assert PassType.objects.get(pk=pass_type.pk).registered_count == 3
        assert Lead.objects.count() == 3
        # Nothing went out, and nothing is lost: it all waits in the database.
        assert OutboxEmail.objects.filter(sent_at__isnull=True).count() == 3
        assert WebhookDelivery.objects.filter(status="pending").count() == 3 and receiver.requests == 0

        throwaway_redis.start()  # back, and empty: whatever had been queued in it would be gone too
        with celery_worker(queue="celery", env=worker_env(redis_url=throwaway_redis.url, mail_dir=mail_dir)):
            beat("expo.mail.tasks.outbox_drain", "exhibitors.tasks.webhooks_drain")
            assert wait_until(lambda: len(receiver.accepted) == 3 and not OutboxEmail.objects.filter(
                sent_at__isnull=True).exists(), timeout=60)  # fmt: skip
            # The web process queues again without a restart: a new visitor's email goes out by its own task.
            response = Client().post("/registro/", registration_form(pass_type, state, 3))
            assert response.status_code == 302
            assert wait_until(lambda: not OutboxEmail.objects.filter(sent_at__isnull=True).exists(), timeout=30)
            # Beat's next round finds nothing left: each email and webhook went out once.
            assert results(beat("expo.mail.tasks.outbox_drain", "exhibitors.tasks.webhooks_drain")) == [0, 0]
    sent = mails_in(mail_dir)
    assert len(sent) == 4 and all(sum(f"v{i}@hospital.mx" in m for m in sent) == 1 for i in range(4))
    assert sorted(r.body["data"]["visitor"]["email"] for r in receiver.accepted) == sorted(p.email for p in scanned)
    assert receiver.replays == 0 and all(r.verified for r in receiver.accepted)


def organizer_fair():
    """One edition with a bit of everything an organizer starts: B2B participants to schedule, a
    workshop attended (hours to certify), confirmed registrations (badges), a campaign to send."""
    from datetime import datetime, timedelta
    from decimal import Decimal

    from expo.dashboard.models import Campaign
    from expo.program import services as program
    from expo.registration.badges import attendee_badge_code
    from networking.models import MeetingRequest
    from tests.factories import AttendeeFactory, ParticipantFactory, RoomFactory, SessionFactory
    from tests.networking.conftest import MX, edition_make

    edition = edition_make()
    event = edition.event
    hospital, maker = (
        ParticipantFactory(event=event, role="hospital"),
        ParticipantFactory(event=event, role="manufacturer"),
    )
    MeetingRequest.objects.create(event=event, sender=hospital, recipient=maker, status="accepted")
    training = PassTypeFactory(event=event, includes_training=True)
    start = datetime.combine(event.start_date, datetime.min.time(), MX) + timedelta(hours=9)
    workshop = SessionFactory(event=event, kind="workshop", enrollment_required=True, capacity=10, room=RoomFactory(),
                              start=start, end=start + timedelta(hours=3), training_hours=Decimal(3))  # fmt: skip
    for person in AttendeeFactory.create_batch(2, event=event, pass_type=training):
        program.enrollment_create(attendee=person, session=workshop)
        for direction, at in (("in", workshop.start), ("out", workshop.end)):
            program.room_scan_record(event=event, code=attendee_badge_code(person), direction=direction,
                                     session=workshop, at=at)  # fmt: skip
    campaign = Campaign.objects.create(event=event, segment="b2b", subject_es="Hola", body_es="Mañana abrimos.")
    return event, campaign


def test_organizers_starting_tasks_while_redis_is_down_are_told_and_the_tasks_run_once_it_is_back(
    settings, throwaway_redis, admin_client, tmp_path
):
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from expo.dashboard.models import Campaign
    from expo.program.models import Certificate, CertificateBatch
    from expo.registration.models import BadgeBatch
    from networking.models import Meeting, ScheduleRun

    redis_everywhere(settings, throwaway_redis.url)
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    told = "The task queue is not answering right now. Nothing is lost"
    mail_dir = tmp_path / "mail"
    with celery_broker(throwaway_redis.url):
        # The enrollments' emails are queued in this Redis, and lost with it: the outbox drain sends them.
        event, campaign = organizer_fair()
        throwaway_redis.stop()
        started = time.monotonic()
        pages = [
            admin_client.post(reverse("admin:networking_schedulerun_run"), {"event": event.pk, "time_limit": 5},
                              follow=True, **english),
            admin_client.post(reverse("program:staff-certificates"), follow=True, **english),
            admin_client.post(reverse("registration:badge-batches"), {"pass_type": ""}, follow=True, **english),
        ]  # fmt: skip
        spanish = admin_client.post(reverse("admin:dashboard_campaign_changelist"),
                                    {"action": "send", "_selected_action": [campaign.pk]}, follow=True)  # fmt: skip
        elapsed = time.monotonic() - started
        for page in pages:
            assert page.status_code == 200 and told in page.content.decode(), page.redirect_chain
        assert spanish.status_code == 200 and "La cola de tareas no responde" in spanish.content.decode()
        assert elapsed < 10, f"the organizer waited {elapsed:.1f} s for a dead Redis"
        # Each waits, queued, in the database: nothing ran, nothing failed.
        assert ScheduleRun.objects.get().status == "queued"
        assert CertificateBatch.objects.get().status == "queued"
        assert BadgeBatch.objects.get().status == "queued"
        assert Campaign.objects.get().status == "queued"

        throwaway_redis.start()
        # A minute later, beat's re-dispatch rounds queue them again, and a real worker runs each once.
        minute_ago = timezone.now() - timedelta(minutes=2)
        for model, field in ((ScheduleRun, "created_at"), (CertificateBatch, "created_at"),
                             (BadgeBatch, "created_at"), (Campaign, "started_at")):  # fmt: skip
            model.objects.update(**{field: minute_ago})
        redispatch = ("networking.tasks.schedule_runs_redispatch",
                      "expo.program.tasks.certificate_batches_redispatch",
                      "expo.registration.tasks.badge_batches_redispatch",
                      "expo.dashboard.tasks.campaigns_redispatch")  # fmt: skip
        with celery_worker(queue="celery", env=worker_env(redis_url=throwaway_redis.url, mail_dir=mail_dir)):
            assert results(beat(*redispatch, "expo.mail.tasks.outbox_drain")) == [1, 1, 1, 1, 2]

            def state():
                return (ScheduleRun.objects.get().status, CertificateBatch.objects.get().status,
                        BadgeBatch.objects.get().status, Campaign.objects.get().status,
                        OutboxEmail.objects.filter(sent_at__isnull=True).count())  # fmt: skip

            done = ("succeeded", "done", "done", "sent", 0)
            assert wait_until(lambda: state() == done, timeout=90), (state(), ScheduleRun.objects.get().error)
            assert results(beat(*redispatch, "expo.mail.tasks.outbox_drain")) == [0, 0, 0, 0, 0]
    assert Meeting.objects.filter(event=event, status="draft").exists()
    assert Certificate.objects.count() == 2 and BadgeBatch.objects.get().done == BadgeBatch.objects.get().total > 0
    # Two enrollments' emails, two certificates', two of the campaign (the B2B participants), each sent once.
    sent = mails_in(mail_dir)
    assert len(sent) == OutboxEmail.objects.count() == 6
