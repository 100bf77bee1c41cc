"""Search among the participants, and a page per participant."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from expo.events.models import Term
from networking.models import MeetingRequest
from networking.selectors import participant_search
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ExhibitorFactory,
    HallFactory,
    OrganizationFactory,
    ParticipantFactory,
    ProfileFactory,
    TermFactory,
)
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db


def term(vocabulary, slug):
    return Term.objects.get(vocabulary=vocabulary, slug=slug)


@pytest.fixture
def people(edition):
    event = edition.event
    jalisco, sonora = term("state", "jalisco"), term("state", "sonora")
    machining = term("capability", "precision-machining")
    me = ParticipantFactory(event=event, role="hospital", attendee__first_name="Yo", attendee__last_name="Mismo")
    oem = OrganizationFactory(name="Dispositivos del Pacífico", kind="manufacturer", state=jalisco)
    ana = ParticipantFactory(event=event, role="manufacturer", organization=oem, attendee__first_name="Ana",
                             attendee__last_name="Torres", attendee__job_title="Directora comercial")  # fmt: skip
    ana.offers.add(machining)
    beto = ParticipantFactory(event=event, role="supplier", attendee__first_name="Beto", attendee__last_name="Lara",
                              attendee__organization_name="Maquinados Lara", attendee__state=sonora)  # fmt: skip
    beto.needs.add(machining)
    carla = ParticipantFactory(event=event, role="distributor", attendee__first_name="Carla",
                               attendee__last_name="Núñez", attendee__organization_name="Distribuidora Norte",
                               attendee__state=jalisco)  # fmt: skip
    hidden = [
        ParticipantFactory(event=event, is_active=False, attendee__first_name="Inactiva"),
        ProfileFactory(event=event, attendee=AttendeeFactory(event=event, first_name="SinPase")),  # pass without B2B
        ParticipantFactory(event=EventFactory(), attendee__first_name="OtraEdición"),
    ]
    return {"me": me, "ana": ana, "beto": beto, "carla": carla, "hidden": hidden, "oem": oem}


def names(found):
    return [p.attendee.first_name for p in found]


def test_everyone_else_who_takes_part_is_listed_in_name_order(people):
    assert names(participant_search(profile=people["me"])) == ["Beto", "Carla", "Ana"]  # Lara, Núñez, Torres


@pytest.mark.parametrize(("query", "expected"), [
    ("torres", ["Ana"]),  # person
    ("Pacífico", ["Ana"]),  # company, from the organization
    ("maquinados", ["Beto"]),  # company, as typed at registration
    ("directora", ["Ana"]),  # job title
    ("ana torres", ["Ana"]),  # every word must match
    ("ana lara", []),
])  # fmt: skip
def test_search_by_person_company_or_job_title(people, query, expected):
    assert names(participant_search(profile=people["me"], query=query)) == expected


def test_filters_by_role_category_and_state(people):
    me = people["me"]
    machining = term("capability", "precision-machining")
    assert names(participant_search(profile=me, role="supplier")) == ["Beto"]
    assert names(participant_search(profile=me, category=machining)) == ["Beto", "Ana"]
    assert names(participant_search(profile=me, category=machining, side="offers")) == ["Ana"]
    assert names(participant_search(profile=me, category=machining, side="needs")) == ["Beto"]
    # The company's state, else the person's.
    assert names(participant_search(profile=me, state=term("state", "jalisco"))) == ["Carla", "Ana"]
    assert names(participant_search(profile=me, state=term("state", "sonora"))) == ["Beto"]


def test_the_page_filters_from_the_query_string_and_reports_a_bad_value(client, people):
    signin(client, people["me"].attendee)
    filters = {"q": "lara", "category": "precision-machining", "side": "needs", "state": "sonora"}
    html = client.get(reverse("networking:participants"), filters).content.decode()
    assert "Beto Lara" in html and "Ana Torres" not in html and "1 participante" in html
    assert '<option value="precision-machining" selected>' in html
    html = client.get(reverse("networking:participants"), {"role": "astronaut"}).content.decode()
    assert "3 participantes" in html and "Rol:" in html  # the bad filter is named and ignored


def test_the_search_page_takes_the_same_queries_however_many_participants(client, people, edition):
    signin(client, people["me"].attendee)
    url = reverse("networking:participants")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "a", "category": "precision-machining", "state": "jalisco"}).status_code == 200
        return len(queries)

    before = count()
    for _ in range(8):
        person = ParticipantFactory(
            event=edition.event, attendee__first_name="Amalia", attendee__state=term("state", "jalisco")
        )
        person.offers.add(term("capability", "precision-machining"), TermFactory())
        person.needs.add(TermFactory())
    # The session is read from the cache. 1 attendee, 2 profile with its edition, 3 the trade terms and
    # 4 the states of the filters, 5 the names matched (accents ignored), 6 the count, 7 the page of
    # participants with their people, companies and states, 8 their offers, 9 their needs, 10 the open
    # requests with them.
    assert count() == before == 10


def test_names_are_found_whatever_their_accents_and_case(client, people, edition):
    signin(client, people["me"].attendee)
    ParticipantFactory(event=edition.event, attendee__first_name="Lucía", attendee__last_name="Peña Núñez")
    for query in ("lucia", "LUCÍA pena", "nunez"):
        html = client.get(reverse("networking:participants"), {"q": query}).content.decode()
        assert "Lucía Peña Núñez" in html, query


def test_a_participant_page_shows_company_offers_needs_and_booth(client, people, edition):
    exhibitor = ExhibitorFactory(event=edition.event, organization=people["oem"], booth="B-204",
                                 hall=HallFactory(event=edition.event, name_es="Salón B"))  # fmt: skip
    signin(client, people["me"].attendee)
    html = client.get(reverse("networking:participant", args=[people["ana"].pk])).content.decode()
    assert "Ana Torres" in html and "Dispositivos del Pacífico" in html and "Directora comercial" in html
    assert "Maquinado de precisión" in html and "Jalisco" in html
    assert "Expone en el stand B-204" in html
    assert f'href="{reverse("exhibitors:exhibitor", args=[exhibitor.slug])}"' in html  # their exhibitor page
    assert "Solicitar una cita" in html


def test_people_outside_the_b2b_meetings_have_no_page(client, people):
    signin(client, people["me"].attendee)
    for hidden in people["hidden"]:
        assert client.get(reverse("networking:participant", args=[hidden.pk])).status_code == 404


def test_a_request_sent_from_a_participant_page_comes_back_to_it(client, people):
    signin(client, people["me"].attendee)
    page = reverse("networking:participant", args=[people["beto"].pk])
    response = client.post(reverse("networking:request-send", args=[people["beto"].pk]),
                           {"message": "Hola", "next": page})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == page
    assert MeetingRequest.objects.get().recipient == people["beto"]
    assert "Solicitud pendiente" in client.get(page).content.decode()


def test_a_request_never_sends_the_browser_to_another_site(client, people):
    signin(client, people["me"].attendee)
    response = client.post(reverse("networking:request-send", args=[people["beto"].pk]),
                           {"message": "", "next": "https://evil.example/"})  # fmt: skip
    assert response["Location"] == reverse("networking:home")


@pytest.mark.urls("tests.networking.urls_with_exhibitor_page")
def test_the_booth_links_to_the_exhibitor_page_once_there_is_one(client, people, edition):
    exhibitor = ExhibitorFactory(event=edition.event, organization=people["oem"], booth="B-204")
    signin(client, people["me"].attendee)
    html = client.get(reverse("networking:participant", args=[people["ana"].pk])).content.decode()
    assert f'href="/expositores/{exhibitor.pk}/"' in html
