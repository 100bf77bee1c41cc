"""Two-step sign-in of staff (expo/dashboard/two_factor.py, views.py, services.py): organizers must
set up an authenticator app and type its code; other staff may; wrong codes lock out like passwords;
backup codes work once; an organizer resets someone's lost phone, in the audit trail."""

import re
import time

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.dashboard import roles, services
from expo.dashboard.two_factor import CONFIRMED_AT_SESSION_KEY
from tests.conftest import login_verified, two_factor_code, two_factor_device

from .conftest import member

pytestmark = pytest.mark.django_db

PASSWORD = "x"  # member() and create_superuser below


def sign_in(client, username: str, next_url: str = "/admin/"):
    """The password step, as the admin's login form posts it."""
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, "the password step failed"
    return response


def enroll_url(next_url="/admin/"):
    return f"{reverse('admin:two-factor-enroll')}?{urlencode({'next': next_url})}"


def verify_url(next_url="/admin/"):
    return f"{reverse('admin:two-factor-verify')}?{urlencode({'next': next_url})}"


def secret_of(page: str) -> bytes:
    """The key the enrollment page prints for typing into an app, as bytes (what the app computes with)."""
    from base64 import b32decode

    text = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    return b32decode(text.replace(" ", ""))


@pytest.mark.parametrize(
    "make", [lambda: member(roles.ORGANIZER), lambda: User.objects.create_superuser("raiz", password="x")]
)
def test_organizer_without_an_app_must_set_one_up_before_any_staff_page(client, make):
    user = make()
    sign_in(client, user.username)
    for path in ["/admin/", "/admin/registration/attendee/", "/mostrador/acceso/", "/mostrador/sala/",
                 "/mostrador/registro/", "/programa/organizadores/horas/", "/admin/two-factor/account/"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == enroll_url(path), path
    # Not the API either, and the code page sends them on to the enrollment.
    assert client.get("/api/v1/events/").status_code == 403
    assert client.get(verify_url())["Location"] == enroll_url()


def test_enrollment_with_a_real_code_turns_it_on_and_shows_backup_codes_once(client, fair):
    organizer = member(roles.ORGANIZER)
    sign_in(client, organizer.username)
    page = client.get(enroll_url()).content.decode()
    assert "<svg" in page and "otpauth" not in page  # the QR code is drawn here; the URI is not printed
    key = secret_of(page)
    assert TOTPDevice.objects.get(user=organizer, confirmed=False).bin_key == key
    response = client.post(enroll_url(), {"code": f"{totp(key):06d}", "name": "Teléfono"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:two-factor-backup-codes"))
    device = TOTPDevice.objects.get(user=organizer)
    assert device.confirmed and device.name == "Teléfono"
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page)
    # Only their digests are kept: a copy of the database holds no code that signs anyone in.
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(codes) == 10 and stored == {services.backup_code_digest(code) for code in codes}
    assert not stored & set(codes)
    assert "Guarda estos códigos" in codes_page
    # Shown once: coming back shows them no more.
    assert client.get(response["Location"])["Location"] == reverse("admin:two-factor-manage")
    assert client.get("/admin/").status_code == 200
    assert client.get("/mostrador/acceso/").status_code == 200


def test_a_wrong_code_is_refused_with_a_message_in_the_persons_language(client):
    organizer = member(roles.ORGANIZER)
    sign_in(client, organizer.username)
    key = secret_of(client.get(enroll_url()).content.decode())
    wrong = f"{(totp(key) + 1) % 1_000_000:06d}"
    response = client.post(enroll_url(), {"code": wrong})
    assert response.status_code == 200 and "Ese código no es correcto" in response.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    response = client.post(enroll_url(), {"code": wrong}, HTTP_ACCEPT_LANGUAGE="en")
    assert "That code is not right" in response.content.decode()
    assert client.get("/admin/").status_code == 302  # still not in


def test_signing_in_asks_the_code_of_someone_with_an_app(client, fair):
    organizer = member(roles.ORGANIZER)
    device = two_factor_device(organizer)
    sign_in(client, organizer.username, "/mostrador/acceso/")
    assert client.get("/mostrador/acceso/")["Location"] == verify_url("/mostrador/acceso/")
    # Holding only the password, one cannot add an app of one's own to get around the code.
    assert client.get(enroll_url())["Location"] == verify_url()
    response = client.post(verify_url("/mostrador/acceso/"), {"code": two_factor_code(device)})
    assert response["Location"] == "/mostrador/acceso/"
    assert client.get("/mostrador/acceso/").status_code == 200
    # The same code does not work twice (it was used): a new sign-in needs the next one.
    client.logout()
    sign_in(client, organizer.username)
    assert client.post(verify_url(), {"code": two_factor_code(device)}).status_code == 200
    assert client.post(verify_url(), {"code": two_factor_code(device, steps_ahead=1)}).status_code == 302


def test_a_backup_code_works_once(client):
    organizer = member(roles.ORGANIZER)
    two_factor_device(organizer)
    code = services.backup_codes_regenerate(user=organizer)[0]
    sign_in(client, organizer.username)
    response = client.post(verify_url(), {"code": code.upper()[:4] + "-" + code.upper()[4:]}, follow=True)
    assert response.redirect_chain[0][0] == "/admin/" and response.status_code == 200
    assert "Quedan 9 códigos de respaldo" in response.content.decode()
    client.logout()
    sign_in(client, organizer.username)
    response = client.post(verify_url(), {"code": code})
    assert response.status_code == 200 and "Ese código no es correcto" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_other_staff_may_go_without_but_are_asked_the_code_once_enrolled(client, fair):
    desk = member(roles.DESK_STAFF)
    sign_in(client, desk.username, "/mostrador/acceso/")
    assert client.get("/mostrador/acceso/").status_code == 200
    assert "Activar el acceso en dos pasos" in client.get(reverse("admin:two-factor-manage")).content.decode()
    # They turn it on from their account page.
    key = secret_of(client.get(enroll_url("/admin/two-factor/account/")).content.decode())
    assert client.post(enroll_url(), {"code": f"{totp(key):06d}"}).status_code == 302
    client.logout()
    sign_in(client, desk.username, "/mostrador/acceso/")
    assert client.get("/mostrador/acceso/")["Location"] == verify_url("/mostrador/acceso/")
    device = TOTPDevice.objects.get(user=desk)
    assert client.post(verify_url(), {"code": two_factor_code(device, steps_ahead=1)}).status_code == 302
    assert client.get("/mostrador/acceso/").status_code == 200
    # Removing their only app turns it off again (backup codes go with it).
    client.post(reverse("admin:two-factor-device-remove"), {"device": device.pk})
    assert not TOTPDevice.objects.filter(user=desk).exists() and not StaticToken.objects.exists()


def test_wrong_codes_lock_the_account_out_even_for_the_right_code(client):
    organizer = member(roles.ORGANIZER)
    device = two_factor_device(organizer)
    sign_in(client, organizer.username)
    right = two_factor_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(5):
        assert "Ese código no es correcto" in client.post(verify_url(), {"code": wrong}).content.decode()
    response = client.post(verify_url(), {"code": right})
    assert response.status_code == 200 and "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    # Signing in again does not buy new attempts: the count belongs to the account.
    client.logout()
    sign_in(client, organizer.username)
    assert "Demasiados intentos fallidos" in client.post(verify_url(), {"code": right}).content.decode()


def test_an_organizer_keeps_one_app_and_can_replace_it(client):
    organizer = member(roles.ORGANIZER)
    first = two_factor_device(organizer)
    login_verified(client, organizer)
    response = client.post(reverse("admin:two-factor-device-remove"), {"device": first.pk}, follow=True)
    assert "añade otra app de autenticación" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=first.pk).exists()
    key = secret_of(client.get(enroll_url()).content.decode())
    assert client.post(enroll_url(), {"code": f"{totp(key):06d}", "name": "nuevo"}).status_code == 302
    client.post(reverse("admin:two-factor-device-remove"), {"device": first.pk})
    assert list(TOTPDevice.objects.filter(user=organizer).values_list("name", flat=True)) == ["nuevo"]
    # Someone else's device is not theirs to remove.
    other = two_factor_device(member(roles.ORGANIZER, username="otra"))
    client.post(reverse("admin:two-factor-device-remove"), {"device": other.pk})
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def confirm_url(next_url: str) -> str:
    return f"{reverse('admin:two-factor-confirm')}?{urlencode({'next': next_url})}"


def test_changing_the_second_step_asks_a_fresh_code_after_ten_minutes(client):
    organizer = member(roles.ORGANIZER)
    device = two_factor_device(organizer)
    backup = set(services.backup_codes_regenerate(user=organizer))
    spare = TOTPDevice.objects.create(user=organizer, name="tableta", confirmed=True)
    login_verified(client, organizer)
    manage = reverse("admin:two-factor-manage")
    assert client.get(manage).status_code == 200  # the code typed at sign-in counts: no second prompt
    session = client.session
    session[CONFIRMED_AT_SESSION_KEY] = time.time() - 11 * 60  # a session left open, or someone else's now
    session.save()
    assert client.get(manage)["Location"] == confirm_url(manage)
    # Holding the session is not enough to take new backup codes, add an app of one's own or remove one.
    assert client.post(reverse("admin:two-factor-backup-codes-regenerate"))["Location"] == confirm_url(manage)
    assert set(StaticToken.objects.values_list("token", flat=True)) == {services.backup_code_digest(c) for c in backup}
    assert client.get(enroll_url(manage))["Location"] == confirm_url(enroll_url(manage))
    assert not TOTPDevice.objects.filter(user=organizer, confirmed=False).exists()  # no new secret was shown
    assert client.post(reverse("admin:two-factor-device-remove"), {"device": spare.pk})["Location"] == confirm_url(
        manage
    )
    assert TOTPDevice.objects.filter(pk=spare.pk).exists()
    # A wrong code is refused (and counted by the lockout); the app's code opens the page again.
    wrong = f"{(int(two_factor_code(device)) + 1) % 1_000_000:06d}"
    page = client.post(confirm_url(manage), {"code": wrong})
    assert page.status_code == 200 and "Ese código no es correcto" in page.content.decode()
    assert "Confirma que eres tú" in page.content.decode()
    assert client.post(confirm_url(manage), {"code": two_factor_code(device)})["Location"] == manage
    client.post(reverse("admin:two-factor-device-remove"), {"device": spare.pk})
    assert not TOTPDevice.objects.filter(pk=spare.pk).exists()


def test_staff_without_an_app_are_not_asked_a_code_they_cannot_have(client):
    client.force_login(member(roles.DESK_STAFF, username="mostrador"))  # optional for desk staff: none yet
    assert client.get(reverse("admin:two-factor-manage")).status_code == 200
    assert client.get(enroll_url()).status_code == 200  # turning it on


def test_new_backup_codes_replace_the_old_ones(client):
    organizer = member(roles.ORGANIZER)
    two_factor_device(organizer)
    old = set(services.backup_codes_regenerate(user=organizer))
    login_verified(client, organizer)
    response = client.post(reverse("admin:two-factor-backup-codes-regenerate"), follow=True)
    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode()))
    assert len(new) == 10 and not new & old
    assert set(StaticToken.objects.values_list("token", flat=True)) == {services.backup_code_digest(c) for c in new}


def test_an_organizer_resets_a_lost_phone_and_it_is_in_the_audit_trail(client):
    lost = member(roles.ORGANIZER, username="perdio-su-telefono")
    two_factor_device(lost)
    services.backup_codes_regenerate(user=lost)
    phone = login_verified(client.__class__(), lost)  # the lost phone's session, verified before
    assert phone.get("/admin/").status_code == 200
    organizer = member(roles.ORGANIZER, username="otra")
    login_verified(client, organizer)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "two_factor_reset", "_selected_action": [lost.pk]},
        follow=True,
    )
    assert "perdio-su-telefono" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lost).exists() and not StaticToken.objects.exists()
    entry = LogEntry.objects.get_for_object(lost).get()
    assert entry.actor == organizer
    audit = client.get(reverse("admin:audit", args=[entry.content_type_id, lost.pk])).content.decode()
    assert "restablecido" in audit and "otra" in audit
    # The session verified by the lost phone must set up an app again.
    assert phone.get("/admin/")["Location"] == enroll_url()


def test_desk_staff_cannot_reset_anyones_two_step_sign_in(client):
    lost = member(roles.ORGANIZER)
    two_factor_device(lost)
    desk = member(roles.DESK_STAFF)
    desk.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    login_verified(client, desk)
    client.post(reverse("admin:auth_user_changelist"), {"action": "two_factor_reset", "_selected_action": [lost.pk]})
    assert TOTPDevice.objects.filter(user=lost).exists()


def test_the_reset_command_for_when_no_organizer_can_sign_in(capsys):
    lost = member(roles.ORGANIZER)
    two_factor_device(lost)
    call_command("two_factor_reset", lost.username)
    assert not TOTPDevice.objects.filter(user=lost).exists()
    assert LogEntry.objects.get_for_object(lost).get().actor is None


def test_someone_half_signed_in_can_sign_out_and_is_never_sent_off_site(client):
    organizer = member(roles.ORGANIZER)
    device = two_factor_device(organizer)
    sign_in(client, organizer.username)
    response = client.post(verify_url("https://evil.example/"), {"code": two_factor_code(device)})
    assert response["Location"] == "/admin/"
    client.logout()
    sign_in(client, organizer.username)
    client.post(reverse("admin:logout"))  # the step page's "Sign out"
    assert "_auth_user_id" not in client.session


def test_backup_codes_made_before_digests_keep_working_once_after_the_migration(client):
    import importlib

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    migration = importlib.import_module("expo.dashboard.migrations.0005_backup_code_digests")
    organizer = member(roles.ORGANIZER)
    two_factor_device(organizer)
    device = StaticDevice.objects.create(user=organizer, name="backup")
    StaticToken.objects.create(device=device, token="ab2cd3ef")  # stored as typed, as before
    migration.digest_codes(apps, None)
    migration.digest_codes(apps, None)  # run twice (a re-run migration): digests are left alone
    assert list(StaticToken.objects.values_list("token", flat=True)) == [services.backup_code_digest("ab2cd3ef")]
    sign_in(client, organizer.username)
    assert client.post(verify_url(), {"code": "AB2C-D3EF"})["Location"] == "/admin/"
    client.logout()
    sign_in(client, organizer.username)
    assert client.post(verify_url(), {"code": "ab2cd3ef"}).status_code == 200  # used up
