"""Capacity and one-registration-per-email hold under simultaneous submissions on PostgreSQL."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

import pytest
from django.db import connection

from expo.registration.models import Attendee, PassType
from expo.registration.services import registration_create
from tests.factories import EventFactory, PassTypeFactory, TermFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_capacity_is_never_exceeded_by_simultaneous_web_registrations(live_server):
    event = EventFactory()
    pass_type = PassTypeFactory(event=event, capacity=5)
    state = TermFactory(vocabulary="state", slug="nuevo-leon", name_es="Nuevo León")
    visitors = 16
    barrier = threading.Barrier(visitors)
    url = live_server.url + "/registro/"

    def visitor(i):
        browser = build_opener(HTTPCookieProcessor(CookieJar()))
        page = browser.open(url, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "pass_type": pass_type.pk, "first_name": f"V{i}", "last_name": "X",
                "email": f"v{i}@hospital.mx", "organization_kind": "hospital", "country": "MX", "state": state.pk,
                "privacy_accepted": "on"}  # fmt: skip
        barrier.wait(timeout=30)
        response = browser.open(Request(url, data=urlencode(form).encode(), headers={"Referer": url}), timeout=60)
        return response.geturl()

    with ThreadPoolExecutor(visitors) as pool:
        landed = list(pool.map(visitor, range(visitors)))
    assert all(page.endswith("/registro/listo/") for page in landed)
    assert Attendee.objects.filter(status="confirmed").count() == 5
    assert Attendee.objects.filter(status="waitlisted").count() == visitors - 5
    assert PassType.objects.get(pk=pass_type.pk).registered_count == 5


def test_one_registration_per_email_under_simultaneous_submissions():
    event = EventFactory()
    passes = [PassTypeFactory(event=event), PassTypeFactory(event=event)]  # two locks: no accidental queue
    attempts = 10
    barrier = threading.Barrier(attempts)

    def submit(i):
        try:
            barrier.wait(timeout=30)
            return registration_create(
                event=event,
                pass_type=passes[i % 2],
                email="Mismo@Correo.mx",
                first_name="M",
                last_name=str(i),
                privacy_accepted=True,
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(attempts) as pool:
        results = list(pool.map(submit, range(attempts)))
    assert Attendee.objects.count() == 1
    assert sum(r.created for r in results) == 1
    assert {r.attendee.pk for r in results} == {Attendee.objects.get().pk}
    assert sum(PassType.objects.values_list("registered_count", flat=True)) == 1
