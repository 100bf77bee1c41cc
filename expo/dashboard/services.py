"""Writes of the control room: starting a campaign and sending it, batch by batch, with progress;
staff's two-factor devices (enrolling an authenticator app, backup codes, removing a device, an
organizer resetting someone's lost phone)."""

import logging
from datetime import datetime, timedelta

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from expo.mail.segments import segment_get
from expo.mail.services import mail_enqueue

from . import tasks
from .models import Campaign
from .two_factor import WRONG_CODE, two_factor_required

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


# Two-factor devices ------------------------------------------------------------------------------

BACKUP_CODES = 10
TWO_FACTOR_LOG_FIELD = "two-step sign-in"


def two_factor_enroll_start(*, user) -> TOTPDevice:
    """The user's authenticator app being set up (unconfirmed), or a new one: the same secret on every
    visit of the enrollment page until a first code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def two_factor_enroll_confirm(*, user, device_id: int, token: str, name: str = "") -> tuple[TOTPDevice, list[str]]:
    """Confirm the app being set up with a first code from it. Returns the device and the backup codes
    made for a first enrollment (none when the person already has some). A wrong code raises
    ValidationError and changes nothing."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, pk=device_id, confirmed=False).first()
        if device is None:
            raise ValidationError(_("This setup has expired. Scan the new code below."), code="stale")
        if not device.verify_token(token):
            raise ValidationError(WRONG_CODE, code="wrong")
        device.confirmed = True
        if name.strip():
            device.name = name.strip()[:64]
        device.save(update_fields=["confirmed", "name"])
        codes = [] if StaticToken.objects.filter(device__user=user).exists() else backup_codes_regenerate(user=user)
        _two_factor_log(user, gettext_noop("authenticator app added"), device=device.name, actor=user)
    return device, codes


def backup_codes_regenerate(*, user) -> list[str]:
    """New backup codes for the user; the old ones stop working. Each code works once. Returned to
    be shown once; only their digests are stored (backup_code_digest)."""
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Set up an authenticator app first; backup codes come with it."), code="no-app")
    with transaction.atomic():
        static, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": "backup"})
        static.token_set.all().delete()
        codes = [StaticToken.random_token() for _i in range(BACKUP_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=backup_code_digest(code)) for code in codes])
    return codes


def backup_code_digest(code: str) -> str:
    """What is stored of a backup code, and what a typed one is compared by: 16 hex characters (what
    django-otp's StaticToken holds) of an HMAC keyed by SECRET_KEY. A copy of the database then holds
    no code that signs anyone in, and its 40 bits cannot be tried offline without the key. Rotating
    SECRET_KEY retires the codes (staff make new ones on their "Acceso en dos pasos" page)."""
    return salted_hmac("expo.dashboard.backup-code", code, algorithm="sha256").hexdigest()[:BACKUP_DIGEST_LENGTH]


BACKUP_DIGEST_LENGTH = 16


def two_factor_device_remove(*, user, device_id: int) -> None:
    """Remove one of the user's authenticator apps. Organizers keep at least one (they add another
    first); for other staff removing the last one turns two-factor sign-in off (backup codes go too)."""
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk"))
        device = next((d for d in devices if d.pk == device_id), None)
        if device is None:
            raise ValidationError(_("That device is not yours or was already removed."), code="missing")
        if len(devices) == 1 and two_factor_required(user):
            raise ValidationError(
                _("Organizers must sign in in two steps: add another authenticator app before removing this one."),
                code="required",
            )
        device.delete()
        if len(devices) == 1:
            StaticDevice.objects.filter(user=user).delete()
        _two_factor_log(user, gettext_noop("authenticator app removed"), device=device.name, actor=user)


def two_factor_reset(*, user, actor=None) -> int:
    """Remove every second factor of `user` (a lost phone): an organizer enrolls again at their next
    sign-in, and sessions they had verified must verify again. Logged in the user's audit trail with
    who did it (None: a script). Returns how many devices went."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            removed += model.objects.filter(user=user).count()
            model.objects.filter(user=user).delete()
        _two_factor_log(user, gettext_noop("reset: every device removed"), actor=actor)
    return removed


def _two_factor_log(user, what: str, *, actor, device: str = "") -> None:
    """An entry in the user's audit trail; `what` is an untranslated msgid, shown in the reader's language
    (dashboard template tag `audit_value`)."""
    changes = {TWO_FACTOR_LOG_FIELD: ["", what]}
    if device:
        changes["device"] = ["", device]
    LogEntry.objects.log_create(user, force_log=True, action=LogEntry.Action.UPDATE, changes=changes, actor=actor)
