"""The exhibitor portal: signing in, one exhibitor's objects only, profile and products, booth staff
within the quota, lead capture and follow-up, consent in pages and exports, tokens and webhooks."""

import csv
import io
import threading
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from exhibitors.models import ApiToken, BoothStaff, ExhibitorSettings, Lead, WebhookEndpoint
from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee
from tests.exhibitors.conftest import badge, lead_for, visitor
from tests.factories import AttendeeFactory, EventFactory, ExhibitorFactory, PassTypeFactory, ProductFactory

pytestmark = pytest.mark.django_db


def portal_user(exhibitor, username="ventas@anfora.mx"):
    user = get_user_model().objects.create_user(username=username, email=username, password="clave-segura-2025")
    exhibitor.staff.add(user)
    return user


@pytest.fixture
def portal(client, pair):
    client.force_login(portal_user(pair.a))
    return client


def test_signing_in_with_email_and_password_opens_the_portal(client, pair):
    portal_user(pair.a)
    assert client.get(reverse("exhibitors:portal")).status_code == 302
    wrong = client.post(reverse("exhibitors:portal-signin"), {"login": "ventas@anfora.mx", "password": "nope"})
    assert wrong.status_code == 200 and "no coinciden" in wrong.content.decode()
    response = client.post(
        reverse("exhibitors:portal-signin"),
        {"login": "VENTAS@anfora.mx", "password": "clave-segura-2025", "next": "/expositor/productos/"},
    )
    assert response.status_code == 302 and response["Location"] == "/expositor/productos/"
    page = client.get(reverse("exhibitors:portal"))
    assert page.status_code == 200 and "Ánfora Médica" in page.content.decode()
    assert client.get("/admin/").status_code == 302  # a portal user is no organizer


def test_an_open_redirect_after_sign_in_is_refused(client, pair):
    portal_user(pair.a)
    response = client.post(
        reverse("exhibitors:portal-signin"),
        {"login": "ventas@anfora.mx", "password": "clave-segura-2025", "next": "https://evil.example"},
    )
    assert response["Location"] == reverse("exhibitors:portal")


def test_a_user_of_no_exhibitor_gets_a_clear_page(client, pair):
    client.force_login(get_user_model().objects.create_user("nadie", password="x"))
    response = client.get(reverse("exhibitors:portal"))
    assert response.status_code == 403 and "no está vinculada" in response.content.decode()


def test_another_exhibitors_objects_answer_404_in_the_portal(portal, pair):
    product = ProductFactory(exhibitor=pair.b)
    lead = lead_for(pair.b, visitor(pair.event, consent=True))
    token = ApiToken.objects.create(exhibitor=pair.b, name="b", prefix="bbbb", key_hash="x" * 64, scopes=["read"])
    endpoint = WebhookEndpoint.objects.create(exhibitor=pair.b, url="https://b.example.com/h", secret="s")
    member = BoothStaff.objects.create(exhibitor=pair.b, attendee=AttendeeFactory(event=pair.event))
    assert portal.get(reverse("exhibitors:portal-product", args=[product.pk])).status_code == 404
    assert portal.post(reverse("exhibitors:portal-product-delete", args=[product.pk])).status_code == 404
    assert portal.get(reverse("exhibitors:portal-lead", args=[lead.pk])).status_code == 404
    assert portal.post(reverse("exhibitors:portal-token-revoke", args=[token.pk])).status_code == 404
    assert portal.get(reverse("exhibitors:portal-webhook", args=[endpoint.pk])).status_code == 404
    assert portal.post(reverse("exhibitors:portal-webhook-action", args=[endpoint.pk, "delete"])).status_code == 404
    assert portal.post(reverse("exhibitors:portal-staff-remove", args=[member.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_company_profile_and_products_are_edited_and_reach_the_directory(portal, pair):
    response = portal.post(
        reverse("exhibitors:portal-profile"), {"description": "Fabricamos ánforas estériles", "website": "anfora.mx"}
    )
    assert response.status_code == 302
    pair.a.organization.refresh_from_db()
    assert pair.a.organization.website == "https://anfora.mx"
    bad = portal.post(reverse("exhibitors:portal-products"), {"name": "", "url": "no es url"})
    assert bad.status_code == 200 and "Este campo es obligatorio" in bad.content.decode()
    assert 'value="no es url"' in bad.content.decode()  # what was typed is kept
    portal.post(reverse("exhibitors:portal-products"), {"name": "Jeringa prellenada"})
    product = pair.a.products.get()
    portal.post(reverse("exhibitors:portal-product", args=[product.pk]), {"name": "Jeringa prellenada 5 ml"})
    found = Client().get(reverse("exhibitors:directory"), {"q": "jeringa prellenada 5"})
    assert [e.pk for e in found.context["page"]] == [pair.a.pk]


# Booth staff ------------------------------------------------------------------------------------


@pytest.fixture
def staff_pass(pair):
    pass_type = PassTypeFactory(event=pair.event, slug="expositor", name_es="Personal de expositor", is_public=False)
    ExhibitorSettings.objects.create(event=pair.event, staff_pass_type=pass_type, badges_booth=2)
    return pass_type


def test_booth_staff_are_registered_with_a_badge_within_the_package_quota(portal, pair, staff_pass):
    for n in (1, 2):
        response = portal.post(
            reverse("exhibitors:portal-staff"),
            {"first_name": "Luz", "last_name": f"Ríos {n}", "email": f"luz{n}@anfora.mx"},
        )
        assert response.status_code == 302
    attendee = Attendee.objects.get(email="luz1@anfora.mx")
    assert attendee.pass_type == staff_pass and attendee.status == "confirmed" and not attendee.registered_at_desk
    assert attendee.organization_name == "Ánfora Médica"
    # the badge goes out like any visitor's: the confirmation email, through the outbox
    assert OutboxEmail.objects.filter(to="luz1@anfora.mx", template="registration/email/confirmed").exists()
    full = portal.post(
        reverse("exhibitors:portal-staff"), {"first_name": "Tere", "last_name": "Paz", "email": "t@a.mx"}
    )
    assert full.status_code == 200 and "2 gafetes" in full.content.decode()
    assert BoothStaff.objects.filter(exhibitor=pair.a).count() == 2
    member = BoothStaff.objects.filter(exhibitor=pair.a).first()
    portal.post(reverse("exhibitors:portal-staff-remove", args=[member.pk]))
    member.attendee.refresh_from_db()
    assert member.attendee.status == "cancelled"
    assert (
        portal.post(
            reverse("exhibitors:portal-staff"), {"first_name": "Tere", "last_name": "Paz", "email": "t@a.mx"}
        ).status_code
        == 302
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_staff_registrations_never_pass_the_quota():
    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    staff_pass = PassTypeFactory(event=event, slug="expositor", is_public=False)
    ExhibitorSettings.objects.create(event=event, staff_pass_type=staff_pass, badges_booth=3)
    user = portal_user(exhibitor)
    barrier, codes = threading.Barrier(8), []

    def register(n):
        client = Client()
        client.force_login(user)
        barrier.wait()
        codes.append(
            client.post(
                reverse("exhibitors:portal-staff"), {"first_name": "P", "last_name": str(n), "email": f"p{n}@a.mx"}
            ).status_code
        )
        connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert BoothStaff.objects.filter(exhibitor=exhibitor).count() == 3
    assert sorted(codes) == [200] * 5 + [302] * 3


# Leads ------------------------------------------------------------------------------------------


def test_scanning_a_badge_captures_a_lead_once_and_says_who(portal, pair):
    person = visitor(pair.event, consent=False, first_name="Raúl", email="raul@privado.mx")
    url = reverse("exhibitors:portal-scan-capture")
    first = portal.post(url, {"code": badge(person)}).json()
    assert first["admitted"] and first["outcome"] == "ok" and first["name"].startswith("Raúl")
    assert "raul@privado.mx" not in str(first) and first["today"] == 1
    again = portal.post(url, {"code": badge(person)}).json()
    assert again["outcome"] == "already" and Lead.objects.count() == 1
    forged = portal.post(url, {"code": badge(person)[:-2] + "XX"}).json()
    assert not forged["admitted"] and forged["outcome"] == "invalid"


def test_an_offline_scan_keeps_the_time_it_was_read(portal, pair):
    person = visitor(pair.event, consent=True)
    portal.post(
        reverse("exhibitors:portal-scan-capture"), {"code": badge(person), "scanned_at": "2020-01-01T10:00:00Z"}
    )
    lead = Lead.objects.get()
    assert lead.created_at.year != 2020  # too old to be an offline scan: the time it arrived is kept
    person2 = visitor(pair.event, consent=True)
    from django.utils import timezone

    earlier = (timezone.now() - timezone.timedelta(hours=2)).replace(microsecond=0)
    portal.post(reverse("exhibitors:portal-scan-capture"), {"code": badge(person2), "scanned_at": earlier.isoformat()})
    assert Lead.objects.get(attendee=person2).created_at == earlier


def test_the_scanner_page_never_hands_exhibitors_a_key_that_can_sign_badges(portal, pair):
    import base64

    from expo.registration import badges

    body = portal.get(reverse("exhibitors:portal-scan")).content.decode()
    assert 'id="scan-form"' in body and 'data-queue="expo-leads-queue-' in body and "checkin.js" in body
    if hasattr(badges, "badge_key"):  # HMAC badges: the signing key is what a door holds
        assert base64.b64encode(badges.badge_key()).decode() not in body


def test_leads_show_contact_details_only_with_consent_and_say_why(portal, pair):
    lead_for(pair.a, visitor(pair.event, consent=True, first_name="Sofía", email="sofia@hospital.mx"))
    private = lead_for(pair.a, visitor(pair.event, consent=False, first_name="Raúl", email="raul@privado.mx"))
    listing = portal.get(reverse("exhibitors:portal-leads")).content.decode()
    assert "sofia@hospital.mx" in listing and "raul@privado.mx" not in listing and "No compartido" in listing
    detail = portal.get(reverse("exhibitors:portal-lead", args=[private.pk])).content.decode()
    assert "raul@privado.mx" not in detail and "no aceptó compartir" in detail


def test_a_lead_gets_notes_a_rating_and_a_follow_up_status(portal, pair):
    lead = lead_for(pair.a, visitor(pair.event, consent=True))
    response = portal.post(
        reverse("exhibitors:portal-lead", args=[lead.pk]),
        {"rating": "hot", "status": "contacted", "notes": "Quiere 200 unidades"},
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.rating, lead.status, lead.notes) == ("hot", "contacted", "Quiere 200 unidades")
    assert [row.pk for row in portal.get(reverse("exhibitors:portal-leads"), {"rating": "hot"}).context["page"]] == [
        lead.pk
    ]


def test_exports_honour_consent_and_neutralize_formulas(portal, pair):
    lead_for(
        pair.a,
        visitor(pair.event, consent=True, email="sofia@hospital.mx", organization_name="=HYPERLINK(1)"),
        notes="+cmd|' /C calc'!A0",
    )
    lead_for(pair.a, visitor(pair.event, consent=False, email="raul@privado.mx"), notes="@SUM(1)")
    response = portal.get(reverse("exhibitors:portal-leads-csv"))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert "sofia@hospital.mx" in text and "raul@privado.mx" not in text
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(1)" in cells and "'+cmd|' /C calc'!A0" in cells and "'@SUM(1)" in cells
    assert not any(cell.startswith(("=", "+", "@", "-")) for cell in cells)
    xlsx = portal.get(reverse("exhibitors:portal-leads-xlsx"))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no cell is a formula
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "=HYPERLINK(1)" in values and "raul@privado.mx" not in values and "sofia@hospital.mx" in values
    hyperlink = next(cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value == "=HYPERLINK(1)")
    assert hyperlink.data_type == "s" and hyperlink.quotePrefix


# Tokens and webhooks ------------------------------------------------------------------------------


def test_a_token_is_shown_once_then_only_its_prefix(portal, pair):
    response = portal.post(reverse("exhibitors:portal-token-create"), {"name": "Salesforce", "scopes": ["leads"]})
    body = response.content.decode()
    token = ApiToken.objects.get(exhibitor=pair.a)
    secret = next(word for word in body.replace("<", " ").replace(">", " ").split() if word.startswith("expo_"))
    assert ApiToken.digest(secret) == token.key_hash and response["Cache-Control"] == "no-store"
    later = portal.get(reverse("exhibitors:portal-integrations")).content.decode()
    assert secret not in later and token.prefix in later
    portal.post(reverse("exhibitors:portal-token-revoke", args=[token.pk]))
    assert Client().get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_webhook_endpoints_are_added_tested_and_deleted_from_the_portal(portal, pair, settings):
    refused = portal.post(reverse("exhibitors:portal-webhook-create"), {"url": "https://192.168.1.20/hook"})
    assert refused.status_code == 400 and "red privada" in refused.content.decode()
    response = portal.post(
        reverse("exhibitors:portal-webhook-create"),
        {"url": "https://crm.example.com/hooks", "events": ["lead.created"]},
    )
    endpoint = WebhookEndpoint.objects.get(exhibitor=pair.a)
    assert response.status_code == 302 and endpoint.events == ["lead.created"]
    page = portal.get(reverse("exhibitors:portal-webhook", args=[endpoint.pk])).content.decode()
    assert endpoint.secret in page
    portal.post(reverse("exhibitors:portal-webhook-action", args=[endpoint.pk, "test"]))
    assert endpoint.deliveries.get().event_type == "ping"
    portal.post(reverse("exhibitors:portal-webhook-action", args=[endpoint.pk, "delete"]))
    assert not WebhookEndpoint.objects.exists()


def test_leads_page_runs_a_constant_number_of_queries(portal, pair, django_assert_num_queries):
    for _ in range(3):
        lead_for(pair.a, visitor(pair.event, consent=True))
    portal.get(reverse("exhibitors:portal-leads"))
    # user, the user's exhibitors, count, page of leads (with their visitors' interests), counts by
    # rating (the session and the edition are read from the cache)
    with django_assert_num_queries(5):
        portal.get(reverse("exhibitors:portal-leads"))
    for _ in range(20):
        lead_for(pair.a, visitor(pair.event, consent=True))
    with django_assert_num_queries(5):
        portal.get(reverse("exhibitors:portal-leads"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_badge_scanned_at_once_by_several_phones_of_a_booth_is_one_lead_and_one_webhook():
    from exhibitors.models import WebhookDelivery
    from exhibitors.services import webhook_endpoint_create

    event = EventFactory()
    exhibitor = ExhibitorFactory(event=event)
    webhook_endpoint_create(exhibitor=exhibitor, url="https://crm.example.com/hooks")
    user = portal_user(exhibitor)
    code = badge(visitor(event, consent=True))
    barrier, outcomes = threading.Barrier(6), []

    def scan():
        client = Client()
        client.force_login(user)
        barrier.wait()
        outcomes.append(client.post(reverse("exhibitors:portal-scan-capture"), {"code": code}).json()["outcome"])
        connection.close()

    threads = [threading.Thread(target=scan) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already"] * 5 + ["ok"]
    assert Lead.objects.count() == 1 and WebhookDelivery.objects.count() == 1
