"""Nothing is lost when the broker is down: the outbox keeps the email until it can be sent."""

import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection

from expo.mail.models import OutboxEmail
from expo.mail.services import mail_drain as outbox_drain
from expo.mail.tasks import outbox_drain as outbox_drain_task
from expo.registration.models import Attendee
from expo.registration.services import registration_create
from tests.conftest import celery_broker, celery_worker, redis_url
from tests.factories import EventFactory, PassTypeFactory

DEAD_BROKER = "redis://127.0.0.1:9/0"  # nothing listens on the discard port: connections are refused


def register(event):
    return registration_create(
        event=event,
        pass_type=event.pass_types.get(),
        email="rosa@clinica.mx",
        first_name="Rosa",
        last_name="Díaz",
        privacy_accepted=True,
    )


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_registration_is_saved_when_the_broker_is_unreachable():
    event = EventFactory()
    PassTypeFactory(event=event)
    with celery_broker(DEAD_BROKER):
        started = time.monotonic()
        result = register(event)
        elapsed = time.monotonic() - started
    assert result.created and Attendee.objects.get().status == "confirmed"
    email = OutboxEmail.objects.get()
    assert email.sent_at is None and len(mail.outbox) == 0
    assert elapsed < 10, f"the visitor waited {elapsed:.1f} s for a dead broker"
    # Back to normal: the periodic drain sends it, once.
    assert outbox_drain() == 1 and outbox_drain() == 0
    assert len(mail.outbox) == 1 and "confirmado" in mail.outbox[0].subject


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_broker_outage_then_real_worker_drains_the_outbox(tmp_path: Path):
    event = EventFactory()
    PassTypeFactory(event=event)
    with celery_broker(DEAD_BROKER):
        register(event)
    assert OutboxEmail.objects.get().sent_at is None
    url = redis_url()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    env = {"REDIS_URL": url, "DATABASE_URL": database_url, "EMAIL_URL": f"file://{mail_dir}"}
    with celery_broker(url), celery_worker(queue="test-outbox", env=env):
        assert outbox_drain_task.apply_async(queue="test-outbox").get(timeout=60, disable_sync_subtasks=False) == 1
    sent = list(mail_dir.glob("*.log"))
    assert len(sent) == 1 and "rosa@clinica.mx" in sent[0].read_text()
    assert OutboxEmail.objects.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_is_retried_by_the_drain(settings):
    event = EventFactory()
    PassTypeFactory(event=event)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    register(event)
    email = OutboxEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1 and "refused" in email.last_error.lower()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox_drain() == 1
    assert OutboxEmail.objects.get().attempts == 2 and len(mail.outbox) == 1
