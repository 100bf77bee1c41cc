"""An organizer in Chromium signs in for the first time: the password, then setting up an
authenticator app from the QR page (the key read off the page, the code computed here as the app
would), the backup codes, the dashboard; then signs in again with a backup code. The pages keep to
the Content-Security-Policy (no violation reported)."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp

from expo.dashboard import roles
from tests.expo.test_csp_browser import watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_sets_up_the_app_then_a_backup_code_signs_in(page, live_server, fair):
    organizer = User.objects.create_user("organizadora", password="contraseña-de-prueba", is_staff=True)
    organizer.groups.add(Group.objects.get(name=roles.ORGANIZER))
    violations = watch(page)
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Nombre de usuario").fill("organizadora")
    page.get_by_label("Contraseña").fill("contraseña-de-prueba")
    page.get_by_label("Contraseña").press("Enter")

    # Sent to set up the app: the QR code drawn on the page, the key in text.
    page.wait_for_url("**/admin/two-factor/enroll/**")
    assert page.locator(".two-factor-qr svg").bounding_box()["width"] == 220
    key = b32decode(page.locator("#two-factor-secret").inner_text().replace(" ", ""))
    page.get_by_label("Código de la app").fill("000000" if totp(key) != 0 else "111111")
    page.get_by_role("button", name="Activar").click()
    page.get_by_text("Ese código no es correcto").wait_for()
    page.get_by_label("Código de la app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Activar").click()

    # The backup codes, once; then the dashboard.
    page.wait_for_url("**/admin/two-factor/backup-codes/**")
    codes = page.locator("#backup-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Ya los guardé — continuar").click()
    page.get_by_role("heading", name="Registros y accesos").wait_for()

    # Signing in again: the password, then a backup code in place of the app's code.
    page.locator("#logout-form button").click()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Nombre de usuario").fill("organizadora")
    page.get_by_label("Contraseña").fill("contraseña-de-prueba")
    page.get_by_label("Contraseña").press("Enter")
    page.wait_for_url("**/admin/two-factor/?**")
    page.get_by_label("Código").fill(codes[0])
    page.get_by_label("Código").press("Enter")
    page.get_by_text("Quedan 9 códigos de respaldo").wait_for()
    page.get_by_role("link", name="Acceso en dos pasos").click()
    page.locator("#two-factor-apps").wait_for()
    assert violations == []
