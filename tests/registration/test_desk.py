"""The registration desk: walk-ins, badges on the spot and in batches, exports."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from expo.registration.models import Attendee, BadgeKey, PassType
from tests.conftest import login_verified
from tests.factories import AttendeeFactory, EventFactory, PassTypeFactory, TermFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk(client):
    login_verified(client, User.objects.create_superuser("mostrador", password="x"))
    return client


@pytest.fixture
def event():
    event = EventFactory()
    PassTypeFactory(event=event, slug="expositor", is_public=False, name_es="Personal de expositor")
    return event


def walkin_data(event, **overrides):
    data = {"pass_type": event.pass_types.get().pk, "first_name": "Iván", "last_name": "Castro",
            "email": "ivan@proveedor.mx", "organization_kind": "supplier", "country": "US",
            "privacy_accepted": "on"}  # fmt: skip
    data.update(overrides)
    return data


def test_walkin_registers_on_any_pass_and_prints_the_badge(desk, event):
    response = desk.post(reverse("registration:walkin"), walkin_data(event))
    attendee = Attendee.objects.get()
    assert response.status_code == 302 and attendee.registered_at_desk and attendee.status == "confirmed"
    page = desk.get(response.url).content.decode()
    assert reverse("registration:badge", args=[attendee.pk]) in page
    pdf = desk.get(reverse("registration:badge", args=[attendee.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_walkin_on_a_full_pass_says_so_and_keeps_the_form(desk, event):
    PassType.objects.update(capacity=0)
    response = desk.post(reverse("registration:walkin"), walkin_data(event))
    html = response.content.decode()
    assert response.status_code == 200 and "agotado" in html and 'value="Castro"' in html
    assert Attendee.objects.count() == 0


def pdf_pages(content: bytes) -> int:
    """Pages of a PDF: its page objects (`/Type /Page`, not the `/Type /Pages` tree)."""
    return len(re.findall(rb"/Type /Page(?!s)", content))


def test_a_few_badges_print_at_once_four_per_page(desk, event):
    AttendeeFactory.create_batch(5, event=event, pass_type=event.pass_types.get())
    response = desk.get(reverse("registration:badges"))
    assert response["Content-Type"] == "application/pdf"
    assert pdf_pages(response.content) == 2  # 4 + 1


def test_a_few_badges_take_the_same_queries_however_many(desk, event, django_assert_num_queries):
    AttendeeFactory.create_batch(2, event=event, pass_type=event.pass_types.get())
    BadgeKey.objects.signing_key(event_id=event.pk)
    desk.get(reverse("registration:badges"))  # fills the cache (the edition), as a process's first request does
    # The session and the edition are read from the cache. 1 user with their permissions, 2 the device
    # that verified the session (django-otp), 3 the pass asked for (none), 4 registrations with pass
    # and edition, 5 the edition's signing key
    with django_assert_num_queries(5):
        desk.get(reverse("registration:badges"))
    AttendeeFactory.create_batch(10, event=event, pass_type=event.pass_types.get())
    with django_assert_num_queries(5):
        response = desk.get(reverse("registration:badges"))
    assert pdf_pages(response.content) == 3


@pytest.mark.parametrize("ids", ["²", "1,²", "-1", "9" * 40])
def test_badge_ids_are_parsed_strictly(desk, event, ids):
    assert desk.get(reverse("registration:badges"), {"ids": ids}).status_code == 200


def test_many_badges_are_built_in_a_task_with_progress_and_a_download(desk, event):
    from expo.registration.models import BadgeBatch

    AttendeeFactory.create_batch(45, event=event, pass_type=event.pass_types.get())
    AttendeeFactory(event=event, pass_type=event.pass_types.get(), status="waitlisted")  # no badge
    response = desk.get(reverse("registration:badges"))
    assert response.status_code == 302 and response.url.startswith(reverse("registration:badge-batches"))
    page = desk.get(response.url)
    assert "45 gafetes" in page.content.decode()
    started = desk.post(reverse("registration:badge-batches"), {})
    batch = BadgeBatch.objects.get()
    assert started.url == reverse("registration:badge-batch", args=[batch.pk])
    progress = desk.get(started.url, HTTP_ACCEPT="application/json").json()
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 45  # eager here
    pdf = desk.get(progress["download"])
    assert pdf["Content-Type"] == "application/pdf" and pdf_pages(pdf.content) == 12  # 45 / 4, rounded up
    assert "Listo" in desk.get(started.url).content.decode()


def test_admin_print_action_builds_every_selected_badge_without_a_cut(desk, event):
    from expo.registration.models import BadgeBatch

    attendees = AttendeeFactory.create_batch(6, event=event, pass_type=event.pass_types.get())
    response = desk.post(reverse("admin:registration_attendee_changelist"),
                         {"action": "print_badges", "_selected_action": [a.pk for a in attendees]})  # fmt: skip
    batch = BadgeBatch.objects.get()
    assert response.url == reverse("registration:badge-batch", args=[batch.pk])
    assert batch.total == 6 and sorted(batch.attendee_ids) == sorted(a.pk for a in attendees)


def test_admin_exports_registrations_as_csv(desk, event):
    TermFactory(vocabulary="state", slug="sonora", name_es="Sonora")
    AttendeeFactory(event=event, pass_type=event.pass_types.get(), email="ana@x.mx", first_name="Ana")
    url = reverse("admin:registration_attendee_changelist")
    response = desk.post(
        url, {"action": "export_csv", "_selected_action": Attendee.objects.values_list("pk", flat=True)}
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("id,registered_at,status,pass_type,email")
    assert "ana@x.mx" in text


def test_registration_pages_are_not_for_anonymous_desk_use(client, event):
    assert client.get(reverse("registration:walkin")).status_code == 302
    assert client.get(reverse("registration:badges")).status_code == 302


def test_badge_prints_names_in_any_script_and_the_short_code(desk, event):
    from io import BytesIO

    from pypdf import PdfReader

    from expo.registration.badges import short_code_display

    attendee = AttendeeFactory(event=event, pass_type=event.pass_types.get(), first_name="Łukasz",
                               last_name="Dvořák Şahin Nguyễn", organization_name="北京医疗器械")  # fmt: skip
    pdf = desk.get(reverse("registration:badge", args=[attendee.pk])).content
    text = PdfReader(BytesIO(pdf)).pages[0].extract_text()
    assert "Łukasz" in text and "Dvořák Şahin Nguyễn" in text and "北京医疗器械" in text
    assert short_code_display(attendee.badge_code) in text


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
def test_a_real_worker_builds_a_batch_while_the_page_follows_it(desk, event):
    """The request only queues the batch; a real Celery worker on Redis draws it and stores the PDF."""
    from django.db import connection

    from expo.registration.models import BadgeBatch
    from expo.registration.services import badge_batch_start
    from tests.conftest import celery_broker, celery_worker, redis_url

    AttendeeFactory.create_batch(30, event=event, pass_type=event.pass_types.get())
    url = redis_url()
    db = connection.settings_dict
    env = {
        "REDIS_URL": url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    with celery_broker(url), celery_worker(queue="celery", env=env):
        batch = badge_batch_start(event=event)
        assert BadgeBatch.objects.get(pk=batch.pk).status in ("queued", "running")  # the request did not wait
        import time

        deadline = time.monotonic() + 60
        while BadgeBatch.objects.get(pk=batch.pk).status != "done" and time.monotonic() < deadline:
            time.sleep(0.5)
    done = desk.get(reverse("registration:badge-batch", args=[batch.pk]), HTTP_ACCEPT="application/json").json()
    assert done["status"] == "done" and done["done"] == 30
    assert pdf_pages(desk.get(done["download"]).content) == 8


def test_walkin_with_a_registered_email_says_so_and_lets_the_desk_choose(desk, event):
    first = desk.post(reverse("registration:walkin"), walkin_data(event))
    attendee = Attendee.objects.get()
    typed = walkin_data(event, first_name="Ivana", last_name="Castro Ruiz")
    page = desk.post(reverse("registration:walkin"), typed)
    html = page.content.decode()
    assert page.status_code == 200 and "ya está registrado" in html and "Iván Castro" in html
    assert 'value="Ivana"' in html  # what was typed is kept
    assert Attendee.objects.get().first_name == "Iván"  # and nothing changed yet
    opened = desk.post(reverse("registration:walkin"), {**typed, "existing_choice": "open"})
    assert opened.url == first.url
    assert Attendee.objects.get().first_name == "Iván"
    updated = desk.post(reverse("registration:walkin"), {**typed, "existing_choice": "update"})
    assert updated.url == reverse("registration:walkin-done", args=[attendee.pk])
    assert Attendee.objects.get().full_name == "Ivana Castro Ruiz" and Attendee.objects.count() == 1
