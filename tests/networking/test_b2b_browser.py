"""B2B participants on a phone, in Spanish: booking the time they tap, finding someone by search and
asking for a meeting, filling in the compact profile with the availability shortcuts."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.utils import timezone

from expo.events.models import Term
from networking.models import Meeting, MeetingRequest, Profile, Slot
from tests.factories import ParticipantFactory
from tests.networking.conftest import edition_make

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed_taxonomies():
    """The taxonomies of migration events/0002 (28 trade terms...): transactional tests empty the tables."""
    importlib.import_module("expo.events.migrations.0002_seed_taxonomies").seed(apps, None)


def browser_signin(page, live_server, attendee):
    """What following the emailed sign-in link leaves behind: a session cookie."""
    session = SessionStore()
    session["expo_attendee_id"] = attendee.pk
    session.create()
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                               "url": live_server.url}])  # fmt: skip


def test_the_time_tapped_is_the_time_booked(page, live_server, edition):
    buyer = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía")
    seller = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge",
                                attendee__last_name="Ramírez")  # fmt: skip
    request = MeetingRequest.objects.create(event=edition.event, sender=buyer, recipient=seller, status="accepted")
    browser_signin(page, live_server, buyer.attendee)
    page.goto(live_server.url + "/b2b/solicitudes/")
    page.get_by_role("link", name="Agendar un horario ahora").click()
    page.wait_for_url(f"**/b2b/solicitudes/{request.pk}/agendar/")

    # Tap the circle itself, at its place on the screen, beside "10:20–10:40".
    radio = page.get_by_role("radio", name="10:20–10:40")
    box = radio.bounding_box()
    text = page.get_by_text("10:20–10:40", exact=True).bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) < 8  # on the same line
    assert box["x"] < text["x"]  # just before its text
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert radio.is_checked() and not page.get_by_role("radio", name="10:40–11:00").is_checked()
    page.get_by_role("button", name="Agendar este horario").click()

    page.wait_for_url("**/b2b/agenda/")
    meeting = Meeting.objects.get()
    assert meeting.slot == edition.slots[1]
    assert "10:20–10:40" in page.locator(".messages").inner_text()
    assert "10:20–10:40" in page.locator(".agenda").inner_text()
    assert [m.to for m in mail.outbox] == [[seller.attendee.email]]


def test_find_someone_by_search_and_ask_for_a_meeting(page, live_server, edition):
    me = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía")
    ParticipantFactory.create_batch(3, event=edition.event, role="supplier")
    jorge = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge",
                               attendee__last_name="Ramírez", attendee__organization_name="Imagen Médica del Bajío",
                               attendee__job_title="Director comercial")  # fmt: skip
    browser_signin(page, live_server, me.attendee)
    page.goto(live_server.url + "/")
    page.get_by_role("banner").get_by_role("link", name="B2B").click()  # the header leads to the B2B area
    tabs = page.get_by_role("navigation", name="Citas B2B").get_by_role("link")
    assert tabs.count() == 5
    for i in range(tabs.count()):  # every tab on the screen, none cut at its edge
        box = tabs.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, tabs.nth(i).inner_text()
    tabs.get_by_text("Buscar", exact=True).click()
    page.get_by_role("searchbox", name="Buscar").fill("imagen bajío")
    page.get_by_role("button", name="Buscar").click()
    assert page.get_by_role("status").inner_text() == "1 participante"
    page.get_by_role("link", name="Jorge Ramírez").click()

    assert page.get_by_role("heading", name="Jorge Ramírez").is_visible()
    assert page.get_by_text("Imagen Médica del Bajío").is_visible()
    page.get_by_role("textbox", name="Mensaje").fill("Buscamos equipos de ultrasonido para tres hospitales.")
    page.get_by_role("button", name="Enviar solicitud").click()
    page.get_by_text("Tu solicitud se envió a Jorge Ramírez.").wait_for()
    assert page.get_by_text("Solicitud pendiente").is_visible()  # back on his page, which now says so
    request = MeetingRequest.objects.get()
    assert (request.sender, request.recipient) == (me, jorge)
    assert request.message.startswith("Buscamos equipos")
    assert [m.to for m in mail.outbox] == [[jorge.attendee.email]]


def test_the_profile_fits_a_phone_and_the_shortcuts_fill_in_the_availability(page, live_server):
    # Three days of 24 rounds (10:00-18:00), as at the fair: 72 times to choose from; the 28 trade terms.
    seed_taxonomies()
    edition = edition_make(slots=24)
    for offset in (1, 2):
        day_slots = Slot.objects.bulk_create([
            Slot(event=edition.event, start=slot.start + timedelta(days=offset), end=slot.end + timedelta(days=offset))
            for slot in edition.slots[:24]
        ])  # fmt: skip
        edition.space.slots.add(*day_slots)
    attendee = ParticipantFactory(event=edition.event, attendee__organization_kind="supplier").attendee
    Profile.objects.filter(attendee=attendee).delete()  # a first visit
    attendee.interests.add(Term.objects.get(vocabulary="device_category", slug="imaging"))
    browser_signin(page, live_server, attendee)
    page.goto(live_server.url + "/b2b/perfil/")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2500, height  # it was about 8,500 px; 2,408 with the first group open
    assert page.get_by_role("checkbox", name="Busco Imagenología").is_checked()  # carried from the registration
    page.get_by_role("checkbox", name="Ofrezco Sensores").check()
    page.locator("summary", has_text="Capacidades de proveedor").click()  # the second group opens
    page.get_by_role("checkbox", name="Ofrezco Maquinado de precisión").check()
    assert "ofreces 1 · buscas 0" in page.locator("details", has_text="Capacidades de proveedor").inner_text()

    days = page.locator("[data-day]")
    days.nth(0).get_by_role("button", name="Mañana").click()
    days.nth(1).get_by_role("button", name="Tarde").click()
    days.nth(2).get_by_role("button", name="Todo el día").click()
    days.nth(2).get_by_role("button", name="Ninguno").click()
    assert "12 de 24 horarios" in days.nth(0).inner_text() and "ningún horario elegido" in days.nth(2).inner_text()
    page.get_by_role("button", name="Guardar").click()

    page.wait_for_url("**/b2b/")
    profile = Profile.objects.get(attendee=attendee)
    assert {t.slug for t in profile.offers.all()} == {"sensors", "precision-machining"}
    assert [t.slug for t in profile.needs.all()] == ["imaging"]
    local = [timezone.localtime(s.start) for s in profile.availability.order_by("start")]
    first_day = timezone.localtime(edition.slots[0].start).date()
    assert len(local) == 24
    assert all(t.date() == first_day and t.hour < 14 for t in local[:12])  # day 1, morning
    assert all(t.date() == first_day + timedelta(days=1) and t.hour >= 14 for t in local[12:])  # day 2, afternoon
