"""Communications: editable email texts, campaigns to a segment with progress, the unsubscribe
link that is honoured, the day-before reminders, and the privacy notice of the edition."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from expo.dashboard import services as dashboard_services
from expo.dashboard.models import Campaign
from expo.events.models import PrivacyNotice
from expo.mail.models import EmailTemplate, OptOut, OutboxEmail
from expo.mail.services import mail_enqueue, mail_send, reminders_send
from expo.mail.unsubscribe import unsubscribe_token
from expo.registration import services as registration_services
from networking.models import Meeting
from tests.conftest import login_verified
from tests.factories import PassTypeFactory

pytestmark = pytest.mark.django_db


def _send_all():
    for email in OutboxEmail.objects.filter(sent_at__isnull=True):
        mail_send(email_id=email.pk)


def test_an_organizers_text_replaces_the_file_template_in_its_language(fair, django_capture_on_commit_callbacks):
    EmailTemplate.objects.create(
        name="registration/email/confirmed",
        language="es-mx",
        subject="¡Listo, {{ first_name }}! {{ event_name }}",
        body_text="Te esperamos en el WTC, {{ first_name }}.\nEntra aquí: {{ signin_url }}",
    )
    visitor = PassTypeFactory(event=fair.event, slug="general")
    with django_capture_on_commit_callbacks(execute=True):
        registration_services.registration_create(
            event=fair.event,
            pass_type=visitor,
            email="ana@example.mx",
            first_name="Ana",
            last_name="Soto",
            privacy_accepted=True,
        )
        registration_services.registration_create(event=fair.event, pass_type=visitor, email="tom@example.com",
                                                  first_name="Tom", last_name="Hill", privacy_accepted=True,
                                                  language="en")  # fmt: skip
    spanish = next(m for m in mail.outbox if m.to == ["ana@example.mx"])
    english = next(m for m in mail.outbox if m.to == ["tom@example.com"])
    assert spanish.subject == f"¡Listo, Ana! {fair.event.name}"
    assert "Te esperamos en el WTC, Ana." in spanish.body and "/acceso/" in spanish.body
    assert "Te esperamos en el WTC, Ana." in spanish.alternatives[0][0]
    assert english.subject.startswith("Your registration")  # no English text written: the file's


def test_a_broken_text_is_refused_in_the_admin(client, organizer):
    login_verified(client, organizer)
    response = client.post(reverse("admin:mail_emailtemplate_add"), {
        "name": "registration/email/confirmed", "language": "es-mx", "subject": "Hola", "body_text": "{% if %}",
        "body_html": "", "is_active": "on",
    })  # fmt: skip
    assert response.status_code == 200 and "error de plantilla" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def _campaign(fair, **fields):
    return Campaign.objects.create(event=fair.event, segment="b2b", subject_es="Agenda B2B lista",
                                   body_es="Revisa tu agenda.", subject_en="B2B agenda ready",
                                   body_en="Check your agenda.", **fields)  # fmt: skip


def test_a_campaign_reaches_its_segment_once_each_with_progress(fair, django_capture_on_commit_callbacks):
    OptOut.objects.create(email=fair.people[2].attendee.email)
    campaign = _campaign(fair)
    with django_capture_on_commit_callbacks(execute=True):
        dashboard_services.campaign_start(campaign=campaign)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.total, campaign.written, campaign.skipped) == ("sent", 3, 2, 1)
    assert campaign.progress == 100
    log = OutboxEmail.objects.filter(key__startswith=campaign.outbox_key_prefix)
    assert sorted(log.values_list("to", flat=True)) == sorted(p.attendee.email for p in fair.people[:2])
    assert all(not email.essential for email in log)
    # Run again (a retried task): nothing is written twice.
    Campaign.objects.filter(pk=campaign.pk).update(status="queued")
    dashboard_services.campaign_send(campaign_id=campaign.pk)
    assert log.count() == 2


def test_a_pass_type_segment_takes_only_that_pass(fair, django_capture_on_commit_callbacks):
    visitor = fair.event.pass_types.get(slug="visitante")
    campaign = _campaign(
        fair,
    )
    campaign.segment, campaign.parameter = "pass_type", str(visitor.pk)
    campaign.save()
    with django_capture_on_commit_callbacks(execute=True):
        dashboard_services.campaign_start(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.written == 3  # the three confirmed visitors; the waitlisted one is not written to


def test_the_unsubscribe_link_is_honoured_and_spares_essential_mail(client, fair):
    email = fair.people[0].attendee.email
    sent = mail_enqueue(to=email, language="es-mx", template="dashboard/email/campaign", subject="%(subject)s",
                        context={"subject": "Hola", "body": "Texto"}, essential=False)  # fmt: skip
    mail_send(email_id=sent.pk)
    message = mail.outbox[-1]
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.endswith(reverse("mail:unsubscribe", args=[unsubscribe_token(email)]))
    assert url in message.body
    path = reverse("mail:unsubscribe", args=[unsubscribe_token(email)])
    assert client.get(path).status_code == 200 and not OptOut.objects.exists()  # a GET writes nothing
    assert client.post(path).status_code == 200
    assert OptOut.objects.filter(email=email).exists()
    assert mail_enqueue(to=email, language="es-mx", template="dashboard/email/campaign", subject="x",
                        context={}, essential=False) is None  # fmt: skip
    assert mail_enqueue(to=email, language="es-mx", template="registration/email/signin_link", subject="x",
                        context={"attendee_id": fair.people[0].attendee.pk}) is not None  # fmt: skip
    assert client.get(reverse("mail:unsubscribe", args=["forged"])).status_code == 400


def test_reminders_go_the_day_before_once_per_person(fair, monkeypatch):
    meeting_day = timezone.localdate(fair.slots[0].start)
    evening_before = timezone.make_aware(datetime.combine(meeting_day - timedelta(days=1), datetime.min.time())
                                         + timedelta(hours=18))  # fmt: skip
    early = evening_before.replace(hour=6)
    assert reminders_send(at=early) == 0
    assert reminders_send(at=evening_before) == 3  # Castillo, Pérez and the third participant
    assert reminders_send(at=evening_before + timedelta(hours=1)) == 3  # the same rows, nothing new
    reminders = OutboxEmail.objects.filter(template="networking/email/meeting_reminder")
    assert reminders.count() == 3
    perez = fair.people[1].attendee
    email = reminders.get(to=perez.email)
    mail_send(email_id=email.pk)
    body = mail.outbox[-1].body
    assert "Castillo" in body and "A1" in body
    assert "/correo/baja/" in body
    Meeting.objects.update(status=Meeting.Status.CANCELLED)
    assert reminders_send(at=evening_before + timedelta(days=1)) == 0  # the day after: nothing


def test_the_privacy_notice_is_edited_per_edition_and_linked_from_every_page(client, fair):
    assert reverse("registration:privacy") in client.get(reverse("home")).content.decode()
    PrivacyNotice.objects.create(
        event=fair.event,
        responsible_party="Expo Médica de México, S.A. de C.V.",
        address="Montecito 38, Nápoles, 03810 Ciudad de México",
        purposes_es="Registrarte\nEmitir tu gafete",
        arco_contact="arco@expomedica.mx",
    )
    page = client.get(reverse("registration:privacy")).content.decode()
    assert "Expo Médica de México, S.A. de C.V." in page and "Montecito 38" in page
    assert "Emitir tu gafete" in page and "arco@expomedica.mx" in page
