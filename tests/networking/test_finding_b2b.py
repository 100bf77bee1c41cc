"""Participants find the B2B area: a header link on every page, their B2B status on "My registration"."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from expo.events.models import Term
from networking.models import MeetingRequest
from tests.factories import AttendeeFactory, MeetingFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db

B2B_LINK = 'href="/b2b/"'


def test_the_header_links_signed_in_participants_to_the_b2b_area(client, edition):
    participant = ParticipantFactory(event=edition.event)
    assert B2B_LINK not in client.get(reverse("program:list")).content.decode()  # anonymous
    signin(client, participant.attendee)
    for url in (reverse("program:list"), reverse("exhibitors:directory"), reverse("registration:mine")):
        assert B2B_LINK in client.get(url).content.decode(), url
    html = client.get(reverse("networking:agenda")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert header.count(B2B_LINK) == 1 and '<a href="/b2b/" aria-current="page"' in header


def test_visitors_whose_pass_has_no_b2b_get_no_link(client, edition):
    visitor = AttendeeFactory(event=edition.event)
    signin(client, visitor)
    html = client.get(reverse("registration:mine")).content.decode()
    assert B2B_LINK not in html and "Citas B2B" not in html


def test_an_anonymous_page_reads_nothing_for_the_b2b_link(client, edition):
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("program:list"))
    assert not [q for q in queries if "attendee" in q["sql"] or "networking" in q["sql"]]


def test_my_registration_says_what_is_left_to_do(client, edition):
    me = ParticipantFactory(event=edition.event, attendee__first_name="Lucía")
    for sender in ParticipantFactory.create_batch(2, event=edition.event):
        MeetingRequest.objects.create(event=edition.event, sender=sender, recipient=me,
                                      expires_at=timezone.now() + timedelta(hours=5))  # fmt: skip
    old = ParticipantFactory(event=edition.event)
    MeetingRequest.objects.create(
        event=edition.event, sender=old, recipient=me, expires_at=timezone.now() - timedelta(hours=1)
    )  # fmt: skip, expired: not waiting
    MeetingRequest.objects.create(event=edition.event, sender=me, recipient=ParticipantFactory(event=edition.event),
                                  status="accepted")  # fmt: skip
    signin(client, me.attendee)
    html = " ".join(client.get(reverse("registration:mine")).content.decode().split())
    assert "Tu perfil B2B no está completo" in html and 'href="/b2b/perfil/"' in html
    assert "2 solicitudes de cita esperan tu respuesta" in html
    assert "1 solicitud aceptada aún no tiene horario" in html
    assert "Aún no tienes citas en tu agenda." in html


def test_my_registration_shows_the_next_meeting_and_a_complete_profile(client, edition):
    me = ParticipantFactory(event=edition.event)
    me.needs.add(Term.objects.filter(vocabulary="device_category").first())
    jorge = ParticipantFactory(event=edition.event, attendee__first_name="Jorge", attendee__last_name="Ramírez")
    MeetingFactory(event=edition.event, slot=edition.slots[4], table=edition.tables[1],
                   between=(me, ParticipantFactory(event=edition.event)))  # fmt: skip
    MeetingFactory(event=edition.event, slot=edition.slots[2], table=edition.tables[0], between=(me, jorge))
    signin(client, me.attendee)
    html = " ".join(client.get(reverse("registration:mine")).content.decode().split())
    assert "Tu perfil B2B está completo." in html
    assert "Ninguna solicitud de cita espera tu respuesta." in html
    assert f"10:40–11:00</strong>, Espacio B2B A, mesa {edition.tables[0]}, con Jorge Ramírez." in html


def test_a_page_rendered_without_a_session_shows_no_b2b_link(rf, edition):
    html = render_to_string("networking/_header_link.html", request=rf.get("/"))
    assert html.strip() == ""
