"""Webhooks: a real local HTTP receiver gets signed deliveries that verify, in order per endpoint,
once each, even when the first attempts fail; 410 disables; no SSRF; consent in the body; meeting
events from networking; the outbox survives a broker outage and a real worker sends it."""

import socket
import time
from datetime import timedelta

import pytest
import redis as redis_client
from django.db import connection

from exhibitors import webhooks
from exhibitors.models import WebhookDelivery, WebhookEndpoint
from exhibitors.services import lead_capture, lead_update, webhook_endpoint_create, webhooks_drain
from exhibitors.tasks import webhooks_drain as webhooks_drain_task
from networking.models import Meeting
from networking.scheduling.services import schedule_publish
from networking.services import meeting_book, meeting_cancel
from tests.conftest import celery_broker, celery_worker, redis_url
from tests.exhibitors.conftest import badge, bearer, token_for, visitor, wait_until
from tests.factories import EventFactory, ExhibitorFactory, MeetingFactory, MeetingRequestFactory, ParticipantFactory

DEAD_BROKER = "redis://127.0.0.1:9/0"


@pytest.fixture
def local_receivers(settings):
    """The test receiver listens on 127.0.0.1: allow it, and retry after 1 s, 2 s..."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOKS_RETRY_BASE_SECONDS = 1
    return settings


def endpoint_for(exhibitor, receiver, events=()):
    endpoint = webhook_endpoint_create(exhibitor=exhibitor, url=receiver.url, events=events)
    receiver.secret = endpoint.secret
    return endpoint


# Delivery ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_signed_webhooks_arrive_in_order_once_each_even_when_the_first_attempts_fail(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint_for(exhibitor, receiver)
    receiver.fail_first = 2
    people = [visitor(event, consent=True, first_name=name) for name in ("Ana", "Beto", "Carla")]
    leads = [lead_capture(exhibitor=exhibitor, code=badge(person)).lead for person in people]
    lead_update(lead=leads[0], rating="hot")
    # The first delivery failed twice (500); the others wait behind it, in order.
    assert receiver.accepted == []
    for _ in range(10):
        time.sleep(1.05)
        webhooks_drain()
        if len(receiver.accepted) == 4:
            break
    got = [(r.event_type, r.body["data"]["id"]) for r in receiver.accepted]
    assert got == [("lead.created", leads[0].pk), ("lead.created", leads[1].pk), ("lead.created", leads[2].pk),
                   ("lead.updated", leads[0].pk)]  # fmt: skip
    assert all(r.verified for r in receiver.accepted) and receiver.replays == 0
    assert receiver.accepted[3].body["data"]["changed"] == ["rating"]
    deliveries = list(WebhookDelivery.objects.order_by("pk"))
    assert [d.status for d in deliveries] == ["delivered"] * 4
    assert [d.attempts for d in deliveries] == [3, 1, 1, 1]
    first_log = list(deliveries[0].attempt_log.order_by("pk").values_list("status_code", flat=True))
    assert first_log == [500, 500, 204]
    assert webhooks_drain() == 0 and len(receiver.accepted) == 4


@pytest.mark.django_db(transaction=True)
def test_a_410_disables_the_endpoint_and_stops_its_deliveries(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint = endpoint_for(exhibitor, receiver)
    receiver.answer = 410
    lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
    endpoint.refresh_from_db()
    assert not endpoint.is_active and "410" in endpoint.disabled_reason
    lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
    webhooks_drain()
    assert receiver.requests == 1
    assert WebhookDelivery.objects.filter(status="delivered").count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_webhook_body_carries_contact_details_only_with_consent(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint_for(exhibitor, receiver)
    lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=False, email="oculto@privado.mx")))
    lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True, email="visible@hospital.mx")))
    hidden, shown = (r.body["data"]["visitor"] for r in receiver.accepted)
    assert hidden["email"] is None and hidden["shared"] is False and hidden["hidden_reason"]
    assert hidden["organization"] == "Hospital Civil"
    assert shown["email"] == "visible@hospital.mx"
    assert "oculto@privado.mx" not in str(WebhookDelivery.objects.values_list("payload", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_test_event_and_the_delivery_log_through_the_api(client, local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint = endpoint_for(exhibitor, receiver)
    _, secret = token_for(exhibitor, scopes=["webhooks"])
    response = client.post(f"/api/v1/webhooks/{endpoint.pk}/test/", **bearer(secret))
    assert response.status_code == 202
    assert [r.event_type for r in receiver.accepted] == ["ping"] and receiver.accepted[0].verified
    log = client.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries/", **bearer(secret)).json()["results"]
    assert log[0]["status"] == "delivered" and log[0]["attempt_log"][0]["status_code"] == 204
    assert log[0]["attempt_log"][0]["duration_ms"] >= 0


@pytest.mark.django_db(transaction=True)
def test_only_subscribed_events_are_delivered(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint_for(exhibitor, receiver, events=["lead.updated"])
    result = lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
    lead_update(lead=result.lead, status="contacted")
    assert [r.event_type for r in receiver.accepted] == ["lead.updated"]


# No SSRF ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/hook", "https://127.0.0.1/hook", "https://10.1.2.3/hook", "https://192.168.0.8/x",
     "https://[::1]/hook", "https://169.254.169.254/latest/meta-data", "https://localhost/hook",
     "https://0.0.0.0/hook", "ftp://crm.example.com/hook", "https://user:pw@crm.example.com/"],
)  # fmt: skip
def test_endpoints_to_private_addresses_or_without_https_are_refused(db, url, settings):
    settings.WEBHOOKS_ALLOW_HTTP = False
    exhibitor = ExhibitorFactory()
    with pytest.raises(Exception) as error:
        webhook_endpoint_create(exhibitor=exhibitor, url=url)
    assert "url" in error.value.message_dict
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery_time(monkeypatch, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint = webhook_endpoint_create(exhibitor=exhibitor, url="https://crm.example.com/hooks")
    # The CRM's name now points at this machine (DNS rebinding): nothing may be sent there.
    monkeypatch.setattr(webhooks.socket, "getaddrinfo",
                        lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", 443))])  # fmt: skip
    lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == "pending" and "private network" in delivery.last_error
    assert receiver.requests == 0


def test_addresses_that_may_receive_webhooks():
    assert webhooks.address_allowed("93.184.216.34")
    assert webhooks.address_allowed("2606:2800:220:1:248:1893:25c8:1946")
    for address in ("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "::1", "fc00::1",
                    "::ffff:127.0.0.1", "100.64.0.1", "0.0.0.0", "224.0.0.1"):  # fmt: skip
        assert not webhooks.address_allowed(address), address


def test_signatures_verify_and_replays_are_rejected():
    body = b'{"type":"ping"}'
    headers = webhooks.headers_make(secret="whsec_x", event_id="e1", event_type="ping", body=body, timestamp=1_000_000)
    signature = headers["Expo-Webhook-Signature"]
    assert webhooks.signature_verify(secret="whsec_x", timestamp="1000000", signature=signature, body=body,
                                     now=1_000_100)  # fmt: skip
    assert not webhooks.signature_verify(secret="whsec_x", timestamp="1000000", signature=signature, body=body,
                                         now=1_000_000 + 301)  # fmt: skip
    assert not webhooks.signature_verify(secret="whsec_y", timestamp="1000000", signature=signature, body=body,
                                         now=1_000_000)  # fmt: skip
    assert not webhooks.signature_verify(secret="whsec_x", timestamp="1000000", signature=signature,
                                         body=body + b" ", now=1_000_000)  # fmt: skip


# Meetings, from networking ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_meeting_scheduled_and_cancelled_reach_the_exhibitors_endpoint(local_receivers, receiver):
    from tests.networking.conftest import edition_make

    edition = edition_make()
    exhibitor = ExhibitorFactory(event=edition.event)
    endpoint_for(exhibitor, receiver)
    ours = ParticipantFactory(event=edition.event, organization=exhibitor.organization)
    buyer = ParticipantFactory(event=edition.event)
    request = MeetingRequestFactory(event=edition.event, sender=buyer, recipient=ours, status="accepted")
    meeting = meeting_book(request=request, slot=edition.slots[1], by=buyer)
    meeting_cancel(meeting=meeting, by=buyer)
    other = ParticipantFactory(event=edition.event)
    drafts = MeetingFactory(event=edition.event, slot=edition.slots[3], table=edition.tables[0],
                            status=Meeting.Status.DRAFT, between=(ours, other))  # fmt: skip
    schedule_publish(event=edition.event)
    got = [(r.event_type, r.body["data"]["id"]) for r in receiver.accepted]
    assert got == [("meeting.scheduled", meeting.pk), ("meeting.cancelled", meeting.pk),
                   ("meeting.scheduled", drafts.pk)]  # fmt: skip
    people = receiver.accepted[0].body["data"]["people"]
    assert sorted(p["is_ours"] for p in people) == [False, True]
    assert receiver.accepted[1].body["data"]["status"] == "cancelled"


# The outbox and a real worker -----------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_lead_is_captured_at_once_when_the_broker_is_down_and_its_webhook_waits(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint_for(exhibitor, receiver)
    with celery_broker(DEAD_BROKER):
        started = time.monotonic()
        result = lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True)))
        assert time.monotonic() - started < 10
    assert result.outcome == "ok" and receiver.requests == 0
    assert WebhookDelivery.objects.get().status == "pending"
    assert webhooks_drain() == 1 and [r.event_type for r in receiver.accepted] == ["lead.created"]


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_after_a_broker_outage_a_real_worker_delivers_in_order_with_retries(local_receivers, receiver):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    endpoint_for(exhibitor, receiver)
    receiver.fail_first = 2
    with celery_broker(DEAD_BROKER):
        leads = [lead_capture(exhibitor=exhibitor, code=badge(visitor(event, consent=True))).lead for _ in range(3)]
    assert WebhookDelivery.objects.filter(status="pending").count() == 3
    url = redis_url()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {"REDIS_URL": url, "DATABASE_URL": database_url, "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "1",
           "WEBHOOKS_RETRY_BASE_SECONDS": "1"}  # fmt: skip
    with celery_broker(url), celery_worker(queue="celery", env=env):
        # The periodic drain, as beat would run it once the broker is back; the retries are the worker's.
        webhooks_drain_task.delay()
        assert wait_until(lambda: len(receiver.accepted) == 3, timeout=60)
    assert [r.body["data"]["id"] for r in receiver.accepted] == [lead.pk for lead in leads]
    assert all(r.verified for r in receiver.accepted) and receiver.replays == 0
    assert list(WebhookDelivery.objects.order_by("pk").values_list("attempts", flat=True)) == [3, 1, 1]


def test_backoff_doubles_and_is_capped(settings):
    from exhibitors.services import webhook_retry_delay

    settings.WEBHOOKS_RETRY_BASE_SECONDS = 30
    assert [webhook_retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert webhook_retry_delay(20) == timedelta(hours=6)


@pytest.mark.redis
@pytest.mark.django_db
def test_a_receiver_that_is_down_gets_one_retry_task_per_retry_time_however_many_events_wait():
    """Each event written while the endpoint's oldest delivery waits for its retry used to queue a
    retry task of its own (and each of those another after the retry failed): 20,000 tasks for one
    receiver down in the load benchmark, with the visitors' emails queued behind them."""
    from django.utils import timezone

    from exhibitors.services import webhook_dispatch

    exhibitor = ExhibitorFactory()
    endpoint = WebhookEndpoint.objects.create(exhibitor=exhibitor, url="https://crm.example.com/hook", secret="s")
    base, _, db = redis_url().rpartition("/")
    url = f"{base}/{(int(db or 0) + 5) % 16}"  # a database of its own: its queue is counted
    queue = redis_client.Redis.from_url(url)
    queue.flushdb()
    retry_at = timezone.now() + timedelta(minutes=2)
    with celery_broker(url):
        for _ in range(5):
            webhook_dispatch(endpoint_id=endpoint.pk, at=retry_at)
        assert queue.llen("celery") == 1
        webhook_dispatch(endpoint_id=endpoint.pk, at=retry_at + timedelta(minutes=4))  # the next retry
        assert queue.llen("celery") == 2
        webhook_dispatch(endpoint_id=endpoint.pk)  # a new event: sent now, always queued
        assert queue.llen("celery") == 3
    queue.flushdb()
