"""Meeting requests: send with a message, accept or decline, quotas, duplicates, expiry, emails."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networking.models import MeetingRequest, NetworkingSettings, RoleQuota
from networking.services import (
    meeting_request_accept,
    meeting_request_decline,
    meeting_request_send,
    meeting_requests_expire,
)
from networking.tasks import meeting_requests_expire as expire_task
from tests.factories import OrganizationFactory, ParticipantFactory
from tests.networking.conftest import signin

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pair(edition):
    buyer = ParticipantFactory(event=edition.event, role="hospital", attendee__first_name="Lucía",
                               attendee__organization_name="Hospital Civil")  # fmt: skip
    seller = ParticipantFactory(event=edition.event, role="manufacturer", attendee__first_name="Jorge",
                                attendee__language="en")  # fmt: skip
    return buyer, seller


def test_sending_from_the_page_emails_the_recipient_in_their_language(client, pair):
    buyer, seller = pair
    signin(client, buyer.attendee)
    response = client.post(reverse("networking:request-send", args=[seller.pk]), {"message": "Buscamos monitores"})
    assert response.status_code == 302
    request = MeetingRequest.objects.get()
    assert (request.sender, request.recipient, request.status) == (buyer, seller, "pending")
    assert request.expires_at == request.created_at + timedelta(hours=72)
    assert [m.to for m in mail.outbox] == [[seller.attendee.email]]
    assert "New B2B meeting request" in mail.outbox[0].subject
    assert "Buscamos monitores" in mail.outbox[0].body and "Hospital Civil" in mail.outbox[0].body


def test_a_second_request_to_the_same_person_is_refused_with_a_clear_message(client, pair):
    buyer, seller = pair
    signin(client, buyer.attendee)
    client.post(reverse("networking:request-send", args=[seller.pk]), {"message": ""})
    response = client.post(reverse("networking:request-send", args=[seller.pk]), {"message": ""}, follow=True)
    assert "Ya tienes una solicitud con esta persona" in response.content.decode()
    assert MeetingRequest.objects.count() == 1


def test_answering_with_a_request_of_ones_own_points_to_the_pending_one(pair):
    buyer, seller = pair
    meeting_request_send(sender=buyer, recipient=seller)
    with pytest.raises(ValidationError, match="ya te envió una solicitud"):
        meeting_request_send(sender=seller, recipient=buyer)


def test_colleagues_cannot_request_each_other(edition):
    organization = OrganizationFactory()
    a = ParticipantFactory(event=edition.event, organization=organization)
    b = ParticipantFactory(event=edition.event, organization=organization)
    with pytest.raises(ValidationError, match="tu propia organización"):
        meeting_request_send(sender=a, recipient=b)


def test_the_daily_quota_of_the_role_is_enforced(client, edition):
    settings_ = NetworkingSettings.objects.create(event=edition.event, daily_request_quota=5)
    RoleQuota.objects.create(settings=settings_, role="hospital", daily_requests=2)
    buyer = ParticipantFactory(event=edition.event, role="hospital")
    sellers = ParticipantFactory.create_batch(3, event=edition.event, role="manufacturer")
    meeting_request_send(sender=buyer, recipient=sellers[0])
    meeting_request_send(sender=buyer, recipient=sellers[1])
    signin(client, buyer.attendee)
    response = client.post(reverse("networking:request-send", args=[sellers[2].pk]), {"message": ""}, follow=True)
    assert "Llegaste a tu límite de 2 solicitudes por hoy" in response.content.decode()
    assert MeetingRequest.objects.count() == 2
    # Tomorrow the quota starts again.
    meeting_request_send(sender=buyer, recipient=sellers[2], at=timezone.now() + timedelta(days=1))


def test_roles_without_a_quota_of_their_own_use_the_default(edition):
    NetworkingSettings.objects.create(event=edition.event, daily_request_quota=1)
    buyer = ParticipantFactory(event=edition.event, role="distributor")
    a, b = ParticipantFactory.create_batch(2, event=edition.event, role="manufacturer")
    meeting_request_send(sender=buyer, recipient=a)
    with pytest.raises(ValidationError, match="límite de 1"):
        meeting_request_send(sender=buyer, recipient=b)


def test_accepting_emails_the_sender_and_makes_the_pair_a_must(client, pair):
    buyer, seller = pair
    request = meeting_request_send(sender=buyer, recipient=seller)
    mail.outbox.clear()
    signin(client, seller.attendee)
    assert client.post(reverse("networking:request-answer", args=[request.pk]), {"answer": "accept"}).status_code == 302
    request.refresh_from_db()
    assert request.status == "accepted" and request.responded_at
    assert [m.to for m in mail.outbox] == [[buyer.attendee.email]]
    assert "aceptada" in mail.outbox[0].subject


def test_only_the_recipient_can_answer(pair):
    buyer, seller = pair
    request = meeting_request_send(sender=buyer, recipient=seller)
    with pytest.raises(ValidationError):
        meeting_request_accept(request=request, by=buyer)


def test_a_declined_sender_cannot_ask_again(pair):
    buyer, seller = pair
    request = meeting_request_send(sender=buyer, recipient=seller)
    meeting_request_decline(request=request, by=seller)
    with pytest.raises(ValidationError, match="rechazó"):
        meeting_request_send(sender=buyer, recipient=seller)


def test_pending_requests_expire_and_can_no_longer_be_accepted(pair):
    buyer, seller = pair
    request = meeting_request_send(sender=buyer, recipient=seller)
    later = timezone.now() + timedelta(hours=73)
    with pytest.raises(ValidationError, match="venció"):
        meeting_request_accept(request=request, by=seller, at=later)
    request.refresh_from_db()
    assert request.status == "expired"
    # After expiry the sender may ask again.
    meeting_request_send(sender=buyer, recipient=seller, at=later)


def test_the_periodic_task_expires_overdue_requests_only(pair, edition):
    buyer, seller = pair
    old = meeting_request_send(sender=buyer, recipient=seller)
    other = ParticipantFactory(event=edition.event, role="manufacturer")
    fresh = meeting_request_send(sender=buyer, recipient=other)
    MeetingRequest.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_task.delay().get() == 1
    assert MeetingRequest.objects.get(pk=old.pk).status == "expired"
    assert MeetingRequest.objects.get(pk=fresh.pk).status == "pending"
    assert meeting_requests_expire() == 0


def test_requests_page_lists_received_and_sent(client, pair):
    buyer, seller = pair
    meeting_request_send(sender=buyer, recipient=seller, message="Hola")
    signin(client, seller.attendee)
    html = client.get(reverse("networking:requests")).content.decode()
    assert "Lucía" in html and "Hola" in html and "Aceptar" in html


def test_requests_page_takes_the_same_queries_however_many_requests(client, pair, edition):
    buyer, seller = pair
    meeting_request_send(sender=buyer, recipient=seller)
    signin(client, seller.attendee)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("networking:requests")).status_code == 200
        return len(queries)

    before = count()
    others = ParticipantFactory.create_batch(6, event=edition.event)
    for other in others[:3]:
        meeting_request_send(sender=other, recipient=seller)
    for other in others[3:]:
        meeting_request_send(sender=seller, recipient=other)
    # The session is read from the cache. 1 attendee, 2 profile with its edition, 3 received with
    # senders, 4 sent with recipients
    assert count() == before == 4
