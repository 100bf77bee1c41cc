"""The public exhibitor pages: directory search and filters, the exhibitor page, the floor map."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from exhibitors.models import Organization
from exhibitors.services import exhibitor_profile_update, exhibitor_search_text_refresh, product_create
from expo.events.models import Term
from tests.factories import EventFactory, ExhibitorFactory, HallFactory, ProductFactory, TermFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [e.organization.name for e in response.context["page"]]


@pytest.fixture
def directory(db):
    """Three exhibitors whose words differ in accents, fields and languages."""
    event = EventFactory()
    hall_b = HallFactory(event=event, code="b", name_es="Salón B", name_en="Hall B")
    jalisco = Term.objects.get(vocabulary=Term.Vocabulary.STATE, slug="jalisco")
    imaging = Term.objects.get(vocabulary=Term.Vocabulary.DEVICE_CATEGORY, slug="imaging")
    iso = Term.objects.get(vocabulary=Term.Vocabulary.CERTIFICATION, slug="iso-13485")
    molding = Term.objects.get(vocabulary=Term.Vocabulary.CAPABILITY, slug="injection-molding")
    sterile = ExhibitorFactory(event=event, organization__name="Esterilización Médica del Bajío",
                               organization__size=Organization.Size.SME)  # fmt: skip
    tapatia = ExhibitorFactory(event=event, organization__name="Óptica Tapatía", organization__state=jalisco,
                               organization__size=Organization.Size.SME, hall=hall_b)  # fmt: skip
    big = ExhibitorFactory(event=event, organization__name="Grupo Norte", organization__size=Organization.Size.LARGE)
    exhibitor_profile_update(exhibitor=big, categories=[imaging], certifications=[iso], capabilities=[molding])
    product_create(exhibitor=sterile, name="Autoclave de vapor")
    return {"event": event, "sterile": sterile, "tapatia": tapatia, "big": big}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("bajio", ["Esterilización Médica del Bajío"]),  # company, without the accent
        ("ESTERILIZACION", ["Esterilización Médica del Bajío"]),  # case
        ("óptica", ["Óptica Tapatía"]),
        ("Imagenología", ["Grupo Norte"]),  # category (Spanish)
        ("imagenologia", ["Grupo Norte"]),
        ("imaging", ["Grupo Norte"]),  # category (English)
        ("iso 13485", ["Grupo Norte"]),  # certification, two words
        ("inyeccion", ["Grupo Norte"]),  # capability "Moldeo por inyección"
        ("jalisco", ["Óptica Tapatía"]),  # state
        ("autoclave", ["Esterilización Médica del Bajío"]),  # product
        ("salon b", ["Óptica Tapatía"]),  # hall
        ("bajio autoclave", ["Esterilización Médica del Bajío"]),  # every word must match
        ("bajio jalisco", []),
    ],
)
def test_search_ignores_accents_and_case_across_every_field(client, directory, query, expected):
    response = client.get(reverse("exhibitors:directory"), {"q": query})
    assert names(response) == expected


def test_filters_by_category_capability_certification_state_size_and_hall(client, directory):
    url = reverse("exhibitors:directory")
    assert names(client.get(url, {"category": "imaging"})) == ["Grupo Norte"]
    assert names(client.get(url, {"capability": "injection-molding"})) == ["Grupo Norte"]
    assert names(client.get(url, {"certification": "iso-13485"})) == ["Grupo Norte"]
    assert names(client.get(url, {"state": "jalisco"})) == ["Óptica Tapatía"]
    assert names(client.get(url, {"size": "large"})) == ["Grupo Norte"]
    assert names(client.get(url, {"size": "sme", "hall": "b"})) == ["Óptica Tapatía"]
    assert len(names(client.get(url, {"size": "sme"}))) == 2


def test_the_category_filter_says_todas_in_spanish(client, directory):
    body = client.get(reverse("exhibitors:directory")).content.decode()
    assert '<select name="category"><option value="">Todas</option>' in body
    assert '<select name="state"><option value="">Todos</option>' in body


def test_directory_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    event = EventFactory()
    ExhibitorFactory.create_batch(3, event=event)
    # edition, count, page of exhibitors (organization, state, hall), categories, certifications,
    # products with their categories, the filters' terms, the halls
    with django_assert_num_queries(8):
        client.get(reverse("exhibitors:directory"))
    with django_assert_num_queries(0):  # the same page again: its content and the edition from the cache
        client.get(reverse("exhibitors:directory"))
    for exhibitor in ExhibitorFactory.create_batch(25, event=event):
        exhibitor.categories.add(TermFactory())
        ProductFactory(exhibitor=exhibitor)
    cache.clear()  # factories bypass the services that bump the exhibitors' version
    with django_assert_num_queries(8):
        client.get(reverse("exhibitors:directory"))
    # a search adds one query, the terms it is matched against (the edition is in the cache now)
    with django_assert_num_queries(8):
        client.get(reverse("exhibitors:directory"), {"q": "plasticos"})


def test_a_change_by_the_exhibitor_shows_at_once_in_the_directory(client, django_capture_on_commit_callbacks):
    exhibitor = ExhibitorFactory(organization__name="Ánfora Médica")
    assert "Ánfora Médica" in client.get(reverse("exhibitors:directory")).content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        product_create(exhibitor=exhibitor, name="Jeringa prellenada")
    html = client.get(reverse("exhibitors:directory"), {"q": "jeringa"}).content.decode()
    assert "Ánfora Médica" in html
    exhibitor.organization.name = "Ánfora Médica Internacional"
    exhibitor.organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        exhibitor_search_text_refresh(exhibitor_ids=[exhibitor.pk])  # what the admin's save does
    assert "Ánfora Médica Internacional" in client.get(reverse("exhibitors:directory")).content.decode()


def test_the_exhibitor_page_lights_its_booth_on_the_floor_map(client, django_assert_num_queries):
    event = EventFactory()
    hall = HallFactory(event=event, code="a", name_es="Salón A", name_en="Hall A", width=30, depth=20)
    target = ExhibitorFactory(event=event, hall=hall, booth="A-101", booth_x=4, booth_y=2,
                              organization__name="Ánfora Médica", slug="anfora")  # fmt: skip
    ExhibitorFactory(event=event, hall=hall, booth="A-102", booth_x=7, booth_y=2)
    ExhibitorFactory(event=event, hall=hall, booth="A-103")  # not placed yet: drawn in a row at the bottom
    ProductFactory(exhibitor=target, name="Ecógrafo", category=TermFactory(name_es="Imagenología"))
    response = client.get(reverse("exhibitors:exhibitor", args=["anfora"]))
    body = response.content.decode()
    assert response.status_code == 200 and "Ecógrafo" in body and "Imagenología" in body
    assert body.count('class="booth lit"') == 1 and 'x="4" y="2"' in body
    assert body.count('class="booth"') == 2
    assert "Plano de Salón A con el stand A-101 resaltado" in body
    # edition, the exhibitor (404 or title), then its content: exhibitor with organization/state/hall,
    # categories, certifications, products, capabilities, halls, booths of the hall
    cache.clear()
    with django_assert_num_queries(9):
        client.get(reverse("exhibitors:exhibitor", args=["anfora"]))
    with django_assert_num_queries(1):  # again: the exhibitor (404 or title); edition and content from the cache
        client.get(reverse("exhibitors:exhibitor", args=["anfora"]))
    assert client.get(reverse("exhibitors:exhibitor", args=["nadie"])).status_code == 404


def test_the_floor_map_draws_every_hall_in_the_readers_language(client):
    event = EventFactory()
    for code in "ab":
        hall = HallFactory(event=event, code=code, name_es=f"Salón {code.upper()}", name_en=f"Hall {code.upper()}")
        ExhibitorFactory(event=event, hall=hall)
    spanish = client.get(reverse("exhibitors:map")).content.decode()
    english = client.get(reverse("exhibitors:map"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Salón A" in spanish and "Salón B" in spanish and spanish.count("<svg") == 2
    assert "Hall A" in english and "Salón A" not in english
