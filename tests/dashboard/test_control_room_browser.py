"""An organizer in Chromium: signs in, reads the dashboard, imports a CSV with one bad row and
sees its error, exports the meetings, sends an email to a segment."""

import pytest
from django.contrib.auth.models import Group, User

from expo.dashboard import roles
from expo.dashboard.models import Campaign
from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee
from tests.conftest import browser_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_organizer_runs_the_fair_from_the_control_room(page, live_server, fair, tmp_path):
    organizer = User.objects.create_user("organizadora", password="contraseña-de-prueba", is_staff=True)
    organizer.groups.add(Group.objects.get(name=roles.ORGANIZER))
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_sign_in(page, live_server.url + "/admin/", "organizadora", "contraseña-de-prueba")

    # The dashboard: figures and charts drawn by the vendored Chart.js.
    page.get_by_role("heading", name="Registros y accesos").wait_for()
    page.locator('canvas[data-chart="chart-registrations-by-pass"][data-drawn="1"]').wait_for()
    confirmed = page.locator(".dashboard-figures a", has_text="Registros confirmados")
    assert confirmed.locator(".figure-value").inner_text() == "6"
    confirmed.click()
    page.wait_for_url("**/registration/attendee/**status__exact=confirmed**")
    assert "6 registros" in page.locator("#changelist-form").inner_text()

    # Import visitors: one bad row is reported with its line; nothing is imported.
    upload = tmp_path / "visitantes.csv"
    upload.write_text(
        "event,pass_type,email,first_name,last_name,organization_kind,language,privacy_accepted\n"
        f"{fair.event.slug},visitante,nueva@example.mx,Nueva,Persona,other,es-mx,sí\n"
        f"{fair.event.slug},no-existe,otra@example.mx,Otra,Persona,other,es-mx,sí\n",
        encoding="utf-8",
    )
    page.goto(live_server.url + "/admin/registration/attendee/import/")
    page.locator("#id_import_file").set_input_files(str(upload))
    page.locator("#id_format").select_option(label="csv")
    page.locator("input[type=submit]").click()
    page.get_by_text("No hay un tipo de pase con este identificador en esta edición.").first.wait_for()
    bad_rows = page.locator("table.import-preview tbody tr")
    assert bad_rows.count() == 1
    assert bad_rows.first.locator("td").first.inner_text().strip() == "2"  # the second data row
    assert page.locator("input[value=Confirmar], input[name=confirm]").count() == 0  # nothing to confirm
    assert not Attendee.objects.filter(email="nueva@example.mx").exists()

    # Export the meetings to Excel.
    page.goto(live_server.url + "/admin/networking/meeting/")
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("export_xlsx")
    with page.expect_download() as download:
        page.locator("button[name=index]").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # Email the B2B participants.
    page.goto(live_server.url + "/admin/dashboard/campaign/add/")
    page.locator("#id_event").select_option(label=fair.event.name)
    page.locator("#id_audience").select_option(label="Participantes B2B")
    page.locator("#id_subject_es").fill("Tu agenda B2B está lista")
    page.locator("#id_body_es").fill("Revisa tus reuniones en la plataforma.")
    page.locator("input[name=_save]").click()
    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("send")
    page.locator("button[name=index]").click()
    page.get_by_text("se están enviando", exact=False).wait_for()
    campaign = Campaign.objects.get()
    assert campaign.status == Campaign.Status.SENT and campaign.written == 3
    page.reload()
    page.get_by_role("link", name="Quién lo recibió").click()
    page.wait_for_url("**/mail/outboxemail/**")
    assert OutboxEmail.objects.filter(key__startswith=campaign.outbox_key_prefix).count() == 3
    assert fair.people[0].attendee.email in page.content()
