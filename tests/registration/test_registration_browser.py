"""A visitor registers from a phone, follows the emailed link and downloads the badge."""

import re

import pytest
from django.core import mail

from expo.registration.models import Attendee
from tests.factories import EventFactory, PassTypeFactory, TermFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def event():
    event = EventFactory(name="Medical Expo 2031")
    PassTypeFactory(event=event, slug="visitante", name_es="Visitante", name_en="Visitor")
    TermFactory(vocabulary="state", slug="jalisco", name_es="Jalisco", name_en="Jalisco")
    TermFactory(vocabulary="device_category", slug="imaging", name_es="Imagenología", name_en="Imaging")
    return event


def fill_registration(page, *, email, labels):
    page.get_by_role("radio", name=labels["pass"], exact=True).check()
    page.get_by_role("textbox", name=labels["first_name"], exact=True).fill("Lucía")
    page.get_by_role("textbox", name=labels["last_name"], exact=True).fill("Hernández")
    page.get_by_role("textbox", name=labels["email"], exact=True).fill(email)
    page.get_by_role("textbox", name=labels["organization"], exact=True).fill("Hospital Civil de Guadalajara")
    page.get_by_role("combobox", name=labels["kind"], exact=True).select_option("hospital")
    page.get_by_role("combobox", name=labels["state"], exact=True).select_option(label="Jalisco")
    page.get_by_role("checkbox", name=labels["interest"], exact=True).check()


def follow_link_and_download_badge(page, *, email, open_button, download_link):
    message = next(m for m in mail.outbox if m.to == [email])
    link = re.search(r"https?://\S+/acceso/\S+/", message.body).group(0)
    page.goto(link)
    page.get_by_role("button", name=open_button).click()
    page.wait_for_url("**/mi-registro/")
    assert page.get_by_text("Lucía Hernández").first.is_visible()
    assert page.locator(".qr svg").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=download_link).click()
    with open(download.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"


def test_visitor_registers_in_spanish_and_gets_the_badge(page, live_server, event, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/registro/")
    labels = {"pass": "Visitante", "first_name": "Nombre", "last_name": "Apellidos", "email": "Correo electrónico",
              "organization": "Organización", "kind": "Tipo de organización", "state": "Estado",
              "interest": "Imagenología"}  # fmt: skip
    fill_registration(page, email="lucia@hospital.mx", labels=labels)
    # Forgetting the privacy notice keeps everything typed and says why.
    page.get_by_role("button", name="Regístrate").click()
    assert page.get_by_text("Debes aceptar el aviso de privacidad para registrarte.").is_visible()
    assert page.get_by_role("textbox", name="Nombre", exact=True).input_value() == "Lucía"
    page.get_by_role("checkbox", name="He leído y acepto el aviso de privacidad.").check()
    page.get_by_role("button", name="Regístrate").click()
    page.wait_for_url("**/registro/listo/")
    assert page.get_by_role("heading", name="Revisa tu correo").is_visible()
    assert Attendee.objects.get().language == "es-mx"
    follow_link_and_download_badge(
        page, email="lucia@hospital.mx", open_button="Abrir mi registro", download_link="Descargar mi gafete (PDF)"
    )


def test_visitor_switches_to_english_and_registers(page, live_server, event, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url + "/registro/")
    with page.expect_navigation():
        page.get_by_label("Idioma").select_option("en")
    assert page.get_by_role("heading", name="Register for Medical Expo 2031").is_visible()
    labels = {
        "pass": "Visitor",
        "first_name": "First name",
        "last_name": "Last name",
        "email": "Email",
        "organization": "Organization",
        "kind": "Kind of organization",
        "state": "State",
        "interest": "Imaging",
    }
    fill_registration(page, email="lucy@hospital.com", labels=labels)
    page.get_by_role("checkbox", name="I have read and accept the privacy notice.").check()
    page.get_by_role("button", name="Register", exact=True).click()
    page.wait_for_url("**/registro/listo/")
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert Attendee.objects.get().language == "en"
    assert "confirmed" in mail.outbox[0].subject
    follow_link_and_download_badge(
        page, email="lucy@hospital.com", open_button="Open my registration", download_link="Download my badge (PDF)"
    )
