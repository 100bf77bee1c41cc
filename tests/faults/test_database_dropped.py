"""Fault: the database connection drops in the middle of a request (the backend serving it is
terminated with pg_terminate_backend from another session, as a failover, a restart or an admin
would), and between requests (a kept connection that the server closed while it sat idle).

The request is caught at a known point: the test holds a row lock (FOR UPDATE) that the request's
insert needs for its foreign-key check, so the request stops inside its transaction after its first
writes (the seat taken on the pass; the Idempotency-Key claimed), and the test terminates it there.

What must hold: the visitor gets the site's error page in their language (an API client, JSON),
nothing of the request is saved (no registration, no seat, no email; no lead, no webhook, no
Idempotency-Key), the server serves the next request normally, and the same request sent again
does its work once.
"""

import json
import re
import threading
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from exhibitors.models import IdempotentRequest, Lead, WebhookDelivery
from exhibitors.services import webhook_endpoint_create
from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee, PassType
from tests.exhibitors.conftest import badge, token_for, visitor
from tests.factories import EventFactory, ExhibitorFactory, PassTypeFactory, TermFactory

from .conftest import backends_waiting_on, other_connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


class Browser:
    """A client over real HTTP to the live server, with cookies; answers (status, final URL, body)."""

    def __init__(self, language: str):
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        self.language = language

    def open(self, url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        request = Request(url, data=data, headers={"Accept-Language": self.language, "Referer": url, **(headers or {})})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except HTTPError as error:
            return error.code, url, error.read().decode()


def cut_off_when_blocked(db, send) -> tuple[int, str, str]:
    """Run `send` in a thread; once its request waits on the lock `db` holds, terminate its backend."""
    answer = []
    request = threading.Thread(target=lambda: answer.append(send()))
    request.start()
    for pid in backends_waiting_on(db):
        db.execute("SELECT pg_terminate_backend(%s)", [pid])
    return request, answer


@pytest.mark.parametrize(("language", "words"), [("es-mx", "Algo salió mal"), ("en", "Something went wrong")])
def test_a_registration_cut_off_from_the_database_saves_nothing_and_shows_the_sites_error_page(
    live_server, language, words
):
    event = EventFactory()
    pass_type = PassTypeFactory(event=event, capacity=10)
    state = TermFactory(vocabulary="state", slug="jalisco", name_es="Jalisco")
    url = live_server.url + "/registro/"
    browser = Browser(language)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', browser.open(url)[2]).group(1)
    form = urlencode({"csrfmiddlewaretoken": token, "pass_type": pass_type.pk, "first_name": "Rosa",
                      "last_name": "Díaz", "email": "rosa@clinica.mx", "organization_kind": "hospital",
                      "country": "MX", "state": state.pk, "privacy_accepted": "on"}).encode()  # fmt: skip
    with other_connection() as db:
        with db.transaction():
            # Inserting the registration checks that its state exists: that check waits on this lock,
            # after the seat was taken on the pass, inside the request's transaction.
            db.execute("SELECT id FROM events_term WHERE id = %s FOR UPDATE", [state.pk])
            request, answer = cut_off_when_blocked(db, lambda: browser.open(url, form))
        request.join(30)
    status, _, html = answer[0]
    assert status == 500 and words in html and "OperationalError" not in html
    # The seat it had taken, the registration it had inserted, its email: all rolled back.
    assert not Attendee.objects.exists() and not OutboxEmail.objects.exists()
    assert PassType.objects.get(pk=pass_type.pk).registered_count == 0
    # The server goes on; the visitor sends the form again, as the page says, and is registered once.
    status, landed, _ = browser.open(url, form)
    assert status == 200 and landed.endswith("/registro/listo/")
    assert Attendee.objects.count() == 1 and OutboxEmail.objects.count() == 1
    assert PassType.objects.get(pk=pass_type.pk).registered_count == 1


def test_an_api_post_cut_off_from_the_database_answers_json_and_its_retry_with_the_same_key_creates_it_once(
    live_server, settings
):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    webhook_endpoint_create(exhibitor=exhibitor, url="https://crm.example.com/hooks/expo")
    _, secret = token_for(exhibitor)
    person = visitor(event, consent=True)
    url = live_server.url + "/api/v1/leads/"
    body = json.dumps({"badge_code": badge(person)}).encode()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json", "Idempotency-Key": "scan-7"}
    crm = Browser("en")
    with other_connection() as db:
        with db.transaction():
            # The lead's insert checks its visitor: it waits here, after the Idempotency-Key was claimed.
            db.execute("SELECT id FROM registration_attendee WHERE id = %s FOR UPDATE", [person.pk])
            request, answer = cut_off_when_blocked(db, lambda: crm.open(url, body, headers))
        request.join(30)
    status, _, text = answer[0]
    assert status == 500 and json.loads(text)["detail"].startswith("Something went wrong on our side")
    assert not Lead.objects.exists() and not WebhookDelivery.objects.exists()
    assert not IdempotentRequest.objects.exists()  # the key is free: the retry is not answered 409
    # The CRM retries with the same key: one lead, one webhook; a further retry replays the answer.
    first, again = crm.open(url, body, headers), crm.open(url, body, headers)
    assert first[0] == again[0] == 201 and json.loads(first[2]) == json.loads(again[2])
    assert Lead.objects.count() == 1 and WebhookDelivery.objects.count() == 1


def test_a_kept_connection_the_database_closed_while_idle_is_replaced_before_the_next_request():
    """Web processes keep their connection between requests (conn_max_age). When the server closes
    it meanwhile (a restart, a failover, a pooler dropping idle links), the next request must not
    be the one that finds out with a 500: the connection is checked first and opened anew."""
    EventFactory()
    app = WSGIHandler()  # as gunicorn calls it: one thread, one kept connection, request after request

    def get(path: str) -> int:
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
                   "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http"}  # fmt: skip
        statuses = []
        from wsgiref.util import setup_testing_defaults

        setup_testing_defaults(environ)
        b"".join(app(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        return int(statuses[0].split()[0])

    assert get("/") == 200
    kept = connection.connection.info.backend_pid
    with other_connection() as db:
        db.execute("SELECT pg_terminate_backend(%s)", [kept])
    cache.clear()  # the home page's edition and figures come from the cache: this request reads the database
    assert get("/") == 200
    assert connection.connection.info.backend_pid != kept
