"""Writes of the core event domain: registration, cancellation, waitlist, check-in, the email outbox.

Everything that happens when a visitor registers is in `registration_create`, read top to bottom:
lock the pass type, find an earlier registration by email, take a seat or join the waitlist, write
the confirmation email to the outbox; the email goes out after the commit.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from .badges import InvalidBadge, badge_code_make, badge_code_read
from .models import Attendee, BadgeScan, Event, OutboxEmail, PassType

logger = logging.getLogger(__name__)

REGISTRATION_FIELDS = (
    "first_name", "last_name", "organization_name", "organization_kind", "job_title", "state", "country",
    "share_with_exhibitors",
)  # fmt: skip


# Badges ---------------------------------------------------------------------------------------


def badge_key() -> bytes:
    """The key that signs badge codes, derived from SECRET_KEY (scanners that verify offline hold it)."""
    return salted_hmac("expo.badge", "badge-signing-key").digest()


def attendee_badge_code(attendee: Attendee) -> str:
    return badge_code_make(key=badge_key(), event_id=attendee.event_id, attendee_id=attendee.pk)


# Registration ---------------------------------------------------------------------------------


@dataclass
class RegistrationResult:
    attendee: Attendee
    created: bool  # False: the email was already registered; a sign-in link was sent instead


def _pass_type_lock(pass_type: PassType) -> PassType:
    return PassType.objects.select_for_update().get(pk=pass_type.pk)


def _seat_take(pass_type: PassType) -> bool:
    """Take a seat of a locked pass type; False when it is full."""
    if pass_type.capacity is not None and pass_type.registered_count >= pass_type.capacity:
        return False
    PassType.objects.filter(pk=pass_type.pk).update(registered_count=F("registered_count") + 1)
    pass_type.registered_count += 1
    return True


def _seat_release(pass_type: PassType) -> None:
    PassType.objects.filter(pk=pass_type.pk).update(registered_count=F("registered_count") - 1)
    pass_type.registered_count -= 1


def registration_create(
    *,
    event: Event,
    pass_type: PassType,
    email: str,
    first_name: str,
    last_name: str,
    privacy_accepted: bool,
    language: str = "es-mx",
    interests=(),
    at_desk: bool = False,
    **fields,
) -> RegistrationResult:
    """Register a person for an edition, once per email.

    A full pass type puts the visitor on its waitlist (at the desk it is an error instead). A second
    registration with the same email changes nothing and sends a sign-in link; a cancelled one is
    registered again.
    """
    if not privacy_accepted:
        raise ValidationError({"privacy_accepted": _("You must accept the privacy notice to register.")})
    if pass_type.event_id != event.pk:
        raise ValidationError({"pass_type": _("This pass is not offered for this edition.")})
    if not at_desk and (not pass_type.is_public or not pass_type.on_sale()):
        raise ValidationError({"pass_type": _("Registration for this pass is closed.")})
    email = email.strip().lower()
    unknown = set(fields) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")

    try:
        with transaction.atomic():
            pass_type = _pass_type_lock(pass_type)
            existing = Attendee.objects.select_for_update().filter(event=event, email__iexact=email).first()
            if existing is not None and existing.status != Attendee.Status.CANCELLED:
                if not at_desk:
                    signin_link_send(attendee=existing)
                return RegistrationResult(attendee=existing, created=False)
            seated = _seat_take(pass_type)
            if not seated and at_desk:
                raise ValidationError({"pass_type": _("This pass is sold out.")})
            attendee = existing or Attendee(event=event, email=email)
            attendee.pass_type = pass_type
            attendee.first_name, attendee.last_name = first_name.strip(), last_name.strip()
            for name, value in fields.items():
                setattr(attendee, name, value)
            attendee.language = language
            attendee.privacy_accepted_at = timezone.now()
            attendee.status = Attendee.Status.CONFIRMED if seated else Attendee.Status.WAITLISTED
            attendee.registered_at_desk = at_desk
            attendee.created_at = timezone.now()
            attendee.cancelled_at = None
            if not attendee.badge_code:
                attendee.badge_code = _badge_reference()
            attendee.save()
            attendee.interests.set(interests)
            outbox_enqueue(
                kind=OutboxEmail.Kind.REGISTRATION_CONFIRMED if seated else OutboxEmail.Kind.WAITLISTED,
                attendee=attendee,
            )
            return RegistrationResult(attendee=attendee, created=True)
    except IntegrityError:
        # The same email was registered by a simultaneous request that committed first.
        existing = Attendee.objects.filter(event=event, email__iexact=email).first()
        if existing is None:
            raise
        if not at_desk:
            signin_link_send(attendee=existing)
        return RegistrationResult(attendee=existing, created=False)


def _badge_reference() -> str:
    from django.utils.crypto import get_random_string

    return get_random_string(12, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def registration_update(*, attendee: Attendee, interests=None, **fields) -> Attendee:
    """Edit the profile part of a registration (not its email, pass or status)."""
    unknown = set(fields) - set(REGISTRATION_FIELDS) - {"language"}
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(attendee, name, value)
        attendee.full_clean(exclude=["pass_type", "event", "state"])
        attendee.save()
        if interests is not None:
            attendee.interests.set(interests)
    return attendee


def registration_cancel(*, attendee: Attendee) -> Attendee:
    """Cancel a registration; its seat goes to the first person on the waitlist, if any."""
    with transaction.atomic():
        pass_type = _pass_type_lock(attendee.pass_type)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if attendee.status == Attendee.Status.CANCELLED:
            return attendee
        held_seat = attendee.status == Attendee.Status.CONFIRMED
        attendee.status = Attendee.Status.CANCELLED
        attendee.cancelled_at = timezone.now()
        attendee.save(update_fields=["status", "cancelled_at"])
        outbox_enqueue(kind=OutboxEmail.Kind.REGISTRATION_CANCELLED, attendee=attendee)
        if held_seat:
            _seat_release(pass_type)
            waitlist_promote(pass_type=pass_type)
    return attendee


def waitlist_promote(*, pass_type: PassType) -> list[Attendee]:
    """Give free seats of a locked pass type to the waitlist, first come first served."""
    promoted = []
    waiting = (
        Attendee.objects.select_for_update()
        .filter(pass_type=pass_type, status=Attendee.Status.WAITLISTED)
        .order_by("created_at", "pk")
    )
    for attendee in waiting:
        if not _seat_take(pass_type):
            break
        attendee.status = Attendee.Status.CONFIRMED
        attendee.save(update_fields=["status"])
        outbox_enqueue(kind=OutboxEmail.Kind.WAITLIST_PROMOTED, attendee=attendee)
        promoted.append(attendee)
    return promoted


SIGNIN_LINKS_PER_HOUR = 5


def signin_link_send(*, attendee: Attendee) -> bool:
    """Email a sign-in link, at most SIGNIN_LINKS_PER_HOUR an hour, so nobody can flood an inbox."""
    from datetime import timedelta

    recent = OutboxEmail.objects.filter(
        attendee=attendee, kind=OutboxEmail.Kind.SIGNIN_LINK, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= SIGNIN_LINKS_PER_HOUR:
        logger.info("Sign-in link for attendee %s not sent: %s in the last hour", attendee.pk, recent)
        return False
    with transaction.atomic():
        outbox_enqueue(kind=OutboxEmail.Kind.SIGNIN_LINK, attendee=attendee)
    return True


# Check-in -------------------------------------------------------------------------------------


@dataclass
class CheckinResult:
    outcome: str  # ok, already, invalid, other_event, cancelled, waitlisted
    attendee: Attendee | None = None
    first_scan_at: datetime | None = None

    @property
    def admitted(self) -> bool:
        return self.outcome in ("ok", "already")


def checkin_scan(
    *, event: Event, code: str, user=None, gate: str = "", day: date | None = None, at: datetime | None = None
) -> CheckinResult:
    """A badge read at a door. Idempotent: a second scan the same day reports the first one.

    `at` is when the badge was read, for scans a scanner made offline and syncs later.
    """
    try:
        payload = badge_code_read(code, key=badge_key())
    except InvalidBadge:
        return CheckinResult("invalid")
    if payload.event_id != event.pk:
        return CheckinResult("other_event")
    attendee = Attendee.objects.select_related("pass_type").filter(pk=payload.attendee_id, event=event).first()
    if attendee is None:
        return CheckinResult("invalid")
    if attendee.status == Attendee.Status.CANCELLED:
        return CheckinResult("cancelled", attendee)
    if attendee.status == Attendee.Status.WAITLISTED:
        return CheckinResult("waitlisted", attendee)
    at = at or timezone.now()
    day = day or timezone.localdate(at)
    try:
        with transaction.atomic():
            scan, created = BadgeScan.objects.get_or_create(
                attendee=attendee, kind=BadgeScan.Kind.ENTRY, day=day,
                defaults={"event": event, "scanned_by": user, "gate": gate[:60], "scanned_at": at},
            )  # fmt: skip
    except IntegrityError:  # the same badge at two doors at once
        scan, created = BadgeScan.objects.get(attendee=attendee, kind=BadgeScan.Kind.ENTRY, day=day), False
    return CheckinResult("ok" if created else "already", attendee, scan.scanned_at)


# Outbox ---------------------------------------------------------------------------------------


def outbox_enqueue(*, kind: str, attendee: Attendee, context: dict | None = None) -> OutboxEmail:
    """Write an email to the outbox and ask for it to be sent once the transaction commits."""
    email = OutboxEmail.objects.create(kind=kind, attendee=attendee, context=context or {})
    transaction.on_commit(lambda: outbox_dispatch(email_id=email.pk))
    return email


def outbox_dispatch(*, email_id: int) -> None:
    """Queue the send task; if the broker is down, leave the email for the periodic drain."""
    from .tasks import outbox_send

    try:
        outbox_send.delay(email_id)
    except Exception as exc:  # broker unreachable, or (in-process mode) the mail server failing
        logger.warning("Email %s left in the outbox for the next drain: %s", email_id, exc)


def outbox_email_send(*, email_id: int) -> bool:
    """Send one outbox email if it is still unsent. Safe to run twice, and concurrently."""
    from .emails import email_build

    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .select_related("attendee__event__venue", "attendee__pass_type")
            .filter(pk=email_id, sent_at__isnull=True)
            .first()
        )
        if email is None:
            return False
        try:
            email_build(email).send()
        except Exception as exc:  # SMTP and network errors: counted, retried by the drain
            email.attempts += 1
            email.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            email.save(update_fields=["attempts", "last_error"])
            logger.warning("Email %s failed (attempt %s): %s", email_id, email.attempts, exc)
            return False
        email.sent_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["sent_at", "attempts"])
        return True


OUTBOX_MAX_ATTEMPTS = 8


def outbox_drain(*, limit: int = 500) -> int:
    """Send what the outbox still holds (the broker was down, or the mail server failed)."""
    pending = OutboxEmail.objects.filter(sent_at__isnull=True, attempts__lt=OUTBOX_MAX_ATTEMPTS).order_by("pk")
    sent = 0
    for email_id in pending.values_list("pk", flat=True)[:limit]:
        sent += outbox_email_send(email_id=email_id)
    return sent
