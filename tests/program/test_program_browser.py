"""A visitor on a phone (Chromium, 390x844, Spanish): search across days, enroll, join a waitlist and
get promoted, download the agenda .ics, open a certificate's verification page by its QR URL."""

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail

from expo.program import services
from expo.program.certificates import verification_url
from expo.registration.access import SESSION_KEY
from expo.registration.badges import attendee_badge_code

from .conftest import program_make, visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, attendee):
    """A browser tab of `attendee`, signed in (as the emailed link would do)."""
    session = SessionStore()
    session[SESSION_KEY] = attendee.pk
    session.save()
    page.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key,
                               "url": live_server.url}])  # fmt: skip
    return page


def test_search_across_days_ignoring_accents(page, live_server):
    program = program_make()
    services.session_search_refresh(session_ids=[program.talk.pk, program.workshop.pk])
    page.goto(live_server.url + "/programa/")
    search = page.get_by_label("Buscar en todo el programa")
    search.fill("regulacion")  # no accent, lower case
    search.press("Enter")
    page.get_by_text("1 sesión coincide").wait_for()
    assert page.get_by_role("link", name="Regulación COFEPRIS").is_visible()
    search = page.get_by_label("Buscar en todo el programa")
    search.fill("TALLER")
    search.press("Enter")
    page.get_by_text("1 sesión coincide").wait_for()
    # The day tabs fit the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_enroll_join_waitlist_get_promoted(page, live_server, settings, _playwright):
    settings.SITE_URL = live_server.url
    program = program_make(seats=1)
    ana, beto = visitor(program, first_name="Ana"), visitor(program, first_name="Beto")
    url = f"{live_server.url}/programa/sesion/{program.workshop.pk}/"
    signed_in(page, live_server, ana).goto(url)
    page.get_by_role("button", name="Inscribirme").click()
    page.get_by_text("Quedaste inscrito").wait_for()
    assert page.get_by_text("Estás inscrito.").is_visible()

    other = _playwright.new_context(viewport={"width": 390, "height": 844}, locale="es-MX").new_page()
    signed_in(other, live_server, beto).goto(url)
    other.get_by_role("button", name="Entrar a la lista de espera").click()
    other.get_by_text("Eres el número 1 en la lista de espera").wait_for()

    mail.outbox.clear()
    page.get_by_role("button", name="Cancelar mi inscripción").click()
    page.get_by_text("Tu inscripción se canceló").wait_for()
    assert any(m.to == [beto.email] and "Se liberó un lugar para ti" in m.subject for m in mail.outbox)

    other.goto(f"{live_server.url}/programa/mi-agenda/")
    other.get_by_role("button", name="Aceptar el lugar").click()
    other.get_by_text("El lugar es tuyo").wait_for()
    other.context.close()
    program.workshop.refresh_from_db()
    assert program.workshop.enrolled_count == 1
    assert program.workshop.enrollments.get(status="enrolled").attendee == beto


def test_download_the_agenda_ics(page, live_server):
    program = program_make()
    person = visitor(program)
    services.enrollment_create(attendee=person, session=program.workshop)
    services.saved_session_add(attendee=person, session=program.talk)
    signed_in(page, live_server, person).goto(live_server.url + "/programa/mi-agenda/")
    assert page.locator(".is-clash").count() == 2
    with page.expect_download() as download:
        page.get_by_role("link", name="Descargar mi agenda (.ics)").click()
    body = open(download.value.path(), "rb").read()
    assert body.count(b"BEGIN:VEVENT") == 2 and b"DTSTART;TZID=America/Mexico_City" in body
    assert f"UID:session-{program.workshop.pk}@medicalexpo.mx".encode() in body


def test_certificate_verification_page_from_its_qr_url(page, live_server, settings):
    settings.SITE_URL = live_server.url
    program = program_make()
    person = visitor(program, first_name="Lucía", last_name="Núñez")
    services.enrollment_create(attendee=person, session=program.workshop)
    for direction, at in (("in", program.workshop.start), ("out", program.workshop.end)):
        services.room_scan_record(event=program.event, code=attendee_badge_code(person), direction=direction,
                                  session=program.workshop, at=at)  # fmt: skip
    certificate, _ = services.certificate_issue(attendee=person)
    page.goto(verification_url(certificate))  # what the QR on the PDF holds
    page.get_by_text("Constancia auténtica").wait_for()
    assert page.get_by_text("Lucía Núñez").is_visible()
    services.certificate_revoke(certificate=certificate, reason="Asistencia corregida")
    page.reload()
    page.get_by_text("Constancia revocada").wait_for()
    page.goto(verification_url(certificate)[:-3] + "AAA/")
    page.get_by_text("No es auténtica").wait_for()


def test_room_staff_scan_entry_and_exit(page, live_server):
    from django.contrib.auth.models import Permission, User

    from expo.program.models import Attendance, RoomScan

    program = program_make()
    person = visitor(program, first_name="Rosa", last_name="Díaz")
    services.enrollment_create(attendee=person, session=program.workshop)
    badge = attendee_badge_code(person)  # signed before the page loads, as every badge is before the fair
    user = User.objects.create_user("sala", password="contraseña-de-prueba", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="add_roomscan"))
    page.goto(live_server.url + "/admin/login/?next=/mostrador/sala/")
    page.get_by_label("Nombre de usuario").fill("sala")
    page.get_by_label("Contraseña").fill("contraseña-de-prueba")
    page.get_by_label("Contraseña").press("Enter")
    page.wait_for_url("**/mostrador/sala/")
    page.get_by_label("Sesión").select_option(str(program.workshop.pk))
    # The workshop is a month away: the page refuses a scan now, saying why.
    code = page.get_by_label("Escanea un gafete (lector USB o cámara), o escribe su código")
    code.fill(badge)
    code.press("Enter")
    page.locator("#result").get_by_text("Fuera del horario de la sesión").wait_for()
    assert not RoomScan.objects.exists()
    # Scanned in at the start; at the end the network is down: the exit is kept with its time and synced.
    page.clock.set_fixed_time(program.workshop.end)
    services.room_scan_record(event=program.event, code=badge, direction="in",
                              session=program.workshop, at=program.workshop.start)  # fmt: skip
    page.get_by_label("Salida").check()
    page.context.set_offline(True)
    code.fill(badge)
    code.press("Enter")
    page.locator("#result").get_by_text("Gafete válido (sin conexión)", exact=False).wait_for()
    page.context.set_offline(False)
    page.locator("#pending").get_by_text("0").wait_for()
    attendance = Attendance.objects.get(attendee=person)
    assert RoomScan.objects.filter(direction="out").exists() and attendance.present_seconds == 3 * 3600
