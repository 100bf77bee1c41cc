"""A campaign sent by a real Celery worker on Redis: the task writes each recipient's email to the
outbox with progress, and the outbox's own tasks send them (the per-recipient log)."""

import time
from pathlib import Path

import pytest
from django.db import connection

from expo.dashboard.models import Campaign
from expo.dashboard.tasks import campaign_send
from expo.mail.models import OutboxEmail
from tests.conftest import celery_broker, celery_worker, redis_url
from tests.factories import ParticipantFactory
from tests.networking.conftest import edition_make


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_campaign_through_the_outbox(tmp_path: Path):
    event = edition_make().event
    people = ParticipantFactory.create_batch(3, event=event)
    campaign = Campaign.objects.create(event=event, segment="b2b", subject_es="Hola", body_es="Texto",
                                       status=Campaign.Status.QUEUED)  # fmt: skip
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = tmp_path / "mail"
    env = {"REDIS_URL": redis_url(), "DATABASE_URL": database_url, "EMAIL_URL": f"file://{mail_dir}"}
    # The worker takes the campaign's queue and the default one, where the outbox's send tasks go.
    with celery_broker(redis_url()), celery_worker(queue="test-campaign,celery", env=env):
        written = campaign_send.apply_async(args=[campaign.pk], queue="test-campaign").get(
            timeout=60, disable_sync_subtasks=False
        )
        log = OutboxEmail.objects.filter(key__startswith=campaign.outbox_key_prefix)
        deadline = time.monotonic() + 60
        while log.filter(sent_at__isnull=True).exists() and time.monotonic() < deadline:
            time.sleep(0.5)
    campaign.refresh_from_db()
    assert written == 3 and (campaign.status, campaign.total, campaign.written) == ("sent", 3, 3)
    assert sorted(log.values_list("to", flat=True)) == sorted(p.attendee.email for p in people)
    assert not log.filter(sent_at__isnull=True).exists()
    sent = "".join(path.read_text() for path in mail_dir.glob("*.log"))
    assert all(p.attendee.email in sent for p in people) and "/correo/baja/" in sent
