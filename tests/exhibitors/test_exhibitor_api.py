"""The exhibitor API: tokens, scopes, one exhibitor's objects only, leads from badges, consent,
idempotency, errors, rate limits, constant query counts, and the token command."""

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from exhibitors.models import ApiToken, Lead, Product, WebhookDelivery
from exhibitors.services import api_token_revoke, webhook_endpoint_create
from tests.exhibitors.conftest import badge, bearer, lead_for, token_for, visitor
from tests.factories import AttendeeFactory, ExhibitorFactory, ProductFactory, TermFactory

pytestmark = pytest.mark.django_db


# Authentication and scopes ------------------------------------------------------------------------


def test_no_token_unknown_revoked_or_expired_token_answers_401(client, pair):
    assert client.get("/api/v1/leads/").status_code == 401
    unknown = client.get("/api/v1/leads/", **bearer("expo_nope_nope"))
    assert unknown.status_code == 401 and unknown["WWW-Authenticate"].startswith("Bearer")
    token, secret = token_for(pair.a)
    assert client.get("/api/v1/leads/", **bearer(secret)).status_code == 200
    api_token_revoke(token=token)
    revoked = client.get("/api/v1/leads/", **bearer(secret), HTTP_ACCEPT_LANGUAGE="en")
    assert revoked.status_code == 401 and revoked.json() == {"detail": "This token was revoked."}
    _, old = token_for(pair.a, expires_at=timezone.now() + timedelta(seconds=1))
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = client.get("/api/v1/profile/", **bearer(old))
    assert expired.status_code == 401 and expired.json() == {"detail": "Este token ya venció."}


def test_a_token_without_the_scope_gets_403_naming_it(client, pair):
    _, secret = token_for(pair.a, scopes=["read"])
    assert client.get("/api/v1/profile/", **bearer(secret)).status_code == 200
    denied = client.get("/api/v1/leads/", **bearer(secret))
    assert denied.status_code == 403 and "leads" in denied.json()["detail"]
    assert client.patch("/api/v1/profile/", {"description": "x"}, content_type="application/json",
                        **bearer(secret)).status_code == 403  # fmt: skip
    assert client.get("/api/v1/webhooks/", **bearer(secret)).status_code == 403


def test_only_a_digest_of_the_token_is_stored(pair):
    token, secret = token_for(pair.a)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token.key_hash == ApiToken.digest(secret) and len(token.key_hash) == 64


# One exhibitor's objects --------------------------------------------------------------------------


def test_a_token_of_exhibitor_a_never_reads_or_changes_anything_of_b(client, pair):
    _, secret_a = token_for(pair.a)
    product_b = ProductFactory(exhibitor=pair.b, name="Bisturí B")
    lead_b = lead_for(pair.b, visitor(pair.event, consent=True))
    hook_b = webhook_endpoint_create(exhibitor=pair.b, url="https://crm.b.example.com/hooks")
    headers = bearer(secret_a)
    for url in (f"/api/v1/products/{product_b.pk}/", f"/api/v1/leads/{lead_b.pk}/", f"/api/v1/webhooks/{hook_b.pk}/",
                f"/api/v1/webhooks/{hook_b.pk}/deliveries/"):  # fmt: skip
        assert client.get(url, **headers).status_code == 404, url
    assert client.patch(f"/api/v1/products/{product_b.pk}/", {"name": "mío"}, content_type="application/json",
                        **headers).status_code == 404  # fmt: skip
    assert client.patch(f"/api/v1/leads/{lead_b.pk}/", {"rating": "hot"}, content_type="application/json",
                        **headers).status_code == 404  # fmt: skip
    assert client.delete(f"/api/v1/products/{product_b.pk}/", **headers).status_code == 404
    assert client.delete(f"/api/v1/webhooks/{hook_b.pk}/", **headers).status_code == 404
    assert client.post(f"/api/v1/webhooks/{hook_b.pk}/test/", **headers).status_code == 404
    assert client.get("/api/v1/products/", **headers).json()["count"] == 0
    assert client.get("/api/v1/leads/", **headers).json()["count"] == 0
    assert client.get("/api/v1/webhooks/", **headers).json()["count"] == 0
    assert client.get("/api/v1/profile/", **headers).json()["name"] == "Ánfora Médica"
    product_b.refresh_from_db()
    lead_b.refresh_from_db()
    assert product_b.name == "Bisturí B" and lead_b.rating == ""
    assert WebhookDelivery.objects.count() == 0


# Profile and products ---------------------------------------------------------------------------


def test_profile_and_products_are_read_and_written(client, pair):
    _, secret = token_for(pair.a)
    imaging = TermFactory(slug="imaging", name_es="Imagenología", name_en="Imaging")
    changes = {"description": "Ultrasonido hecho en Jalisco", "categories": ["imaging"]}
    response = client.patch("/api/v1/profile/", changes, content_type="application/json", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["description"] == "Ultrasonido hecho en Jalisco"
    assert response.json()["categories"] == [{"slug": "imaging", "name": "Imagenología"}]
    created = client.post("/api/v1/products/", {"name": "Ecógrafo portátil", "category": "imaging"},
                          content_type="application/json", **bearer(secret))  # fmt: skip
    assert created.status_code == 201 and created.json()["category"]["slug"] == imaging.slug
    product_id = created.json()["id"]
    changed = client.patch(f"/api/v1/products/{product_id}/", {"name": "Ecógrafo portátil X2"},
                           content_type="application/json", **bearer(secret))  # fmt: skip
    assert changed.json()["name"] == "Ecógrafo portátil X2"
    pair.a.refresh_from_db()
    assert "ecografo portatil x2" in pair.a.search_text
    assert client.delete(f"/api/v1/products/{product_id}/", **bearer(secret)).status_code == 204
    assert not Product.objects.filter(pk=product_id).exists()


def test_errors_are_json_naming_the_field_and_the_reason(client, pair):
    _, secret = token_for(pair.a)
    bad = client.post("/api/v1/products/", {"name": "", "category": "no-such", "url": "nope"},
                      content_type="application/json", **bearer(secret))  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) == {"name", "category", "url"}
    lead = lead_for(pair.a, visitor(pair.event, consent=True))
    rating = client.patch(f"/api/v1/leads/{lead.pk}/", {"rating": "lukewarm"}, content_type="application/json",
                          **bearer(secret))  # fmt: skip
    assert rating.status_code == 400 and "lukewarm" in rating.json()["rating"][0]
    badge_error = client.post("/api/v1/leads/", {"badge_code": "EXPO1.1.2.FORGED"}, content_type="application/json",
                              **bearer(secret), HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert badge_error.status_code == 400 and badge_error.json() == {
        "badge_code": ["This code is not a Medical Expo badge."]
    }
    hook = client.post("/api/v1/webhooks/", {"url": "http://10.0.0.5/hooks"}, content_type="application/json",
                       **bearer(secret))  # fmt: skip
    assert hook.status_code == 400 and list(hook.json()) == ["url"]


# Leads --------------------------------------------------------------------------------------------


def test_a_scanned_badge_code_becomes_a_lead_once(client, pair):
    _, secret = token_for(pair.a)
    person = visitor(pair.event, consent=True)
    person.interests.add(TermFactory(name_es="Esterilización", name_en="Sterilization"))
    first = client.post("/api/v1/leads/", {"badge_code": badge(person), "rating": "hot"},
                        content_type="application/json", **bearer(secret))  # fmt: skip
    assert first.status_code == 201 and first.json()["rating"] == "hot" and first.json()["source"] == "api"
    again = client.post("/api/v1/leads/", {"badge_code": badge(person)}, content_type="application/json",
                        **bearer(secret))  # fmt: skip
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Lead.objects.filter(exhibitor=pair.a).count() == 1
    # The new lead is answered as the API lists it, with the visitor's shared details.
    listed = client.get("/api/v1/leads/", **bearer(secret)).json()["results"][0]
    assert first.json() == again.json() == listed and first.json()["visitor"]["email"] == person.email
    assert first.json()["visitor"]["interests"] == ["Esterilización"]
    updated = client.patch(f"/api/v1/leads/{first.json()['id']}/", {"status": "contacted", "notes": "Llamó"},
                           content_type="application/json", **bearer(secret))  # fmt: skip
    assert updated.json()["status"] == "contacted" and updated.json()["notes"] == "Llamó"


def test_contact_details_reach_the_api_only_with_the_visitors_consent(client, pair):
    _, secret = token_for(pair.a)
    sharing = visitor(pair.event, consent=True, first_name="Sofía", email="sofia@hospital.mx")
    private = visitor(pair.event, consent=False, first_name="Raúl", email="raul@privado.mx")
    lead_for(pair.a, sharing)
    lead_for(pair.a, private)
    body = client.get("/api/v1/leads/", **bearer(secret)).content.decode()
    assert "sofia@hospital.mx" in body and "raul@privado.mx" not in body
    leads = {lead["visitor"]["name"].split()[0]: lead["visitor"] for lead in client.get(
        "/api/v1/leads/", **bearer(secret)).json()["results"]}  # fmt: skip
    assert leads["Raúl"]["shared"] is False and leads["Raúl"]["email"] is None and leads["Raúl"]["job_title"] is None
    assert leads["Raúl"]["organization"] == "Hospital Civil" and leads["Raúl"]["hidden_reason"]
    assert leads["Sofía"]["shared"] is True and leads["Sofía"]["hidden_reason"] is None
    # Consent withdrawn later: the details disappear from the API too.
    sharing.share_with_exhibitors = False
    sharing.save()
    assert "sofia@hospital.mx" not in client.get("/api/v1/leads/", **bearer(secret)).content.decode()


def test_leads_filter_by_date_rating_and_status(client, pair):
    _, secret = token_for(pair.a)
    now = timezone.now()
    lead_for(pair.a, visitor(pair.event, consent=True), rating="hot", status="new", created_at=now - timedelta(days=2))
    lead_for(
        pair.a, visitor(pair.event, consent=True), rating="cold", status="won", created_at=now - timedelta(hours=1)
    )
    lead_for(pair.a, visitor(pair.event, consent=True), rating="", status="new", created_at=now)

    def count(**params):
        return client.get("/api/v1/leads/", params, **bearer(secret)).json()["count"]

    assert count() == 3
    assert count(rating="hot") == 1 and count(rating="none") == 1
    assert count(status="new") == 2
    assert count(captured_after=(now - timedelta(days=1)).isoformat()) == 2
    assert count(captured_before=(now - timedelta(days=1)).isoformat()) == 1
    bad = client.get("/api/v1/leads/", {"rating": "tibio"}, **bearer(secret))
    assert bad.status_code == 400 and "rating" in bad.json()


def test_the_lead_list_names_interests_in_the_readers_language_and_order_as_a_single_lead_does(client, pair):
    from django.utils import translation

    from exhibitors.serializers import LeadSerializer

    _, secret = token_for(pair.a)
    ortho, cardio, bio = (TermFactory(position=position, name_es=es, name_en=en)
                          for position, es, en in [(2, "Ortopedia", "Orthopedics"), (1, "Cardiología", "Cardiology"),
                                                   (1, "Biomateriales", "")])  # fmt: skip
    sharing, private, no_interests = (visitor(pair.event, consent=c) for c in (True, False, True))
    sharing.interests.add(ortho, cardio, bio)
    private.interests.add(ortho)
    for person in (sharing, private, no_interests):
        lead_for(pair.a, person)
    expected = {
        "es-mx": ["Biomateriales", "Cardiología", "Ortopedia"],
        "en": ["Biomateriales", "Cardiology", "Orthopedics"],
    }
    for language, names in expected.items():
        listed = client.get("/api/v1/leads/", **bearer(secret), HTTP_ACCEPT_LANGUAGE=language).json()["results"]
        interests = {lead["visitor"]["name"]: lead["visitor"]["interests"] for lead in listed}
        assert interests == {sharing.full_name: names, private.full_name: None, no_interests.full_name: []}
        with translation.override(language):  # a lead read alone (the webhooks' way) says the same
            alone = [LeadSerializer(Lead.objects.get(pk=lead["id"])).data for lead in listed]
        assert [lead["visitor"] for lead in listed] == [lead["visitor"] for lead in alone]


def test_lead_list_runs_a_constant_number_of_queries(client, pair, django_assert_num_queries):
    _, secret = token_for(pair.a)
    interest = TermFactory()

    def add(n):
        for _ in range(n):
            person = visitor(pair.event, consent=True)
            person.interests.add(interest)
            lead_for(pair.a, person)

    add(2)
    client.get("/api/v1/leads/", **bearer(secret))  # the token's first use records it
    # token with its exhibitor, count, page of leads with visitor/state/scanner and the visitors'
    # interests (a JSON list per lead, in the same query)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/leads/", **bearer(secret)).status_code == 200
    add(15)
    with django_assert_num_queries(3):
        assert client.get("/api/v1/leads/", **bearer(secret)).json()["count"] == 17


def test_a_new_lead_takes_ten_sql_statements_with_its_webhook(client, pair):
    _, secret = token_for(pair.a)
    webhook_endpoint_create(exhibitor=pair.a, url="https://crm.example.com/hooks", events=["lead.created"])
    state = TermFactory(vocabulary="state", name_es="Jalisco", name_en="Jalisco")
    person = visitor(pair.event, consent=True, state=state)
    person.interests.add(TermFactory(name_es="Esterilización", name_en="Sterilization"))
    code = badge(person)
    first = client.post("/api/v1/leads/", {"badge_code": badge(visitor(pair.event, consent=False))},
                        content_type="application/json", **bearer(secret))  # fmt: skip
    assert first.status_code == 201  # the token's first use recorded, the edition's badge keys cached
    with CaptureQueriesContext(connection) as captured:
        created = client.post("/api/v1/leads/", {"badge_code": code}, content_type="application/json",
                              **bearer(secret), HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert created.status_code == 201
    assert created.json()["visitor"]["state"] == "Jalisco"
    assert created.json()["visitor"]["interests"] == ["Sterilization"]
    # 1 the token with its exhibitor and edition, 2 the visitor with pass and state (the state is not
    # read apart), 3 "one of our own booth staff?", 4-5 the lead inside a savepoint (the test's
    # transaction; BEGIN in production) and 6 its audit entry, 7 the visitor's interests, 8 the
    # exhibitor's webhook endpoints, 9 the delivery, 10 the savepoint released (COMMIT).
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == 10, statements
    assert not any('FROM "events_term" WHERE "events_term"."id"' in sql for sql in statements)


def test_product_list_runs_a_constant_number_of_queries(client, pair, django_assert_num_queries):
    _, secret = token_for(pair.a)
    ProductFactory.create_batch(2, exhibitor=pair.a, category=TermFactory())
    client.get("/api/v1/products/", **bearer(secret))
    # token with its exhibitor, count, page of products with categories
    with django_assert_num_queries(3):
        client.get("/api/v1/products/", **bearer(secret))
    ProductFactory.create_batch(12, exhibitor=pair.a, category=TermFactory())
    with django_assert_num_queries(3):
        assert client.get("/api/v1/products/", **bearer(secret)).json()["count"] == 14


# Idempotency ------------------------------------------------------------------------------------


def test_a_retried_post_with_the_same_idempotency_key_returns_the_first_answer(client, pair):
    _, secret = token_for(pair.a)
    headers = {**bearer(secret), "HTTP_IDEMPOTENCY_KEY": "3b1f-retry"}
    first = client.post("/api/v1/products/", {"name": "Monitor"}, content_type="application/json", **headers)
    again = client.post("/api/v1/products/", {"name": "Monitor"}, content_type="application/json", **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Product.objects.filter(exhibitor=pair.a).count() == 1
    other = client.post("/api/v1/products/", {"name": "Otro"}, content_type="application/json", **headers)
    assert other.status_code == 422 and Product.objects.filter(exhibitor=pair.a).count() == 1
    # Keys belong to a token: another exhibitor's token may use the same key.
    _, secret_b = token_for(pair.b)
    other_token = client.post("/api/v1/products/", {"name": "Monitor"}, content_type="application/json",
                              **bearer(secret_b), HTTP_IDEMPOTENCY_KEY="3b1f-retry")  # fmt: skip
    assert other_token.status_code == 201 and Product.objects.count() == 2


def test_a_failed_post_leaves_the_key_free_for_the_corrected_request(client, pair):
    _, secret = token_for(pair.a)
    headers = {**bearer(secret), "HTTP_IDEMPOTENCY_KEY": "k-1"}
    assert client.post("/api/v1/products/", {"name": ""}, content_type="application/json", **headers).status_code == 400
    fixed = client.post("/api/v1/products/", {"name": "Bomba de infusión"}, content_type="application/json", **headers)
    assert fixed.status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_idempotency_key_create_one_lead_and_one_webhook():
    from tests.exhibitors.conftest import Pair
    from tests.factories import EventFactory, ExhibitorFactory

    event = EventFactory()
    pair = Pair(event=event, a=ExhibitorFactory(event=event), b=None)
    webhook_endpoint_create(exhibitor=pair.a, url="https://crm.example.com/hooks")
    _, secret = token_for(pair.a)
    code = badge(visitor(event, consent=True))
    answers, barrier = [], threading.Barrier(6)

    def post():
        barrier.wait()
        response = Client().post("/api/v1/leads/", {"badge_code": code}, content_type="application/json",
                                 **bearer(secret), HTTP_IDEMPOTENCY_KEY="same-scan")  # fmt: skip
        answers.append((response.status_code, response.json()["id"]))
        connection.close()

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [(201, answers[0][1])] * 6
    assert Lead.objects.count() == 1
    assert WebhookDelivery.objects.filter(event_type="lead.created").count() == 1


# Rate limits --------------------------------------------------------------------------------------


def test_each_token_has_its_rate_limit_answered_with_429_and_retry_after(client, pair, settings):
    settings.API_TOKEN_RATE = "3/minute"
    _, secret = token_for(pair.a)
    _, other = token_for(pair.a)
    for _ in range(3):
        assert client.get("/api/v1/profile/", **bearer(secret)).status_code == 200
    limited = client.get("/api/v1/profile/", **bearer(secret))
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/profile/", **bearer(other)).status_code == 200


# The command --------------------------------------------------------------------------------------


def test_create_exhibitor_token_prints_the_token_alone_on_its_last_line(client, pair):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_exhibitor_token", pair.a.slug, "--scopes", "read,leads,webhooks", stdout=out, stderr=err)
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("expo_") and " " not in secret
    assert client.get("/api/v1/leads/", **bearer(secret)).status_code == 200
    assert client.patch("/api/v1/profile/", {}, content_type="application/json", **bearer(secret)).status_code == 403
    out = io.StringIO()
    call_command("create_exhibitor_token", str(pair.b.pk), "--scopes", "read", stdout=out, stderr=io.StringIO())
    token = ApiToken.objects.get(key_hash=ApiToken.digest(out.getvalue().strip().splitlines()[-1]))
    assert token.exhibitor == pair.b and token.scopes == ["read"]


def test_public_program_and_directory_read_with_a_token_too(client, pair):
    _, secret = token_for(pair.a, scopes=["read"])
    assert client.get("/api/v1/exhibitors/", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/sessions/", **bearer(secret)).status_code == 200


def test_visitor_badge_of_another_edition_is_refused(client, pair):
    _, secret = token_for(pair.a)
    stranger = AttendeeFactory()
    response = client.post("/api/v1/leads/", {"badge_code": badge(stranger)}, content_type="application/json",
                           **bearer(secret))  # fmt: skip
    assert response.status_code == 400 and response.json()["badge_code"] == ["Este gafete es de otra edición."]


def test_huge_or_negative_page_numbers_answer_an_empty_or_first_page(client, pair):
    _, secret = token_for(pair.a)
    ProductFactory(exhibitor=pair.a)
    huge = client.get("/api/v1/products/", {"limit": 10**30, "offset": 10**30}, **bearer(secret))
    assert huge.status_code == 200 and huge.json()["results"] == []
    negative = client.get("/api/v1/products/", {"limit": -5, "offset": -5}, **bearer(secret))
    assert negative.status_code == 200 and len(negative.json()["results"]) == 1


def test_the_schema_and_docs_document_auth_scopes_idempotency_errors_and_webhooks(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/profile/", "/api/v1/products/{id}/", "/api/v1/leads/", "/api/v1/leads/{id}/",
                 "/api/v1/meetings/", "/api/v1/webhooks/{id}/deliveries/", "/api/v1/webhooks/{id}/test/"):  # fmt: skip
        assert path in schema["paths"], path
    assert schema["components"]["securitySchemes"]["exhibitorToken"]["scheme"] == "bearer"
    guide = schema["info"]["description"]
    for topic in ("## Authentication", "## Scopes", "## Idempotency", "## Errors", "## Rate limits", "## Webhooks",
                  "Expo-Webhook-Signature", "curl "):  # fmt: skip
        assert topic in guide, topic
    create = schema["paths"]["/api/v1/leads/"]["post"]
    assert "**Scope:** `leads`" in create["description"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    assert {"400", "401", "403", "422", "429"} <= set(create["responses"])
    assert "Retry-After" in create["responses"]["429"]["headers"]
    assert client.get("/api/docs/").status_code == 200


def test_dates_with_any_iso_offset_filter_or_answer_400_naming_the_field(client, pair):
    _, secret = token_for(pair.a)
    lead_for(pair.a, visitor(pair.event, consent=True))
    far_offset = client.get("/api/v1/leads/", {"captured_after": "2020-01-01T10:00:00+21:52"}, **bearer(secret))
    assert far_offset.status_code == 200 and far_offset.json()["count"] == 1
    too_early = client.get("/api/v1/leads/", {"captured_after": "0001-01-01T00:00:00+05:00"}, **bearer(secret))
    assert too_early.status_code == 400 and "captured_after" in too_early.json()


def test_the_exhibitors_b2b_meetings_are_read_with_whom_and_others_answer_404(client, django_assert_num_queries):
    from tests.factories import ExhibitorFactory, MeetingFactory, ParticipantFactory
    from tests.networking.conftest import edition_make

    edition = edition_make(slots=6)
    mine, other = ExhibitorFactory(event=edition.event), ExhibitorFactory(event=edition.event)
    ours = ParticipantFactory(event=edition.event, organization=mine.organization)
    buyer = ParticipantFactory(event=edition.event, attendee__organization_name="Hospital Civil")
    meeting = MeetingFactory(event=edition.event, slot=edition.slots[0], table=edition.tables[0], between=(ours, buyer))
    MeetingFactory(event=edition.event, slot=edition.slots[1], table=edition.tables[0], status="draft",
                   between=(ours, ParticipantFactory(event=edition.event)))  # fmt: skip
    _, secret = token_for(mine, scopes=["read"])
    _, other_secret = token_for(other, scopes=["read"])
    listed = client.get("/api/v1/meetings/", **bearer(secret)).json()
    assert [m["id"] for m in listed["results"]] == [meeting.pk]  # drafts are not announced yet
    people = {p["organization"]: p["is_ours"] for p in listed["results"][0]["people"]}
    assert people == {mine.organization.name: True, "Hospital Civil": False}
    assert client.get(f"/api/v1/meetings/{meeting.pk}/", **bearer(other_secret)).status_code == 404
    assert client.get("/api/v1/meetings/", **bearer(other_secret)).json()["count"] == 0
    for slot in edition.slots[2:5]:
        MeetingFactory(event=edition.event, slot=slot, table=edition.tables[0],
                       between=(ours, ParticipantFactory(event=edition.event)))  # fmt: skip
    # token with its exhibitor, count, page of meetings with slot/table/space, their seats with people
    with django_assert_num_queries(4):
        assert client.get("/api/v1/meetings/", **bearer(secret)).json()["count"] == 4


def test_tokens_are_never_made_in_the_admin_only_revoked_there(admin_client):
    # An admin form would save a token without its secret's digest (issue 11 #14): tokens are made by
    # the portal or `create_exhibitor_token`, which show the secret once; the admin lists and revokes.
    assert admin_client.get(reverse("admin:exhibitors_apitoken_add")).status_code == 403
    token, secret = token_for(ExhibitorFactory())
    response = admin_client.post(reverse("admin:exhibitors_apitoken_changelist"),
                                 {"action": "revoke", "_selected_action": [token.pk]})  # fmt: skip
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.key_hash != secret and len(token.key_hash) == 64  # only a digest is stored
