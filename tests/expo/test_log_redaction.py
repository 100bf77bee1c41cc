"""No personal data in the logs: what the configured handlers (settings.LOGGING), a real gunicorn's
access log and a real Celery worker write carries ids and masks, never emails, names, tokens or codes."""

import io
import logging
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from expo.lib.log_redaction import redact
from expo.mail.models import OutboxEmail
from expo.mail.services import mail_send
from expo.mail.tasks import outbox_send
from expo.program.calendar import feed_token
from expo.registration import access
from expo.registration.badges import short_code_display
from expo.registration.services import registration_create
from tests.conftest import ROOT, celery_broker, celery_worker, redis_url
from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory

EMAIL = "rosa.diaz@clinica-norte.mx"
DEAD_BROKER = "redis://127.0.0.1:9/0"


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_redact_masks_personal_data_and_keeps_ids_dates_and_times():
    text = redact(
        "attendee 42 rosa.diaz@clinica-norte.mx +52 55 1234 5678 (33) 3616-1234 5512345678 "
        "GET /acceso/eyJhIjoxfQ:1tXyZ:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg/?next=/b2b/ "
        "/programa/calendario/12.1.Zm9vYmFyYmF6cXV4cXV1eHh4eHh4eHh4eHg.ics /correo/baja/.eJxTKkktLlGyUlIqSc0t "
        "/x/?token=abc123&page=2 Authorization: Bearer expo_ab12cd34_SeCrEt-VaLuE-0123456789 "
        "EXPO2.3.42.1.ABCDEFGHJKLMNPQRSTUVWXYZ234567 EXPOC1.3.9.ABCDEF23 ABCD-EFGH-JKLM "
        "on 2025-10-28 10:00:05, 404 1234 bytes in 0.25 s"
    )
    for secret in ("rosa", "1234 5678", "3616", "5512345678", "eyJh", "Zm9v", "eJxT", "abc123", "SeCrEt",
                   "EXPO2.", "EXPOC1.", "ABCD-EFGH"):  # fmt: skip
        assert secret not in text, (secret, text)
    assert "attendee 42" in text and "[email]" in text and text.count("[phone]") == 3
    assert "/acceso/[token]/?next=/b2b/" in text and "/programa/calendario/[token]" in text
    assert "?token=[redacted]&page=2" in text and "Bearer [token]" in text and "[badge]" in text
    assert "2025-10-28 10:00:05, 404 1234 bytes in 0.25 s" in text


@contextmanager
def handler_output(name: str):
    """What the handler `name` of settings.LOGGING writes, captured from the handler itself."""
    loggers = [logging.getLogger(), *(logging.getLogger(n) for n in ("django", "django.request", "django.server"))]
    handler = next((h for logger in loggers for h in logger.handlers if h.name == name), None)
    assert handler is not None, f"settings.LOGGING has no handler {name}"
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.fixture
def visitor():
    event = EventFactory()
    PassTypeFactory(event=event)
    return AttendeeFactory(event=event, email=EMAIL, first_name="Rosaura", last_name="Quintanilla")


def assert_clean(text: str, attendee) -> None:
    for value in (attendee.email, attendee.first_name, attendee.last_name, attendee.badge_code,
                  short_code_display(attendee.badge_code)):  # fmt: skip
        assert value not in text, (value, text)


@pytest.mark.django_db
def test_a_used_signin_link_is_logged_as_a_bad_request_without_its_token(visitor):
    token = access.signin_token_make(visitor)
    client = Client()
    assert client.post(f"/acceso/{token}/").status_code == 302  # signs in: the link is used up
    with handler_output("console") as out:
        assert client.get(f"/acceso/{token}/?next=/mi-registro/&email={EMAIL}").status_code == 400
    logged = out.getvalue()
    assert "Bad Request: /acceso/[token]/" in logged and token not in logged
    assert_clean(logged, visitor)


@pytest.mark.django_db
def test_a_server_error_on_a_calendar_feed_logs_neither_the_token_nor_what_the_exception_says(visitor, monkeypatch):
    from expo.program import views

    def broken(attendee, **kwargs):
        raise ValueError(f"no agenda for {attendee}")  # str(attendee) is "Rosaura Quintanilla <rosa...>"

    monkeypatch.setattr(views, "_agenda_calendar", broken)
    token = feed_token(attendee_id=visitor.pk, version=1)
    with handler_output("console") as out:
        response = Client(raise_request_exception=False).get(f"/programa/calendario/{token}.ics")
    logged = out.getvalue()
    assert response.status_code == 500
    assert "Internal Server Error: /programa/calendario/[token]" in logged and "ValueError" in logged
    assert token not in logged and "[email]" in logged and "Traceback" in logged
    assert EMAIL not in logged


@pytest.mark.django_db
def test_runserver_request_lines_and_model_arguments_are_masked(visitor):
    token = access.signin_token_make(visitor)
    with handler_output("django.server") as server, handler_output("console") as console:
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /acceso/{token}/ HTTP/1.1", 200, 1234)
        logging.getLogger("expo.registration.services").warning("Registration %s changed", visitor)
    assert "GET /acceso/[token]/ HTTP/1.1" in server.getvalue() and token not in server.getvalue()
    assert f"Registration Attendee#{visitor.pk} changed" in console.getvalue()
    assert_clean(server.getvalue() + console.getvalue(), visitor)


class RefusingSmtp(socketserver.StreamRequestHandler):
    """A mail server that refuses every recipient, naming the address in its answer (as real ones do)."""

    def handle(self):
        self.wfile.write(b"220 mx.test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip()
            if command.upper().startswith("RCPT TO:"):
                self.wfile.write(f"550 5.1.1 {command[8:]}: Recipient address rejected\r\n".encode())
            elif command.upper().startswith("QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@contextmanager
def refusing_smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSmtp)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.django_db
def test_a_refused_email_is_logged_by_id_without_the_address(settings):
    event = EventFactory()
    PassTypeFactory(event=event)
    with refusing_smtp() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        registration_create(event=event, pass_type=event.pass_types.get(), email=EMAIL, first_name="Rosaura",
                            last_name="Quintanilla", privacy_accepted=True)  # fmt: skip
        email = OutboxEmail.objects.get()
        with handler_output("console") as out:
            assert mail_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.sent_at is None and "Recipient address rejected" in email.last_error  # the send did fail
    logged = out.getvalue()
    assert f"Email {email.pk} failed (attempt 1)" in logged and "[email]" in logged
    assert EMAIL not in logged and "Rosaura" not in logged


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_access_log_masks_token_paths_queries_and_referrers(tmp_path):
    """A real gunicorn started as the Dockerfile starts it (gunicorn.conf.py, access log to stdout)."""
    port = free_port()
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "expo.wsgi", "--config", "gunicorn.conf.py", "--bind",
         f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    token = "eyJhIjo0Mn0:1tXyZa:AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/live", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gunicorn did not start"
                time.sleep(0.3)
        for path in (f"/acceso/{token}/?next=/b2b/", f"/correo/baja/{token}/", f"/x/?token={token}&email={EMAIL}"):
            referer = f"http://127.0.0.1:{port}/acceso/{token}/"
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Referer": referer})
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError:
                pass  # a 400 or 404 is still logged, which is the point
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "GET /acceso/[token]/?next=/b2b/ HTTP/1.1" in output, output
    assert "GET /correo/baja/[token]/" in output and "?token=[redacted]&email=[redacted]" in output
    assert token not in output and "eyJh" not in output and EMAIL not in output


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_logs_a_refused_email_by_id_without_the_address():
    """A real worker: Celery replaces Django's handlers with its own, which get the filter too."""
    event = EventFactory()
    PassTypeFactory(event=event)
    with celery_broker(DEAD_BROKER):  # the confirmation waits in the outbox
        registration_create(event=event, pass_type=event.pass_types.get(), email=EMAIL, first_name="Rosaura",
                            last_name="Quintanilla", privacy_accepted=True)  # fmt: skip
    email = OutboxEmail.objects.get()
    url = redis_url()
    with refusing_smtp() as port:
        env = {"REDIS_URL": url, "DATABASE_URL": database_url(), "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
        with celery_broker(url), celery_worker(queue="test-log-redaction", env=env) as worker:
            result = outbox_send.apply_async((email.pk,), queue="test-log-redaction")
            assert result.get(timeout=60, disable_sync_subtasks=False) is False
            worker.terminate()
            output = worker.communicate(timeout=20)[0].decode()
    email.refresh_from_db()
    assert "Recipient address rejected" in email.last_error
    assert f"Email {email.pk} failed (attempt 1)" in output and "[email]" in output, output
    assert EMAIL not in output and "Rosaura" not in output
