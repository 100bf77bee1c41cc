"""Fixtures of the exhibitor tests: two exhibitors of one edition, visitors with badges, tokens, and a
real local HTTP receiver for webhooks that verifies signatures on its own (not with the app's code)."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from exhibitors.models import ApiToken, Lead
from exhibitors.services import api_token_create
from expo.registration.badges import attendee_badge_code
from tests.factories import AttendeeFactory, EventFactory, ExhibitorFactory

ALL_SCOPES = ["read", "profile", "leads", "webhooks"]


@dataclass
class Pair:
    event: object
    a: object
    b: object


@pytest.fixture
def pair(db):
    """One edition with exhibitors A and B."""
    event = EventFactory()
    a = ExhibitorFactory(event=event, organization__name="Ánfora Médica")
    b = ExhibitorFactory(event=event, organization__name="Bisturí del Norte")
    return Pair(event=event, a=a, b=b)


def token_for(exhibitor, scopes=ALL_SCOPES, **kwargs) -> tuple[ApiToken, str]:
    return api_token_create(exhibitor=exhibitor, name="CRM", scopes=scopes, **kwargs)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def visitor(event, *, consent: bool, **kwargs):
    kwargs.setdefault("organization_name", "Hospital Civil")
    kwargs.setdefault("job_title", "Compras")
    return AttendeeFactory(event=event, share_with_exhibitors=consent, **kwargs)


def badge(attendee) -> str:
    return attendee_badge_code(attendee)


def lead_for(exhibitor, attendee, **kwargs) -> Lead:
    return Lead.objects.create(exhibitor=exhibitor, attendee=attendee, **kwargs)


@dataclass
class Received:
    event_id: str
    event_type: str
    body: dict
    verified: bool


@dataclass
class Receiver:
    """A local HTTP server that answers the first `fail_first` requests with 500, then 204.

    It checks each request the way the README's receiver does: HMAC-SHA256 of timestamp "." body
    with the endpoint's secret, a fresh timestamp, and an id not seen before.
    """

    secret: str = ""
    fail_first: int = 0
    answer: int = 204
    requests: int = 0
    accepted: list = field(default_factory=list)
    replays: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, headers, body: bytes) -> int:
        with self.lock:
            self.requests += 1
            if self.requests <= self.fail_first:
                return 500
            timestamp, signature = headers.get("Expo-Webhook-Timestamp", "0"), headers.get("Expo-Webhook-Signature", "")
            expected = (
                "v1=" + hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            )
            verified = hmac.compare_digest(expected, signature) and abs(time.time() - int(timestamp)) < 300
            event_id = headers.get("Expo-Webhook-Id", "")
            if any(r.event_id == event_id for r in self.accepted):
                self.replays += 1
                return 204
            if self.answer < 300:
                self.accepted.append(Received(event_id, headers.get("Expo-Webhook-Event", ""), json.loads(body),
                                              verified))  # fmt: skip
            return self.answer


@pytest.fixture
def receiver():
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            code = state.handle(self.headers, body)
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/expo"
    yield state
    server.shutdown()
    server.server_close()


def wait_until(condition, timeout: float = 30.0, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()
