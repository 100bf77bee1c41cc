"""Writes of the control room: starting a campaign and sending it, batch by batch, with progress."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from expo.mail.segments import segment_get
from expo.mail.services import mail_enqueue

from . import tasks
from .models import Campaign

logger = logging.getLogger(__name__)

CAMPAIGN_TEMPLATE = "dashboard/email/campaign"
BATCH = 500


def campaign_start(*, campaign: Campaign, user=None) -> Campaign:
    """Queue a draft campaign for sending (the task runs after the commit)."""
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != Campaign.Status.DRAFT:
            raise ValidationError(_("This campaign was already sent."))
        if segment_get(campaign.segment) is None:
            raise ValidationError(_("Unknown recipients: %(segment)s") % {"segment": campaign.segment})
        campaign.status, campaign.started_at = Campaign.Status.QUEUED, timezone.now()
        campaign.save(update_fields=["status", "started_at"])
        transaction.on_commit(lambda: _dispatch(campaign.pk))
    return campaign


def _dispatch(campaign_id: int) -> bool:
    try:
        tasks.campaign_send.delay(campaign_id)
    except Exception as exc:  # broker down: the campaign stays queued for the periodic re-dispatch
        logger.warning("Campaign %s stays queued until the task queue is back: %s", campaign_id, exc)
        return False
    return True


# A queued campaign whose task could not be queued (broker down) is queued again this long after
# "Send"; one still being written past the task's time limit lost its worker and is queued again too
# (`started_at` is when "Send" was pressed, then when the task began writing).
REDISPATCH_AFTER = timedelta(minutes=1)
SENDING_STALE_AFTER = timedelta(seconds=tasks.campaign_send.time_limit) + timedelta(minutes=5)


def campaigns_redispatch(*, at: datetime | None = None) -> int:
    """Periodic: queue again the campaigns left queued (broker down) or interrupted while being
    written to the outbox (a killed worker). Safe: each email has its key, so a campaign written
    twice still sends one email per person."""
    now = at or timezone.now()
    Campaign.objects.filter(status=Campaign.Status.SENDING, started_at__lt=now - SENDING_STALE_AFTER).update(
        status=Campaign.Status.QUEUED
    )
    waiting = Campaign.objects.filter(status=Campaign.Status.QUEUED, started_at__lt=now - REDISPATCH_AFTER)
    return sum(_dispatch(campaign_id) for campaign_id in list(waiting.values_list("pk", flat=True)))


def campaign_send(*, campaign_id: int) -> int:
    """Write the campaign's emails to the outbox in batches; progress is visible after each batch.

    Safe to run twice (or after a crash): each email has a key per campaign and address, so the
    outbox holds one per person whatever happens; the counters are recomputed, not added to.
    """
    # Claim it: of two deliveries of the task (a re-dispatch), one writes the campaign.
    claimed = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.QUEUED).update(
        status=Campaign.Status.SENDING, started_at=timezone.now()
    )
    if not claimed:
        return 0
    campaign = Campaign.objects.select_related("event").get(pk=campaign_id)
    segment = segment_get(campaign.segment)
    recipients, seen = [], set()
    for recipient in segment.recipients(campaign.event_id, campaign.parameter):
        if recipient.email.lower() not in seen:
            seen.add(recipient.email.lower())
            recipients.append(recipient)
    Campaign.objects.filter(pk=campaign.pk).update(total=len(recipients), written=0, skipped=0)
    written = skipped = 0
    for start in range(0, len(recipients), BATCH):
        with transaction.atomic():
            for recipient in recipients[start : start + BATCH]:
                subject, body = campaign.text_for(recipient.language)
                email = mail_enqueue(
                    to=recipient.email, language=recipient.language, template=CAMPAIGN_TEMPLATE,
                    subject=gettext_noop("%(subject)s"),
                    context={"subject": subject, "body": body, "first_name": recipient.name,
                             "event_name": campaign.event.name},
                    essential=False, key=f"{campaign.outbox_key_prefix}{recipient.email.lower()}",
                )  # fmt: skip
                if email is None:
                    skipped += 1
                else:
                    written += 1
            Campaign.objects.filter(pk=campaign.pk).update(written=written, skipped=skipped)
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.SENT, finished_at=timezone.now())
    return written
