"""The demo edition gives exhibitors portal accounts, booth staff, leads with and without consent,
products and a webhook endpoint, and `demo_exhibitor` prints a login that works."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from exhibitors.models import BoothStaff, ExhibitorSettings, Hall, Lead, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_a_demo_exhibitor_signs_in_and_every_portal_screen_has_content(client, capsys, tmp_path, settings):
    call_command("seed_demo", visitors=60, stdout=open("/dev/null", "w"))
    assert Hall.objects.count() == 4 and ExhibitorSettings.objects.get().staff_pass_type.slug == "expositor"
    assert BoothStaff.objects.count() == 350
    leads = Lead.objects.select_related("attendee")
    assert {lead.attendee.share_with_exhibitors for lead in leads} == {True, False}
    settings.BASE_DIR = tmp_path
    call_command("demo_exhibitor")
    line = capsys.readouterr().out
    user, password = line.split("user: ")[1].split()[0], line.split("password: ")[1].split()[0]
    response = client.post(reverse("exhibitors:portal-signin"), {"login": user, "password": password})
    assert response.status_code == 302
    home = client.get(reverse("exhibitors:portal"))
    assert "Medtronic" in home.content.decode()
    exhibitor = home.context["exhibitor"]
    assert exhibitor.products.exists() and exhibitor.leads.exists()
    assert WebhookEndpoint.objects.get().exhibitor == exhibitor
    for name in ("portal-leads", "portal-products", "portal-staff", "portal-integrations", "portal-profile"):
        assert client.get(reverse(f"exhibitors:{name}")).status_code == 200, name
    webhook = WebhookEndpoint.objects.get()
    assert "Entregado" in client.get(reverse("exhibitors:portal-webhook", args=[webhook.pk])).content.decode()
    # Running the seed again adds nothing.
    call_command("seed_demo", visitors=60, stdout=open("/dev/null", "w"))
    assert Lead.objects.count() == leads.count() and WebhookEndpoint.objects.count() == 1
