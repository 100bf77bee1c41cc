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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_stalled_mail_server_never_makes_a_registration_wait(settings, monkeypatch):
    """The sender claims its outbox row, commits, and talks SMTP with no lock held: while one send
    hangs on a mail server that accepts the connection and never answers, a registration on the
    same pass goes through at once (it used to wait 19 s behind the pass type's row lock)."""
    import socket
    import threading

    from django.db import transaction

    from expo.mail import services as mail_services
    from expo.registration.models import PassType

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    connected = threading.Event()
    accepted = []

    def accept():  # takes the connection and never sends the SMTP greeting
        try:
            accepted.append(server.accept()[0])
            connected.set()
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.getsockname()[1], 8
    event = EventFactory()
    pass_type = PassTypeFactory(event=event, capacity=10)

    def first():
        try:
            return registration_create(event=event, pass_type=pass_type, email="uno@x.mx", first_name="Uno",
                                       last_name="A", privacy_accepted=True)  # fmt: skip
        finally:
            connection.close()

    stuck = threading.Thread(target=first)
    stuck.start()
    try:
        assert connected.wait(10), "the first email never reached the mail server"
        # The first send now hangs on the silent server. No row of the pass is locked:
        with transaction.atomic():
            PassType.objects.select_for_update(nowait=True).get(pk=pass_type.pk)
        # and a registration on the same pass is saved at once (its own email is left to the worker,
        # as in production, where sending happens in the Celery worker, not in the request).
        monkeypatch.setattr(mail_services, "mail_dispatch", lambda **kwargs: None)
        started = time.monotonic()
        registration_create(event=event, pass_type=pass_type, email="dos@x.mx", first_name="Dos", last_name="B",
                            privacy_accepted=True)  # fmt: skip
        waited = time.monotonic() - started
        assert stuck.is_alive(), "the first send should still be hanging on the silent server"
    finally:
        stuck.join(30)
        server.close()
        for sock in accepted:
            sock.close()
    assert waited < 2, f"the second registration waited {waited:.1f} s for a stalled mail server"
    assert Attendee.objects.filter(status="confirmed").count() == 2
    first_email = OutboxEmail.objects.get(to="uno@x.mx")
    assert first_email.sent_at is None and first_email.attempts == 1 and "timed out" in first_email.last_error
