"""B2B participants on a phone, in Spanish: booking the time they tap, finding someone by search and
asking for a meeting, filling in the compact profile with the availability shortcuts."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail

from networking.models import Meeting, MeetingRequest
from tests.factories import ParticipantFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    page.get_by_role("navigation", name="Citas B2B").get_by_role("link", name="Buscar").click()
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
