"""Visitor registration: the form, emails, sign-in links, self-service, cancellation and waitlist."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from expo.mail.models import OutboxEmail
from expo.registration.models import Attendee, PassType
from expo.registration.services import registration_cancel, registration_create, signin_email_unseal
from tests.factories import EventFactory, PassTypeFactory, TermFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def event():
    event = EventFactory(name="Medical Expo 2031")
    PassTypeFactory(event=event, slug="visitante", name_es="Visitante", name_en="Visitor")
    TermFactory(vocabulary="state", slug="jalisco", name_es="Jalisco", name_en="Jalisco")
    TermFactory(vocabulary="device_category", slug="imaging", name_es="Imagenología", name_en="Imaging")
    return event


def form_data(event, **overrides):
    from expo.events.models import Term

    data = {
        "pass_type": event.pass_types.first().pk, "first_name": "Lucía", "last_name": "Hernández Ruiz",
        "email": "lucia@hospital.mx", "organization_name": "Hospital Civil", "organization_kind": "hospital",
        "job_title": "Jefa de compras", "country": "MX", "state": Term.objects.get(slug="jalisco").pk,
        "interests": [Term.objects.get(slug="imaging").pk], "privacy_accepted": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def link_in(message) -> str:
    return re.search(r"https?://\S+/acceso/\S+/", message.body).group(0)


def test_register_confirms_and_emails_badge_and_link_in_spanish(client, event):
    response = client.post(reverse("registration:register"), form_data(event))
    assert response.status_code == 302 and response.url == reverse("registration:done")
    attendee = Attendee.objects.get()
    assert attendee.status == "confirmed" and attendee.language == "es-mx"
    assert attendee.interests.get().slug == "imaging"
    assert [m.to for m in mail.outbox] == [["lucia@hospital.mx"]]
    message = mail.outbox[0]
    assert "confirmado" in message.subject
    assert "/acceso/" in message.body
    assert any(part.get_content_type() == "image/png" for part in message.attachments)
    assert OutboxEmail.objects.get().sent_at is not None


def test_registering_takes_twelve_sql_statements(client, event, monkeypatch):
    from expo.mail import services as mail_services

    monkeypatch.setattr(mail_services, "mail_dispatch", lambda **kwargs: None)  # the send task is not counted
    client.post(reverse("registration:register"), form_data(event, email="primera@hospital.mx"))  # a session
    data = form_data(event)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("registration:register"), data)
    assert response.status_code == 302
    sql = [q["sql"] for q in queries]
    # The edition and the session are read from the cache. 1 the passes on sale (the chosen one is
    # taken from them), 2 the state, 3 the interests chosen; 4 BEGIN, 5 the pass's row lock with
    # "is this email registered?", 6 the seat, 7 the registration, 8 its audit log entry, 9 its
    # interests, 10 the confirmation email in the outbox, 11 COMMIT; 12 the session (one UPDATE).
    assert len(sql) == 12, sql
    assert sql[3].startswith("BEGIN") and "earlier_id" in sql[4] and sql[10] == "COMMIT"
    assert "FOR UPDATE" in sql[4] or connection.vendor != "postgresql"  # SQLite has no row locks
    assert sql[11].startswith('UPDATE "django_session"')


def test_register_in_english_sends_english_email(client, event):
    client.post(reverse("set_language"), {"language": "en"})
    client.post(reverse("registration:register"), form_data(event))
    assert "confirmed" in mail.outbox[0].subject
    assert Attendee.objects.get().language == "en"


def test_invalid_form_keeps_what_was_typed_and_says_why(client, event):
    data = form_data(event, email="not-an-email", state="")
    del data["privacy_accepted"]
    response = client.post(reverse("registration:register"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Lucía"' in html and 'value="Hospital Civil"' in html
    assert response.context["form"].errors["email"] == ["Introduzca una dirección de correo electrónico válida."]
    assert "Introduzca una dirección de correo electrónico válida." in html
    assert "Debes aceptar el aviso de privacidad" in html
    assert "Elige tu estado" in html
    assert Attendee.objects.count() == 0 and len(mail.outbox) == 0


def test_second_registration_with_same_email_resends_link_not_duplicate(client, event):
    client.post(reverse("registration:register"), form_data(event))
    # Later than a double click (tests/faults/test_duplicates.py: that one sends no second email).
    Attendee.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    response = client.post(
        reverse("registration:register"), form_data(event, email="LUCIA@hospital.mx", first_name="Otra")
    )
    assert response.status_code == 302
    assert Attendee.objects.count() == 1 and Attendee.objects.get().first_name == "Lucía"
    assert len(mail.outbox) == 2 and "/acceso/" in mail.outbox[1].body
    assert OutboxEmail.objects.filter(template="registration/email/signin_link").count() == 1


def test_signin_link_works_once_then_shows_expired_page(client, event):
    client.post(reverse("registration:register"), form_data(event))
    url = link_in(mail.outbox[0])
    assert client.get(url).status_code == 200  # a page with a button: prefetching does not sign in
    assert client.get(reverse("registration:mine")).status_code == 302
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("registration:mine")
    page = client.get(reverse("registration:mine"))
    assert "Lucía Hernández Ruiz" in page.content.decode() and "<svg" in page.content.decode()
    client.post(reverse("registration:signout"))
    assert client.post(url).status_code == 400


def test_tampered_link_is_rejected(client, event):
    client.post(reverse("registration:register"), form_data(event))
    url = link_in(mail.outbox[0])
    assert client.post(url[:-3] + "xx/").status_code == 400


def test_expired_link_is_rejected(client, event, settings):
    client.post(reverse("registration:register"), form_data(event))
    url = link_in(mail.outbox[0])
    settings.SIGNIN_LINK_HOURS = 0
    assert client.post(url).status_code == 400


def test_signin_page_sends_a_new_link_without_revealing_who_is_registered(client, event):
    client.post(reverse("registration:register"), form_data(event))
    mail.outbox.clear()
    known = client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx"}).content.decode()
    unknown = client.post(reverse("registration:signin"), {"email": "nadie@x.mx"}).content.decode()
    assert len(mail.outbox) == 1
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|value="[^"]*@[^"]*"', "", html)  # noqa: E731
    assert strip(known) == strip(unknown)


def signed_in(client, event):
    client.post(reverse("registration:register"), form_data(event))
    client.post(link_in(mail.outbox[-1]))
    return Attendee.objects.get(email="lucia@hospital.mx")


def test_visitor_edits_details_and_bad_input_keeps_the_form(client, event):
    signed_in(client, event)
    data = form_data(event, job_title="Directora médica")
    assert client.post(reverse("registration:mine"), data).status_code == 302
    assert Attendee.objects.get().job_title == "Directora médica"
    response = client.post(reverse("registration:mine"), form_data(event, first_name="", job_title="Nuevo puesto"))
    assert response.status_code == 200 and 'value="Nuevo puesto"' in response.content.decode()
    assert Attendee.objects.get().job_title == "Directora médica"


def test_visitor_downloads_badge_pdf(client, event):
    signed_in(client, event)
    response = client.get(reverse("registration:my-badge"))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_cancelling_frees_the_seat_for_the_waitlist(client, event):
    pass_type = event.pass_types.get()
    PassType.objects.filter(pk=pass_type.pk).update(capacity=1)
    attendee = signed_in(client, event)
    waiting = registration_create(
        event=event, pass_type=pass_type, email="b@x.mx", first_name="B", last_name="C", privacy_accepted=True
    ).attendee
    assert waiting.status == "waitlisted"
    mail.outbox.clear()
    assert client.post(reverse("registration:cancel")).status_code == 302
    attendee.refresh_from_db()
    waiting.refresh_from_db()
    assert attendee.status == "cancelled" and waiting.status == "confirmed"
    assert PassType.objects.get().registered_count == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["b@x.mx", "lucia@hospital.mx"]
    assert client.get(reverse("registration:my-badge")).status_code == 302  # no badge once cancelled


def test_full_pass_puts_visitor_on_waitlist(client, event):
    PassType.objects.update(capacity=0)
    client.post(reverse("registration:register"), form_data(event))
    assert Attendee.objects.get().status == "waitlisted"
    assert "lista de espera" in mail.outbox[0].subject  # the email says so; the page says the same to everyone


def test_pass_outside_its_sales_window_is_not_offered(client, event):
    from datetime import timedelta

    from django.utils import timezone

    PassType.objects.update(sales_end=timezone.now() - timedelta(days=1))
    response = client.get(reverse("registration:register"))
    assert "cerrado" in response.content.decode()
    response = client.post(reverse("registration:register"), form_data(event))
    assert response.status_code == 200 and Attendee.objects.count() == 0


def test_a_cancelled_registration_is_not_taken_over_by_whoever_types_its_email(client, event):
    """Registering a cancelled email again sends that email a link first; the typed data is not used."""
    pass_type = event.pass_types.get()
    first = registration_create(
        event=event, pass_type=pass_type, email="a@x.mx", first_name="Ana", last_name="B", privacy_accepted=True
    ).attendee
    registration_cancel(attendee=first)
    mail.outbox.clear()
    again = registration_create(
        event=event, pass_type=pass_type, email="A@x.mx", first_name="Intruso", last_name="Z", privacy_accepted=True
    )
    first.refresh_from_db()
    assert not again.created and first.status == "cancelled" and first.first_name == "Ana"
    assert PassType.objects.get().registered_count == 0
    assert [m.to for m in mail.outbox] == [["a@x.mx"]] and "de nuevo" in mail.outbox[0].subject
    # The owner follows the link and registers again from their page.
    client.post(link_in(mail.outbox[0]))
    assert "Registrarme de nuevo" in client.get(reverse("registration:mine")).content.decode()
    assert client.post(reverse("registration:reactivate")).status_code == 302
    first.refresh_from_db()
    assert first.status == "confirmed" and PassType.objects.get().registered_count == 1


def test_registration_page_answers_the_same_for_new_and_known_emails(client, event):
    client.post(reverse("registration:register"), form_data(event))
    first = client.get(reverse("registration:done")).content.decode()
    other = client.__class__()
    other.post(reverse("registration:register"), form_data(event))  # the same email, someone else's browser
    second = other.get(reverse("registration:done")).content.decode()
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(first) == strip(second)
    assert "ya estaba registrado" not in second


def test_signin_requests_are_handled_after_the_answer(client, event, monkeypatch):
    """The page does the same work for any email (it queues one task), so timing tells nothing."""
    from expo.registration import tasks

    queued = []
    monkeypatch.setattr(tasks.signin_link_request, "delay", lambda *args: queued.append(args))
    client.post(reverse("registration:register"), form_data(event))
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as known:
        client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx"})
    with CaptureQueriesContext(connection) as unknown:
        client.post(reverse("registration:signin"), {"email": "nadie@x.mx"})
    assert len(known) == len(unknown) and not any("registration_attendee" in q["sql"] for q in known)
    # The address travels sealed: the broker and a failing task's log never hold it in clear.
    assert [signin_email_unseal(args[1]) for args in queued] == ["lucia@hospital.mx", "nadie@x.mx"]
    assert not any("@" in args[1] for args in queued) and mail.outbox == []


def test_registration_is_rate_limited_per_address_with_retry_after(client, event):
    for n in range(20):
        assert client.post(reverse("registration:register"), form_data(event, email=f"p{n}@x.mx")).status_code == 302
    response = client.post(reverse("registration:register"), form_data(event, email="p99@x.mx"))
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
    assert "Demasiados intentos" in response.content.decode() and 'value="Lucía"' in response.content.decode()
    assert not Attendee.objects.filter(email="p99@x.mx").exists()


def test_registration_is_rate_limited_per_email(client, event):
    for n in range(5):
        client.post(reverse("registration:register"), form_data(event), REMOTE_ADDR=f"10.0.0.{n}")
    assert client.post(reverse("registration:register"), form_data(event), REMOTE_ADDR="10.0.1.1").status_code == 429


def test_signin_keeps_next_through_the_emailed_link(client, event):
    client.post(reverse("registration:register"), form_data(event))
    mail.outbox.clear()
    page = client.get(reverse("registration:signin"), {"next": "/b2b/solicitudes/"}).content.decode()
    assert 'name="next" value="/b2b/solicitudes/"' in page
    client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx", "next": "/b2b/solicitudes/"})
    url = re.search(r"https?://\S+/acceso/\S+", mail.outbox[0].body).group(0)
    assert "next=%2Fb2b%2Fsolicitudes%2F" in url
    button = client.get(url).content.decode()
    assert 'name="next" value="/b2b/solicitudes/"' in button
    response = client.post(url.split("?")[0], {"next": "/b2b/solicitudes/"})
    assert response.url == "/b2b/solicitudes/"


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, event, evil):
    client.post(reverse("registration:register"), form_data(event))
    client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx", "next": evil})
    assert "next=" not in mail.outbox[-1].body.split("/acceso/")[1].split()[0]
    url = link_in(mail.outbox[0])
    assert client.post(url, {"next": evil}).url == reverse("registration:mine")


def test_sign_in_links_are_limited_per_hour(client, event):
    client.post(reverse("registration:register"), form_data(event))
    mail.outbox.clear()
    for _ in range(8):
        client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx"})
    assert len(mail.outbox) == 5


def test_names_lose_line_breaks_and_bidi_overrides(client, event):
    data = form_data(event, first_name="Lucía\r\nBcc: x@y.mx", last_name="Ruiz\u202egnp.exe", job_title="Jefa\x07")
    client.post(reverse("registration:register"), data)
    attendee = Attendee.objects.get()
    assert (attendee.first_name, attendee.last_name, attendee.job_title) == ("Lucía Bcc: x@y.mx", "Ruizgnp.exe", "Jefa")


def test_confirmation_email_has_the_venue_a_map_link_the_fair_in_a_calendar_and_the_short_code(client, event):
    import icalendar

    from expo.events.models import Venue

    Venue.objects.update(address="Montecito 38, Nápoles", map_url="https://www.openstreetmap.org/?mlat=19.39")
    client.post(reverse("registration:register"), form_data(event))
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Montecito 38, Nápoles" in message.body and "https://www.openstreetmap.org/?mlat=19.39" in html
    assert "Ver el mapa" in html
    # Django keeps non-inline attachments as (filename, content, mimetype)
    content = next(a[1] for a in message.attachments if isinstance(a, tuple) and a[2] == "text/calendar")
    vevent = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert vevent.decoded("dtstart") == event.start_date and "Montecito 38" in str(vevent["location"])
    attendee = Attendee.objects.get()
    code = "-".join(attendee.badge_code[i : i + 4] for i in range(0, 12, 4))
    assert code in message.body
    assert "Si no lo pediste" not in message.body  # she did ask: no "if you did not ask for this"


def test_only_emails_someone_else_could_trigger_say_ignore_if_you_did_not_ask(client, event):
    client.post(reverse("registration:register"), form_data(event))
    client.post(reverse("registration:signin"), {"email": "lucia@hospital.mx"})
    confirmation, link = mail.outbox
    assert "Si no lo pediste" not in confirmation.body and "Si no lo pediste" in link.body
    assert "Abrir mi registro: http" in link.body  # the link is introduced by words, not a sentence


def test_an_ended_edition_says_so_and_refuses_registration(client, event):
    from datetime import timedelta

    from django.utils import timezone

    event.start_date = timezone.localdate() - timedelta(days=4)
    event.end_date = timezone.localdate() - timedelta(days=2)
    event.save()
    page = client.get(reverse("registration:register")).content.decode()
    assert "ya terminó" in page and '<form method="post"' not in page
    assert "ya terminó" in client.get("/").content.decode()
    response = client.post(reverse("registration:register"), form_data(event))
    assert response.status_code == 200 and Attendee.objects.count() == 0
    with pytest.raises(Exception, match="terminó"):
        registration_create(event=event, pass_type=event.pass_types.get(), email="x@y.mx", first_name="X",
                            last_name="Y", privacy_accepted=True, at_desk=True)  # fmt: skip


def test_a_pass_without_a_sales_end_closes_with_the_edition(event):
    from datetime import timedelta

    from django.utils import timezone

    pass_type = event.pass_types.get()
    assert pass_type.on_sale() and PassType.objects.on_sale().filter(pk=pass_type.pk).exists()
    after = timezone.now() + timedelta(days=70)  # the factory's edition is 60-62 days from today
    pass_type.refresh_from_db()
    assert not pass_type.on_sale(after) and not PassType.objects.on_sale(after).filter(pk=pass_type.pk).exists()


def test_registration_form_tells_phones_what_to_fill_in(client, event):
    html = client.get(reverse("registration:register")).content.decode()
    for token in ("given-name", "family-name", 'autocomplete="email"', "organization-title", '"organization"',
                  'autocomplete="country"', "address-level1"):  # fmt: skip
        assert token in html, token
    assert 'type="email"' in html and 'rel="icon"' in html
