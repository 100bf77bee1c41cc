"""Fault: the cache (Redis in production, where rate limits and API throttles count) is unreachable.

"Degraded" means fail open: requests go through uncounted and each miss is logged. Closed would
turn a Redis outage into a registration outage at the fair's doors, losing the very visitors the
limits are there to protect; what the limits guard against (one address or script taking too
much) is bounded meanwhile by rules kept in PostgreSQL, which hold without the cache: one
registration per email (a unique constraint), at most 5 sign-in links an hour to one inbox
(counted in the email outbox), pass capacities, token scopes and Idempotency-Keys.
"""

import pytest
from django.test import Client

from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee
from expo.registration.services import SIGNIN_LINKS_PER_HOUR
from expo.registration.views import REGISTER_LIMITS
from tests.factories import EventFactory, PassTypeFactory, TermFactory

pytestmark = pytest.mark.django_db

DEAD_CACHE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
}


@pytest.fixture
def fair(settings):
    settings.CACHES = DEAD_CACHE  # nothing listens on port 9: every cache call is refused
    event = EventFactory()
    return event, PassTypeFactory(event=event, capacity=1000), TermFactory(vocabulary="state", slug="jalisco")


def form(pass_type, state, email: str) -> dict:
    return {"pass_type": pass_type.pk, "first_name": "Ana", "last_name": "Ruiz", "email": email,
            "organization_kind": "hospital", "country": "MX", "state": state.pk, "privacy_accepted": "on"}  # fmt: skip


def test_with_the_cache_down_registration_goes_on_past_the_per_address_limit(fair):
    _, pass_type, state = fair
    per_minute = next(limit for name, _key, limit, _window in REGISTER_LIMITS if name == "ip-minute")
    client = Client()  # one address: the hospital's Wi-Fi, or the venue's
    answers = [client.post("/registro/", form(pass_type, state, f"v{i}@hospital.mx")).status_code
               for i in range(per_minute + 5)]  # fmt: skip
    assert answers == [302] * (per_minute + 5)
    assert Attendee.objects.count() == per_minute + 5


def test_with_the_cache_down_the_database_still_bounds_one_inbox(fair, django_capture_on_commit_callbacks):
    _, pass_type, state = fair
    client = Client()
    for _ in range(3):  # the same email, again and again
        assert client.post("/registro/", form(pass_type, state, "ana@hospital.mx")).status_code == 302
    for _ in range(SIGNIN_LINKS_PER_HOUR + 5):  # "send me a link", past the per-email limit the cache would count
        with django_capture_on_commit_callbacks(execute=True):  # the lookup runs after the answer
            assert client.post("/acceso/", {"email": "ana@hospital.mx"}).status_code == 200
    assert Attendee.objects.count() == 1
    # Its confirmation, then sign-in links up to the hourly cap kept in the outbox (not the cache).
    assert OutboxEmail.objects.filter(to="ana@hospital.mx").count() == 1 + SIGNIN_LINKS_PER_HOUR


def test_with_the_cache_down_the_public_api_answers_instead_of_500(fair):
    # DRF's throttles raised the cache's ConnectionError: every API call answered 500.
    response = Client().get("/api/v1/events/")
    assert response.status_code == 200 and response.json()["count"] == 1
