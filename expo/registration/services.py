"""Writes of registration: register, edit, cancel, the waitlist, sign-in links, door check-in.

Everything that happens when a visitor registers is in `registration_create`, read top to bottom:
lock the pass type, find an earlier registration by email, take a seat or join the waitlist, write
the confirmation email to the outbox; the email goes out after the commit.
"""

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Subquery
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from expo.events.models import Event
from expo.lib.sealed import seal, unseal
from expo.lib.text import text_plain
from expo.mail.services import mail_enqueue, mail_sent_recently

from . import badges, selectors, tasks
from .cancellation import cancel_handlers_run
from .models import Attendee, BadgeBatch, BadgeKey, BadgeScan, PassType

logger = logging.getLogger(__name__)

# Free-text fields cleaned of control characters and bidi overrides (expo.lib.text) on every write.
PLAIN_TEXT_FIELDS = ("first_name", "last_name", "organization_name", "job_title")

REGISTRATION_FIELDS = (
    "first_name", "last_name", "organization_name", "organization_kind", "job_title", "state", "country",
    "share_with_exhibitors",
)  # fmt: skip


# Emails ---------------------------------------------------------------------------------------

# The subject of each registration email (English source, translated when sent; see expo.mail).
EMAIL_SUBJECTS = {
    "confirmed": gettext_noop("Your registration for %(event_name)s is confirmed"),
    "waitlisted": gettext_noop("You are on the waitlist for %(event_name)s"),
    "promoted": gettext_noop("A seat freed up: your registration for %(event_name)s is confirmed"),
    "signin_link": gettext_noop("Your sign-in link for %(event_name)s"),
    "cancelled": gettext_noop("Your registration for %(event_name)s was cancelled"),
    "register_again": gettext_noop("Register again for %(event_name)s"),
}


def attendee_email(
    *,
    attendee: Attendee,
    template: str,
    subject: str,
    context: dict | None = None,
    essential: bool = True,
    key: str | None = None,
):
    """Queue an email to a registered person, in their language (after the transaction commits).

    The registration's context builder (registration.emails) adds the person, the edition and a
    fresh sign-in link when it is sent. Other apps (networking...) send their emails through it.
    Reminders and announcements are `essential=False` (unsubscribe link, skipped for opted-out
    addresses); `key` makes a repeated call write nothing (see expo.mail.services.mail_enqueue).
    """
    return mail_enqueue(
        to=attendee.email, language=attendee.language, template=template, subject=subject,
        context={"attendee_id": attendee.pk, **(context or {})}, essential=essential, key=key,
    )  # fmt: skip


def _email(kind: str, attendee: Attendee, context: dict | None = None) -> None:
    attendee_email(attendee=attendee, template=f"registration/email/{kind}", subject=EMAIL_SUBJECTS[kind],
                   context=context)  # fmt: skip


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
    by_organizer: bool = False,
    **fields,
) -> RegistrationResult:
    """Register a person for an edition, once per email.

    A full pass type puts the visitor on its waitlist (at the desk it is an error instead). A second
    registration with the same email changes nothing and sends a sign-in link, unless it comes within
    RESUBMIT_WINDOW of the first (a double click, a form sent twice): the confirmation, which carries
    the link, is already on its way, and one click gets one email. A cancelled one is
    not taken over by whoever types its email: that email gets a link to register again from its own
    registration page (at the desk, where staff see the person, it is registered again at once).
    `by_organizer` (a bulk import in the admin) registers on any pass of the edition, sales window or
    not, treats a full pass as an error, and sends no sign-in link for an email already registered.
    """
    if not privacy_accepted:
        raise ValidationError({"privacy_accepted": _("You must accept the privacy notice to register.")})
    if pass_type.event_id != event.pk:
        raise ValidationError({"pass_type": _("This pass is not offered for this edition.")})
    pass_type.event = event  # the same edition: on_sale() needs not read it again
    if event.has_ended():
        raise ValidationError(_("%(event)s has ended: registration is closed.") % {"event": event.name})
    if not (at_desk or by_organizer) and (not pass_type.is_public or not pass_type.on_sale()):
        raise ValidationError({"pass_type": _("Registration for this pass is closed.")})
    email = email.strip().lower()
    unknown = set(fields) - set(REGISTRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown registration fields: {sorted(unknown)}")

    try:
        with transaction.atomic():
            # The pass's row lock and whether the email is registered already, in one round trip; most
            # emails are not, and an earlier registration is then locked and read. (One that commits
            # while this waits for the lock is not seen here: the insert below meets the constraint.)
            earlier = Attendee.objects.registered_email(event=event, email=email).order_by().values("pk")[:1]
            pass_type = (
                PassType.objects.select_for_update(of=("self",)).annotate(earlier_id=Subquery(earlier))
                .get(pk=pass_type.pk)
            )  # fmt: skip
            existing = None
            if pass_type.earlier_id is not None:
                existing = Attendee.objects.select_for_update().get(pk=pass_type.earlier_id)
            if existing is not None and existing.status != Attendee.Status.CANCELLED:
                if not (at_desk or by_organizer or _just_registered(existing)):
                    signin_link_send(attendee=existing)
                return RegistrationResult(attendee=existing, created=False)
            if existing is not None and not at_desk:
                if not by_organizer:  # an import leaves a cancelled registration as it is
                    signin_link_send(attendee=existing, kind="register_again")
                return RegistrationResult(attendee=existing, created=False)
            seated = _seat_take(pass_type)
            if not seated and (at_desk or by_organizer):
                raise ValidationError({"pass_type": _("This pass is sold out.")})
            attendee = existing or Attendee(event=event, email=email)
            attendee.pass_type = pass_type
            attendee.first_name, attendee.last_name = text_plain(first_name), text_plain(last_name)
            for name, value in fields.items():
                setattr(attendee, name, text_plain(value) if name in PLAIN_TEXT_FIELDS else value)
            attendee.language = language
            attendee.privacy_accepted_at = timezone.now()
            attendee.status = Attendee.Status.CONFIRMED if seated else Attendee.Status.WAITLISTED
            attendee.registered_at_desk = at_desk
            attendee.created_at = timezone.now()
            attendee.cancelled_at = None
            if not attendee.badge_code:
                attendee.badge_code = _badge_reference()
            attendee.save()
            if existing is not None:
                attendee.interests.set(interests)
            elif interests:  # a new registration has none yet: nothing to read first
                attendee.interests.add(*interests)
            _email("confirmed" if seated else "waitlisted", attendee)
            return RegistrationResult(attendee=attendee, created=True)
    except IntegrityError:
        # The same email was registered by a simultaneous request that committed first.
        existing = Attendee.objects.registered_email(event=event, email=email).first()
        if existing is None:
            raise
        if not (at_desk or by_organizer or _just_registered(existing)):
            signin_link_send(attendee=existing)
        return RegistrationResult(attendee=existing, created=False)


# The same registration sent again this soon after the first is taken for a double click or a form
# sent twice (a retried request on a slow phone): it gets the first answer and no second email.
RESUBMIT_WINDOW = timedelta(minutes=2)


def _just_registered(attendee: Attendee) -> bool:
    return attendee.created_at >= timezone.now() - RESUBMIT_WINDOW


def _badge_reference() -> str:
    """The short code printed under the badge's QR (60 random bits; no 0/O/1/I to misread)."""
    return get_random_string(badges.SHORT_CODE_LENGTH, badges.SHORT_CODE_ALPHABET)


def registration_update(*, attendee: Attendee, interests=None, **fields) -> Attendee:
    """Edit the profile part of a registration (not its email, pass or status)."""
    unknown = set(fields) - set(REGISTRATION_FIELDS) - {"language"}
    if unknown:
        raise TypeError(f"not editable here: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(attendee, name, text_plain(value) if name in PLAIN_TEXT_FIELDS else value)
        attendee.full_clean(exclude=["pass_type", "event", "state"])
        attendee.save()
        if interests is not None:
            attendee.interests.set(interests)
    return attendee


def registration_cancel(*, attendee: Attendee, at: datetime | None = None, notify: bool = True) -> Attendee:
    """Cancel a registration, with what hangs off it in other apps (their cancel handlers: B2B
    meetings, workshop seats); its seat goes to the first person on the waitlist, if any.

    `notify=False` sends no "cancelled" email (an organizer deleting the registration).
    """
    at = at or timezone.now()
    with transaction.atomic():
        pass_type = _pass_type_lock(attendee.pass_type)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if attendee.status == Attendee.Status.CANCELLED:
            return attendee
        held_seat = attendee.status == Attendee.Status.CONFIRMED
        attendee.status = Attendee.Status.CANCELLED
        attendee.cancelled_at = at
        attendee.save(update_fields=["status", "cancelled_at"])
        cancel_handlers_run(attendee=attendee, at=at)
        if notify:
            _email("cancelled", attendee)
        if held_seat:
            _seat_release(pass_type)
            waitlist_promote(pass_type=pass_type)
    return attendee


def registration_delete(*, attendee: Attendee) -> None:
    """Delete a registration (an organizer's act): cancelled first, so that its seat, its B2B
    meetings and its workshop seats are given back through the same rules, then removed."""
    with transaction.atomic():
        registration_cancel(attendee=attendee, notify=False)
        Attendee.objects.filter(pk=attendee.pk).delete()


def registration_pass_change(*, attendee: Attendee, pass_type: PassType) -> Attendee:
    """Move a registration to another pass of its edition, keeping both seat counters true.

    A confirmed registration takes a seat on the new pass (an error when it is full) and frees its
    old one for the old pass's waitlist; a waitlisted one is confirmed if the new pass has room
    (and emailed), else waits on the new pass; a cancelled one only changes its pass.
    """
    if pass_type.event_id != attendee.event_id:
        raise ValidationError({"pass_type": _("This pass is not offered for this edition.")})
    with transaction.atomic():
        # Both pass rows, in primary-key order, so that two opposite moves cannot deadlock.
        locked = {p.pk: p for p in PassType.objects.select_for_update().filter(
            pk__in=[attendee.pass_type_id, pass_type.pk]).order_by("pk")}  # fmt: skip
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        old, new = locked[attendee.pass_type_id], locked[pass_type.pk]
        if old.pk == new.pk:
            return attendee
        promoted = False
        if attendee.status == Attendee.Status.CONFIRMED:
            if not _seat_take(new):
                raise ValidationError({"pass_type": _("This pass is sold out.")})
            _seat_release(old)
        elif attendee.status == Attendee.Status.WAITLISTED and _seat_take(new):
            attendee.status = Attendee.Status.CONFIRMED
            promoted = True
        attendee.pass_type = new
        attendee.save(update_fields=["pass_type", "status"])
        if promoted:
            _email("promoted", attendee)
        if attendee.status == Attendee.Status.CONFIRMED and not promoted:
            waitlist_promote(pass_type=old)
    return attendee


def registration_confirm(*, attendee: Attendee) -> Attendee:
    """Confirm a waitlisted (or cancelled) registration on its pass, if a seat is free; emailed."""
    with transaction.atomic():
        pass_type = _pass_type_lock(attendee.pass_type)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if attendee.status == Attendee.Status.CONFIRMED:
            return attendee
        if not _seat_take(pass_type):
            raise ValidationError({"pass_type": _("This pass is sold out.")})
        was_waitlisted = attendee.status == Attendee.Status.WAITLISTED
        attendee.status = Attendee.Status.CONFIRMED
        attendee.cancelled_at = None
        attendee.save(update_fields=["status", "cancelled_at"])
        _email("promoted" if was_waitlisted else "confirmed", attendee)
    return attendee


def pass_type_update(*, pass_type: PassType, **fields) -> PassType:
    """Change a pass type (admin). Raising its capacity, or making it unlimited, confirms the
    waitlist in order of arrival; a capacity below the seats already taken is refused."""
    with transaction.atomic():
        locked = _pass_type_lock(pass_type)
        capacity = fields.get("capacity", locked.capacity)
        if capacity is not None and capacity < locked.registered_count:
            raise ValidationError({"capacity": _(
                "%(taken)d seats are already taken: the capacity cannot be lower. Cancel registrations first."
            ) % {"taken": locked.registered_count}})  # fmt: skip
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["event"])
        locked.save()
        waitlist_promote(pass_type=locked)
    return locked


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
        _email("promoted", attendee)
        promoted.append(attendee)
    return promoted


def registration_reactivate(*, attendee: Attendee, at: datetime | None = None) -> Attendee:
    """A cancelled registration registered again by its owner (signed in from an emailed link):
    a seat if its pass has one, else its waitlist; emailed like a new registration."""
    at = at or timezone.now()
    with transaction.atomic():
        pass_type = _pass_type_lock(attendee.pass_type)
        attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
        if attendee.status != Attendee.Status.CANCELLED:
            return attendee
        if not pass_type.on_sale(at):
            raise ValidationError({"pass_type": _("Registration for this pass is closed.")})
        seated = _seat_take(pass_type)
        attendee.status = Attendee.Status.CONFIRMED if seated else Attendee.Status.WAITLISTED
        attendee.cancelled_at = None
        attendee.created_at = at  # joins the waitlist now, behind those already waiting
        attendee.save(update_fields=["status", "cancelled_at", "created_at"])
        _email("confirmed" if seated else "waitlisted", attendee)
    return attendee


SIGNIN_LINKS_PER_HOUR = 5
SIGNIN_TEMPLATES = ("registration/email/signin_link", "registration/email/register_again")


def signin_link_send(*, attendee: Attendee, next_url: str = "", kind: str = "signin_link") -> bool:
    """Email a sign-in link (`kind` signin_link, or register_again for a cancelled registration), at
    most SIGNIN_LINKS_PER_HOUR an hour to one address, so nobody can flood an inbox. `next_url` (a
    path on this site) is where the link leads after signing in."""
    recent = sum(
        mail_sent_recently(to=attendee.email, template=template, within=timedelta(hours=1))
        for template in SIGNIN_TEMPLATES
    )
    if recent >= SIGNIN_LINKS_PER_HOUR:
        logger.info("Sign-in link for attendee %s not sent: %s in the last hour", attendee.pk, recent)
        return False
    with transaction.atomic():
        _email(kind, attendee, {"next": next_url} if next_url else None)
    return True


def signin_link_request(*, event: Event, email: str, next_url: str = "") -> None:
    """Someone asked /acceso/ for a link. Whether the email is registered is found out in a task,
    after the answer: the page takes the same time and says the same words either way."""
    email = email.strip().lower()

    def dispatch():
        try:
            tasks.signin_link_request.delay(event.pk, signin_email_seal(email), next_url)
        except Exception as exc:  # broker unreachable: do it now rather than lose the request
            logger.warning("Sign-in request handled in the request (broker: %s)", exc)
            signin_link_for_email(event_id=event.pk, email=email, next_url=next_url)

    transaction.on_commit(dispatch)


SIGNIN_REQUEST_PURPOSE = "signin-request"


def signin_email_seal(email: str) -> str:
    """The address as the sign-in task receives it: encrypted, so neither the broker nor a log has it."""
    return seal(email.encode(), purpose=SIGNIN_REQUEST_PURPOSE)


def signin_email_unseal(sealed: str) -> str:
    return unseal(sealed, purpose=SIGNIN_REQUEST_PURPOSE).decode()


def signin_link_for_email(*, event_id: int, email: str, next_url: str = "") -> bool:
    attendee = Attendee.objects.registered_email(event=event_id, email=email).first()
    if attendee is None:
        return False
    kind = "register_again" if attendee.status == Attendee.Status.CANCELLED else "signin_link"
    return signin_link_send(attendee=attendee, next_url=next_url, kind=kind)


# Check-in -------------------------------------------------------------------------------------


@dataclass
class CheckinResult:
    outcome: str  # ok, already, invalid, other_event, cancelled, waitlisted, ended
    attendee: Attendee | None = None
    first_scan_at: datetime | None = None
    day: date | None = None
    day_count: int | None = None  # check-ins of `day` after a new one, when the counter gave it

    @property
    def admitted(self) -> bool:
        return self.outcome in ("ok", "already")


def checkin_scan(
    *, event: Event, code: str, user=None, gate: str = "", day: date | None = None, at: datetime | None = None
) -> CheckinResult:
    """A badge read at a door. Idempotent: a second scan the same day reports the first one.

    `at` is when the badge was read, for scans a scanner made offline and syncs later.
    """
    at = at or timezone.now()
    if event.has_ended(at):  # a scan made offline during the fair and synced later still counts
        return CheckinResult("ended")
    holder = selectors.badge_holder(event=event, code=code)
    if not holder.valid:
        return CheckinResult(holder.outcome, holder.attendee)
    attendee = holder.attendee
    day = day or timezone.localdate(at)
    # The insert first: at the doors most scans are a visitor's first of the day, one statement (no
    # transaction of its own in autocommit). The unique (attendee, day) constraint answers a second
    # scan, from this door or another at the same moment; the first one is then read back.
    try:
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            BadgeScan.objects.create(
                event=event, attendee=attendee, day=day, scanned_by=user, gate=gate[:60], scanned_at=at
            )
    except IntegrityError:
        first = BadgeScan.objects.filter(attendee=attendee, day=day).values_list("scanned_at", flat=True).first()
        return CheckinResult("already", attendee, first or at)
    count = selectors.checkin_counted(event_id=event.pk, day=day)  # the insert is committed (autocommit)
    return CheckinResult("ok", attendee, at, day=day, day_count=count)


# Badge keys -----------------------------------------------------------------------------------


def badge_key_rotate(*, event: Event) -> BadgeKey:
    """Make a new signing key for an edition. Badges signed before keep working until retired."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()  # one rotation at a time per edition
        last = BadgeKey.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first()
        key = BadgeKey.new(event_id=event.pk, number=(last or 0) + 1)
        selectors.badge_keys_changed(event_id=event.pk)
        return key


def badge_key_retire(*, key: BadgeKey, at: datetime | None = None) -> BadgeKey:
    """Stop accepting badges signed with `key` (a lost or leaked key). The signing key cannot be
    retired: rotate first, so that new badges are signed with a key that is still valid."""
    with transaction.atomic():
        key = BadgeKey.objects.select_for_update().get(pk=key.pk)
        if key.retired_at is not None:
            return key
        newest = BadgeKey.objects.valid().filter(event_id=key.event_id).order_by("-number").first()
        if newest is None or newest.pk == key.pk:
            raise ValidationError(_("This key signs new badges: rotate the edition's key first, then retire this one."))
        key.retired_at = at or timezone.now()
        key.save(update_fields=["retired_at"])
        selectors.badge_keys_changed(event_id=key.event_id)  # its badges are refused from now on
    return key


# Badge batches ----------------------------------------------------------------------------------


def badge_batch_start(*, event: Event, user=None, pass_type: PassType | None = None, attendee_ids=()) -> BadgeBatch:
    """Queue a batch of badges (every confirmed registration, one pass, or the ids given; never cut
    short). The task builds it after the commit; with the broker down it waits for the periodic
    re-dispatch."""
    with transaction.atomic():
        total = selectors.badge_batch_attendees(
            event=event, pass_type_id=pass_type.pk if pass_type else None, attendee_ids=attendee_ids
        ).count()
        batch = BadgeBatch.objects.create(event=event, requested_by=user, pass_type=pass_type,
                                          attendee_ids=sorted(set(attendee_ids)), total=total)  # fmt: skip
        transaction.on_commit(lambda: badge_batch_dispatch(batch_id=batch.pk))
    return batch


def badge_batch_dispatch(*, batch_id: int) -> None:
    try:
        tasks.badge_batch_build.delay(batch_id)
    except Exception as exc:  # broker unreachable: the periodic re-dispatch picks it up
        logger.warning("Badge batch %s left queued: %s", batch_id, exc)


def badge_batch_build(*, batch_id: int) -> BadgeBatch | None:
    """Draw the batch's badges, saving the progress every 100; safe to run twice (a done batch is kept)."""
    from .badge_pdf import badges_pdf  # noqa: PLC0415 -- reportlab is only needed here

    with transaction.atomic():
        batch = BadgeBatch.objects.select_for_update().select_related("event").filter(pk=batch_id).first()
        if batch is None or batch.status in (BadgeBatch.Status.DONE, BadgeBatch.Status.RUNNING):
            return batch
        BadgeBatch.objects.filter(pk=batch_id).update(status=BadgeBatch.Status.RUNNING, done=0)
    attendees = selectors.badge_batch_attendees(
        event=batch.event, pass_type_id=batch.pass_type_id, attendee_ids=batch.attendee_ids
    )

    def progress(done: int) -> None:
        BadgeBatch.objects.filter(pk=batch_id).update(done=done)

    try:
        pdf = badges_pdf(attendees.iterator(chunk_size=500), title=str(batch.event), progress=progress)
    except Exception as exc:
        BadgeBatch.objects.filter(pk=batch_id).update(status=BadgeBatch.Status.FAILED, error=str(exc)[:2000],
                                                      finished_at=timezone.now())  # fmt: skip
        raise
    BadgeBatch.objects.filter(pk=batch_id).update(status=BadgeBatch.Status.DONE, pdf=pdf, done=batch.total,
                                                  finished_at=timezone.now())  # fmt: skip
    return BadgeBatch.objects.get(pk=batch_id)


def badge_batches_redispatch(*, older_than: timedelta = timedelta(minutes=1)) -> int:
    """Periodic: queue again the batches whose task never started (the broker was down), and fail
    those stuck running for an hour (a worker killed mid-batch) so that they can be asked again."""
    now = timezone.now()
    BadgeBatch.objects.filter(status=BadgeBatch.Status.RUNNING, created_at__lt=now - timedelta(hours=1)).update(
        status=BadgeBatch.Status.FAILED, error="interrupted", finished_at=now
    )
    waiting = list(
        BadgeBatch.objects.filter(status=BadgeBatch.Status.QUEUED, created_at__lt=now - older_than).values_list(
            "pk", flat=True
        )
    )
    for batch_id in waiting:
        badge_batch_dispatch(batch_id=batch_id)
    return len(waiting)
