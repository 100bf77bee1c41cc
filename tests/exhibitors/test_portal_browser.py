"""An exhibitor on a phone, in Chromium: signs in, edits a product, scans a badge by typing its code,
rates the lead and exports the leads; the directory's search box fits a phone."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from exhibitors.models import Lead
from tests.exhibitors.conftest import badge, visitor
from tests.factories import EventFactory, ExhibitorFactory, ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_exhibitor_signs_in_edits_a_product_scans_a_badge_and_exports_leads(page, live_server):
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event, organization__name="Ánfora Médica")
    ProductFactory(exhibitor=exhibitor, name="Jeringa de seguridad")
    user = get_user_model().objects.create_user("ventas@anfora.mx", "ventas@anfora.mx", "clave-segura-2025")
    exhibitor.staff.add(user)
    sofia = visitor(event, consent=True, first_name="Sofía", last_name="Luna", email="sofia@hospital.mx")

    page.goto(live_server.url + "/expositor/")
    page.get_by_label("Correo o nombre de usuario").fill("ventas@anfora.mx")
    page.get_by_label("Contraseña").fill("clave-segura-2025")
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("heading", name="Resumen").wait_for()

    page.get_by_role("link", name="Productos").first.click()
    page.get_by_role("link", name="Jeringa de seguridad").click()
    page.get_by_label("Nombre del producto").fill("Jeringa de seguridad 5 ml")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_text("Producto guardado.").wait_for()
    assert exhibitor.products.get().name == "Jeringa de seguridad 5 ml"

    page.get_by_role("link", name="Escanear gafete").first.click()
    page.wait_for_load_state("load")  # the scanner script listens once the page has loaded
    code = page.get_by_label("Escanea el gafete del visitante con la cámara o un lector USB, o escribe su código")
    code.fill(badge(sofia))
    code.press("Enter")
    result = page.locator("#result")
    result.get_by_text("Prospecto capturado").wait_for()
    assert "Sofía Luna" in result.inner_text() and "sofia@hospital.mx" in result.inner_text()
    assert page.locator("#today").inner_text() == "1"
    assert Lead.objects.filter(exhibitor=exhibitor).count() == 1

    page.get_by_role("link", name="Ve tus prospectos, califícalos y agrega notas").click()
    page.get_by_role("link", name="Sofía Luna").click()
    page.get_by_label("Caliente").check()
    page.get_by_label("Notas").fill("Quiere 200 unidades")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_text("Prospecto guardado.").wait_for()
    page.get_by_role("link", name="Prospectos").first.click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exportar CSV").click()
    rows = list(csv.reader(io.StringIO(open(download_info.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:3] == ["Capturado el", "Nombre", "Organización"]
    assert rows[1][1] == "Sofía Luna" and "sofia@hospital.mx" in rows[1] and "Caliente" in rows[1]
    with page.expect_download() as xlsx_info:
        page.get_by_role("link", name="Exportar Excel").click()
    assert xlsx_info.value.suggested_filename.endswith(".xlsx")


def test_the_directory_search_placeholder_fits_a_phone(page, live_server):
    EventFactory()
    page.goto(live_server.url + "/expositores/")
    search = page.get_by_label("Busca empresa, producto, categoría, certificación o estado")
    fits = search.evaluate(
        """input => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = `${style.fontSize} ${style.fontFamily}`;
            const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            return context.measureText(input.placeholder).width <= room;
        }"""
    )
    assert fits
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
