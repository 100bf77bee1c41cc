"""Every kind of page keeps working under the Content-Security-Policy: no violation reported by
Chromium on the public pages, the visitor's pages, the door, the desk, the admin, Swagger UI and
ReDoc, and the pages that need JavaScript still do their job."""

import pytest
from django.contrib.auth.models import User

from expo.registration.badges import attendee_badge_code
from tests.conftest import browser_sign_in, login_verified
from tests.factories import AttendeeFactory, EventFactory, ExhibitorFactory, PassTypeFactory, SessionFactory
from tests.networking.conftest import signin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def test_no_page_breaks_the_policy(page, live_server):
    event = EventFactory()
    PassTypeFactory(event=event)
    SessionFactory(event=event)
    ExhibitorFactory(event=event)
    attendee = AttendeeFactory(event=event)
    attendee_badge_code(attendee)
    violations = watch(page)
    for path in ["/", "/programa/", "/expositores/", "/registro/", "/acceso/", "/aviso-de-privacidad/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    # The language switch is a static script now (no inline onchange).
    page.goto(live_server.url + "/")
    page.get_by_label("Idioma").select_option("en")
    # The page reloads in English; the URL stays "/", so wait for the language, not for the URL.
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator("html").get_attribute("lang") == "en"

    User.objects.create_superuser("org", password="contraseña-de-prueba")
    browser_sign_in(page, live_server.url + "/admin/login/?next=/admin/", "org", "contraseña-de-prueba")
    page.wait_for_url("**/admin/")
    for path in ["/admin/", "/admin/registration/attendee/", f"/admin/registration/attendee/{attendee.pk}/change/",
                 "/admin/registration/passtype/add/", "/mostrador/acceso/", "/mostrador/registro/",
                 f"/mostrador/registro/{attendee.pk}/"]:  # fmt: skip
        assert page.goto(live_server.url + path).status == 200, path
    # The walk-in page frames the badge PDF of the same site.
    frame = page.locator("iframe.badge-preview")
    assert frame.count() == 1

    page.goto(live_server.url + "/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()
    page.goto(live_server.url + "/api/redoc/")
    page.get_by_text("Medical Expo API").first.wait_for()
    # ReDoc's "powered by" logo comes from its CDN: the policy blocks it, as it should (nothing else does).
    assert [v for v in violations if "cdn.redoc.ly" not in v] == []


def test_visitor_pages_keep_to_the_policy(page, live_server, client):
    event = EventFactory()
    attendee = AttendeeFactory(event=event)
    violations = watch(page)
    signin(client, attendee)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])  # fmt: skip
    response = page.goto(live_server.url + "/mi-registro/")
    assert response.status == 200 and page.locator(".qr svg").count() == 1
    assert violations == []


def test_program_b2b_exhibitor_and_organizer_pages_keep_to_the_policy(page, live_server, client):
    from tests.factories import HallFactory, MeetingFactory, ParticipantFactory, TrackFactory
    from tests.networking.conftest import edition_make

    fair = edition_make()
    event = fair.event
    session = SessionFactory(event=event, track=TrackFactory(event=event, color="#7a4eab"))
    me = ParticipantFactory(event=event)
    other = ParticipantFactory(event=event, role="manufacturer")
    MeetingFactory(event=event, slot=fair.slots[0], table=fair.tables[0], between=(me, other))
    exhibitor = ExhibitorFactory(event=event, hall=HallFactory(event=event))
    organizer = User.objects.create_superuser("org2", password="x")
    exhibitor.staff.add(organizer)  # one session: an organizer who also staffs a booth, signed in as a visitor
    attendee_badge_code(me.attendee)
    login_verified(client, organizer)
    signin(client, me.attendee)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])  # fmt: skip
    violations = watch(page)
    paths = [
        f"/programa/sesion/{session.pk}/", "/programa/mi-agenda/", "/programa/mis-horas/", "/constancia/",
        "/b2b/", "/b2b/perfil/", "/b2b/participantes/", f"/b2b/participantes/{other.pk}/", "/b2b/solicitudes/",
        "/b2b/agenda/", "/mi-registro/", f"/expositores/{exhibitor.slug}/", "/expositores/plano/",
        "/expositor/", "/expositor/prospectos/escanear/", "/expositor/api/", "/mostrador/sala/",
        "/programa/organizadores/horas/", "/programa/organizadores/constancias/",
        f"/b2b/organizadores/mesas/{fair.space.pk}/", "/b2b/organizadores/resultados/",
        "/admin/networking/meeting/", "/admin/registration/attendee/import/",
    ]  # fmt: skip
    for path in paths:
        assert page.goto(live_server.url + path).status == 200, path
    # The track's colour is painted by site.js (no inline style), so the policy does not strip it.
    page.goto(live_server.url + f"/programa/sesion/{session.pk}/")
    assert page.locator("[data-border-color]").evaluate("e => e.style.borderColor") == "rgb(122, 78, 171)"
    assert violations == []
