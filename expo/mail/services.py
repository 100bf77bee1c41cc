"""Writes of the email outbox: enqueue, send one (claim, send, mark), drain what is left.

Sending never happens inside a transaction that holds other rows: a sender claims the outbox row
for a short lease (locking that row alone), commits, talks to the mail server with no lock held,
then marks the row sent. A slow or silent mail server therefore never makes a registration wait.
If the sender dies after the claim, the lease lapses and the periodic drain sends the email again.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .models import OptOut, OutboxEmail
from .reminders import REMINDER_HOUR, reminder_sources
from .rendering import email_message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
CLAIM_LEASE = timedelta(minutes=5)


def mail_enqueue(
    *,
    to: str,
    language: str,
    template: str,
    subject: str,
    context: dict | None = None,
    essential: bool = True,
    key: str | None = None,
) -> OutboxEmail | None:
    """Write an email to the outbox and have it sent once the current transaction commits.

    `subject` is the English source (mark it with gettext_noop); it is translated into `language`
    and formatted with the context when the email is sent. The context must be JSON: ids, strings,
    numbers, ISO times (keys ending in `_at` come back as datetimes).

    A non-essential email (`essential=False`: campaigns, reminders) carries an unsubscribe link and
    is not written at all for an address that unsubscribed (returns None); nor is any email to an
    address under the reserved `.invalid` domain (an erased person's placeholder). With a `key`, a second
    call with the same key writes nothing and returns the first email, so a task run twice sends once.
    """
    if not essential and OptOut.objects.filter(email=to.strip().lower()).exists():
        return None
    if to.strip().lower().endswith(".invalid"):  # a reserved domain: an erased person's placeholder address
        return None
    if key is not None:
        existing = OutboxEmail.objects.filter(key=key).first()
        if existing is not None:
            return existing
    fields = {"to": to, "language": language, "template": template, "subject": subject, "context": context or {},
              "essential": essential}  # fmt: skip
    if key is None:  # nothing to collide with: no savepoint to release (two statements fewer)
        email = OutboxEmail.objects.create(**fields)
    else:
        try:
            with transaction.atomic():
                email = OutboxEmail.objects.create(**fields, key=key)
        except IntegrityError:
            return OutboxEmail.objects.get(key=key)  # a simultaneous sender wrote it first
    transaction.on_commit(lambda: mail_dispatch(email_id=email.pk))
    return email


def mail_opt_out(*, email: str) -> OptOut:
    """Record that an address wants no more non-essential email (idempotent)."""
    opt_out, _created = OptOut.objects.get_or_create(email=email.strip().lower())
    return opt_out


def mail_opt_in(*, email: str) -> None:
    OptOut.objects.filter(email=email.strip().lower()).delete()


def mail_dispatch(*, email_id: int) -> None:
    """Queue the send task; if the broker is down, leave the email for the periodic drain."""
    try:
        tasks.outbox_send.delay(email_id)
    except Exception as exc:  # broker unreachable, or (in-process mode) the mail server failing
        logger.warning("Email %s left in the outbox for the next drain: %s", email_id, exc)


def _claim(email_id: int) -> OutboxEmail | None:
    """Take the row for CLAIM_LEASE if it is unsent and unclaimed; lock only the outbox row."""
    now = timezone.now()
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update(skip_locked=True).pending(now).filter(pk=email_id).first()
        if email is None:
            return None
        email.claimed_until = now + CLAIM_LEASE
        email.save(update_fields=["claimed_until"])
    return email


def mail_send(*, email_id: int) -> bool:
    """Send one outbox email if it is still unsent. Safe to run twice, and concurrently."""
    email = _claim(email_id)
    if email is None:
        return False
    try:
        email_message(email).send()
    except Exception as exc:  # SMTP, network and rendering errors: counted, retried by the drain
        OutboxEmail.objects.filter(pk=email.pk).update(
            attempts=email.attempts + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:2000], claimed_until=None
        )
        logger.warning("Email %s failed (attempt %s): %s", email_id, email.attempts + 1, exc)
        return False
    OutboxEmail.objects.filter(pk=email.pk).update(
        sent_at=timezone.now(), attempts=email.attempts + 1, claimed_until=None, last_error=""
    )
    return True


def mail_drain(*, limit: int = 500) -> int:
    """Send what the outbox still holds (the broker was down, or the mail server failed)."""
    pending = OutboxEmail.objects.pending().filter(attempts__lt=MAX_ATTEMPTS).order_by("pk")
    return sum(mail_send(email_id=email_id) for email_id in pending.values_list("pk", flat=True)[:limit])


def mail_sent_recently(*, to: str, template: str, within: timedelta) -> int:
    """How many emails of one template were written to one address lately (rate limits)."""
    since = timezone.now() - within
    return OutboxEmail.objects.filter(to=to, template=template, created_at__gte=since).count()


def reminders_send(*, at=None) -> int:
    """Write tomorrow's reminders of every registered source (none before REMINDER_HOUR). Idempotent."""
    local = timezone.localtime(at or timezone.now())
    if local.hour < REMINDER_HOUR:
        return 0
    tomorrow = local.date() + timedelta(days=1)
    total = 0
    for name, source in reminder_sources().items():
        try:
            total += source(tomorrow)
        except Exception:  # one broken source must not stop the others
            logger.exception("Reminders of %s for %s failed", name, tomorrow)
    return total
