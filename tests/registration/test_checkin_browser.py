"""Door staff scan badges on the check-in page, also while the venue network is down."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from expo.registration.badges import attendee_badge_code
from expo.registration.models import BadgeScan
from tests.factories import AttendeeFactory, EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_scans_online_then_offline_then_syncs(page, live_server):
    User.objects.create_superuser("puerta", password="contraseña-de-prueba")
    event = EventFactory()
    ana, beto = (AttendeeFactory(event=event, first_name=name, last_name="Ruiz") for name in ("Ana", "Beto"))
    page.goto(live_server.url + "/admin/login/?next=/mostrador/acceso/")
    page.get_by_label("Nombre de usuario").fill("puerta")
    page.get_by_label("Contraseña").fill("contraseña-de-prueba")
    page.get_by_label("Contraseña").press("Enter")
    page.wait_for_url("**/mostrador/acceso/")

    code = page.get_by_label("Escanea un gafete (lector USB o cámara), o escribe su código")
    code.fill(attendee_badge_code(ana))
    code.press("Enter")  # what a USB scanner does after typing the code
    result = page.locator("#result")
    result.get_by_text("¡Bienvenido!").wait_for()
    assert "Ana Ruiz" in result.inner_text()

    page.context.set_offline(True)
    read_at = timezone.now() - timedelta(hours=2)  # the badge is read offline two hours before the sync
    page.clock.set_fixed_time(read_at)
    code.fill(attendee_badge_code(beto))
    code.press("Enter")
    result.get_by_text("Gafete válido (sin conexión)", exact=False).wait_for()
    assert page.locator("#pending").inner_text() == "1"
    forged = attendee_badge_code(beto)[:-4] + "AAAA"
    code.fill(forged)
    code.press("Enter")
    result.get_by_text("Gafete no válido (verificado sin conexión)").wait_for()
    assert "bad" in result.get_attribute("class")
    assert BadgeScan.objects.count() == 1

    page.context.set_offline(False)
    page.locator("#pending").get_by_text("0").wait_for()
    scans = {scan.attendee.first_name: scan for scan in BadgeScan.objects.select_related("attendee")}
    assert set(scans) == {"Ana", "Beto"}
    # The synced scan keeps the time it was read, not the time it reached the server.
    assert abs(scans["Beto"].scanned_at - read_at) < timedelta(seconds=5)
    assert scans["Beto"].day == timezone.localdate(read_at)
