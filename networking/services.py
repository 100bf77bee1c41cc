"""Writes of B2B networking for participants, each with its rules, inside a transaction.

Profiles; meeting requests (send with quota and duplicate rules, accept, decline, expire); a
participant's own booking of an accepted request; cancelling and locking meetings; table check-in;
outcomes. The scheduler's writes (slot grid, runs, drafts, publishing) are in scheduling/services.py.

No double booking, whoever writes: "one meeting per person per slot" and "one per table per slot"
are partial unique indexes. On top of them, every writer that creates meetings first locks the
profile rows involved, in primary-key order (the scheduler locks all the edition's profiles), so
a participant's booking and the scheduler's write queue up instead of colliding: the one that
comes second sees what the first wrote, and skips (the scheduler) or refuses (the booking) a
conflicting meeting. A write that bypasses the locks still cannot double-book: the index makes it fail.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exhibitors.models import WebhookEvent
from expo.registration.models import Attendee
from expo.registration.services import attendee_email

from . import selectors
from .exhibitor_api import meetings_webhooks_send
from .models import ROLE_FROM_ORGANIZATION_KIND, Meeting, MeetingRequest, MeetingSeat, Profile, Slot, Table

logger = logging.getLogger(__name__)

# Check-in at a table is accepted from this long before the slot starts to this long after it ends.
CHECKIN_EARLY = timedelta(minutes=15)
CHECKIN_LATE = timedelta(minutes=10)


def profiles_lock(ids) -> None:
    """Lock profile rows in primary-key order (the same order everywhere, so no deadlock)."""
    list(Profile.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# Emails ---------------------------------------------------------------------------------------

# The subject of each B2B email (English source, translated when sent; see expo.mail).
EMAIL_SUBJECTS = {
    "request_received": gettext_noop("New B2B meeting request at %(event_name)s"),
    "request_accepted": gettext_noop("Your B2B meeting request at %(event_name)s was accepted"),
    "meetings_published": gettext_noop("Your B2B meeting agenda for %(event_name)s is ready"),
    "meeting_cancelled": gettext_noop("A B2B meeting at %(event_name)s was cancelled"),
    "meeting_booked": gettext_noop("A B2B meeting was booked with you at %(event_name)s"),
}


def participant_email(kind: str, attendee: Attendee, context: dict | None = None) -> None:
    """Queue a B2B email to a participant, in their language, after the commit."""
    attendee_email(attendee=attendee, template=f"networking/email/{kind}", subject=EMAIL_SUBJECTS[kind],
                   context=context)  # fmt: skip


# Profiles -------------------------------------------------------------------------------------


def profile_new(*, attendee: Attendee) -> Profile:
    """An unsaved B2B profile with what the registration says (role, language, interests as needs
    once saved); the profile page starts from it and `profile_update` saves it."""
    return Profile(
        event_id=attendee.event_id, attendee=attendee,
        role=ROLE_FROM_ORGANIZATION_KIND.get(attendee.organization_kind, Profile.Role.SERVICE_PROVIDER),
        languages=[attendee.language[:2]],
    )  # fmt: skip


def profile_update(
    *,
    profile: Profile,
    role: str,
    offers,
    needs,
    certifications,
    languages: list[str],
    availability,
    max_meetings: int,
) -> Profile:
    """Save what a participant says about themselves (creating the profile the first time).
    Availability only within opening hours."""
    if not selectors.attendee_is_participant(profile.attendee):
        raise ValidationError(_("Your pass does not include B2B meetings."))
    open_ids = set(selectors.open_slots(event=profile.event).values_list("pk", flat=True))
    if any(slot.pk not in open_ids for slot in availability):
        raise ValidationError({"availability": _("Choose times when the networking spaces are open.")})
    if not 1 <= max_meetings <= 30:
        raise ValidationError({"max_meetings": _("Choose between 1 and 30 meetings.")})
    with transaction.atomic():
        profile.role = role
        profile.languages = list(languages)
        profile.max_meetings = max_meetings
        profile.full_clean(exclude=["event", "attendee", "organization"])
        profile.save()
        profile.offers.set(offers)
        profile.needs.set(needs)
        profile.certifications.set(certifications)
        profile.availability.set(availability)
        transaction.on_commit(lambda: selectors.scoring_changed(event_id=profile.event_id))
    return profile


# Meeting requests -----------------------------------------------------------------------------


def meeting_request_send(
    *, sender: Profile, recipient: Profile, message: str = "", at: datetime | None = None
) -> MeetingRequest:
    """Ask another participant for a meeting; they get an email. One open request per pair."""
    now = _now(at)
    if sender.pk == recipient.pk:
        raise ValidationError(_("You cannot send a meeting request to yourself."))
    if sender.event_id != recipient.event_id:
        raise ValidationError(_("This person takes part in another edition."))
    if sender.organization_id and sender.organization_id == recipient.organization_id:
        raise ValidationError(_("You cannot request a meeting with someone from your own organization."))
    if not selectors.participants(event=sender.event).filter(pk=recipient.pk).exists():
        raise ValidationError(_("This person is not taking B2B meetings."))
    if len(message) > 1000:
        raise ValidationError({"message": _("Keep the message under 1,000 characters.")})
    with transaction.atomic():
        profiles_lock([sender.pk, recipient.pk])  # serializes quota counts and duplicate checks
        between = MeetingRequest.objects.filter(
            Q(sender=sender, recipient=recipient) | Q(sender=recipient, recipient=sender)
        )
        if between.filter(status=MeetingRequest.Status.PENDING, sender=recipient, expires_at__gt=now).exists():
            raise ValidationError(_("This person already sent you a request: accept it on your requests page."))
        if between.filter(
            Q(status=MeetingRequest.Status.ACCEPTED) | Q(status=MeetingRequest.Status.PENDING, expires_at__gt=now)
        ).exists():
            raise ValidationError(_("You already have a request with this person."))
        if between.filter(status=MeetingRequest.Status.DECLINED).exists():
            raise ValidationError(_("This person declined an earlier request; you cannot ask again."))
        quota = selectors.request_quota(profile=sender)
        if selectors.requests_sent_on(profile=sender, day=timezone.localdate(now)) >= quota:
            raise ValidationError(
                _("You have reached your limit of %(quota)d requests for today. Try again tomorrow.") % {"quota": quota}
            )
        # An expired request that the periodic task has not marked yet would block the new one.
        between.filter(status=MeetingRequest.Status.PENDING).update(status=MeetingRequest.Status.EXPIRED)
        hours = selectors.networking_settings(event=sender.event).request_expiry_hours
        request = MeetingRequest.objects.create(
            event_id=sender.event_id, sender=sender, recipient=recipient, message=message.strip(),
            created_at=now, expires_at=now + timedelta(hours=hours),
        )  # fmt: skip
        participant_email("request_received", recipient.attendee, {
                "other_name": sender.attendee.full_name,
                "other_organization": sender.attendee.organization_name,
                "message": request.message,
                "expires_at": request.expires_at.isoformat(),
        })  # fmt: skip
    return request


def _request_answerable(request: MeetingRequest, by: Profile, now: datetime) -> MeetingRequest | None:
    """The request locked for an answer; None when it has just expired (marked so here)."""
    request = MeetingRequest.objects.select_for_update().select_related("sender__attendee").get(pk=request.pk)
    if request.recipient_id != by.pk:
        raise ValidationError(_("Only the person who received this request can answer it."))
    if request.status != MeetingRequest.Status.PENDING:
        raise ValidationError(_("This request was already answered or withdrawn."))
    if request.expires_at and request.expires_at <= now:
        request.status = MeetingRequest.Status.EXPIRED
        request.save(update_fields=["status"])
        return None
    return request


def _expired() -> ValidationError:
    return ValidationError(_("This request has expired."))


def meeting_request_accept(*, request: MeetingRequest, by: Profile, at: datetime | None = None) -> MeetingRequest:
    """Accept a request: the scheduler then treats the pair as a must; the sender gets an email."""
    now = _now(at)
    with transaction.atomic():
        request = _request_answerable(request, by, now)
        if request is None:
            expired = True
        else:
            expired = False
            request.status = MeetingRequest.Status.ACCEPTED
            request.responded_at = now
            request.save(update_fields=["status", "responded_at"])
            participant_email("request_accepted", request.sender.attendee, {
                "request_id": request.pk,
                "other_name": by.attendee.full_name, "other_organization": by.attendee.organization_name,
            })  # fmt: skip
    if expired:  # raised after the commit, so that the request stays marked expired
        raise _expired()
    return request


def meeting_request_decline(*, request: MeetingRequest, by: Profile, at: datetime | None = None) -> MeetingRequest:
    """Decline a request: the pair is never proposed again. No email (a quiet no)."""
    now = _now(at)
    with transaction.atomic():
        request = _request_answerable(request, by, now)
        if request is not None:
            request.status = MeetingRequest.Status.DECLINED
            request.responded_at = now
            request.save(update_fields=["status", "responded_at"])
    if request is None:
        raise _expired()
    return request


def meeting_requests_expire(*, at: datetime | None = None) -> int:
    """Mark pending requests past their expiry as expired (periodic). Returns how many."""
    with transaction.atomic():
        return MeetingRequest.objects.filter(status=MeetingRequest.Status.PENDING, expires_at__lte=_now(at)).update(
            status=MeetingRequest.Status.EXPIRED
        )


# Meetings -------------------------------------------------------------------------------------


def meeting_book(*, request: MeetingRequest, slot: Slot, by: Profile) -> Meeting:
    """A participant books an accepted request into a slot; the meeting is published at once.

    Takes the first free table of a space open in that slot. Raises ValidationError when the slot
    is no longer free for either of them or every table is taken (someone, or the scheduler, was
    quicker). The other participant gets an email (in their language) with the time, the table
    and the meeting as an .ics attachment.
    """
    if by.pk not in (request.sender_id, request.recipient_id):
        raise ValidationError(_("This request is not yours."))
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be booked."))
    if slot.event_id != request.event_id or slot.start <= timezone.now():
        raise ValidationError(_("Choose a time that is still to come."))
    pair = [request.sender_id, request.recipient_id]
    with transaction.atomic():
        profiles_lock(pair)
        profiles = Profile.objects.select_related("event", "attendee").in_bulk(pair)
        live = Meeting.objects.live()
        met = MeetingSeat.objects.filter(meeting__in=live, profile_id=pair[0]).filter(
            meeting__seats__profile_id=pair[1]
        )
        if met.exists():
            raise ValidationError(_("You already have a meeting with this person."))
        for profile in profiles.values():
            if slot.pk not in selectors.profile_slots(profile=profile):
                raise ValidationError(_("%(name)s is not available at that time.") % {"name": profile})
            if MeetingSeat.objects.filter(profile=profile, slot=slot, is_active=True).exists():
                raise ValidationError(_("%(name)s already has a meeting at that time.") % {"name": profile})
            if MeetingSeat.objects.filter(profile=profile, meeting__in=live).count() >= profile.max_meetings:
                raise ValidationError(_("%(name)s has no meetings left.") % {"name": profile})
        used = live.filter(slot=slot).values_list("table_id", flat=True)
        tables = (
            Table.objects.filter(space__slots=slot)
            .exclude(pk__in=list(used))
            .select_related("space")
            .order_by("space__code", "number")
        )
        score = selectors.pair_reasons(profile=profiles[pair[0]], other=profiles[pair[1]]).value
        for table in tables:
            try:
                with transaction.atomic():
                    meeting = Meeting.objects.create(
                        event_id=request.event_id, slot=slot, table=table, request=request,
                        status=Meeting.Status.PUBLISHED, score=score,
                    )  # fmt: skip
                    MeetingSeat.objects.bulk_create(
                        [MeetingSeat(meeting=meeting, profile_id=pk, slot=slot) for pk in pair]
                    )
            except IntegrityError as exc:
                if "seat" in str(exc).lower():  # a person, not the table: a writer that bypassed the locks
                    raise ValidationError(_("One of you already has a meeting at that time.")) from None
                continue  # the table was just taken: try the next one
            # Exhibitor webhooks (networking/exhibitor_api.py), written in this transaction.
            meetings_webhooks_send(meeting_ids=[meeting.pk], event_type=WebhookEvent.MEETING_SCHEDULED)
            _meeting_booked_email(meeting=meeting, table=table, booker=profiles[by.pk],
                                  other=profiles[pair[1] if by.pk == pair[0] else pair[0]])  # fmt: skip
            return meeting
        raise ValidationError(_("Every table is taken at that time. Choose another time."))


def _meeting_booked_email(*, meeting: Meeting, table: Table, booker: Profile, other: Profile) -> None:
    """Tell the other participant of a booking; the .ics is attached when the email is sent."""
    participant_email("meeting_booked", other.attendee, {
        "meeting_id": meeting.pk,
        "other_name": booker.attendee.full_name,
        "other_organization": booker.attendee.organization_name,
        "start_at": meeting.slot.start.isoformat(),
        "end_at": meeting.slot.end.isoformat(),
        "table": str(table),
    })  # fmt: skip


def meeting_cancel(*, meeting: Meeting, by: Profile | None = None, notify_by: bool = True) -> Meeting:
    """Cancel a meeting and free its seats and table. A published one: both sides get an email
    (`notify_by=False`: not the one who cancels, e.g. someone cancelling their registration).

    `by` is the participant who cancels (None: organizers); a pair a participant cancelled is never
    proposed again by the scheduler, while one organizers cancelled may be rescheduled.
    """
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("slot", "table__space").get(pk=meeting.pk)
        seats = list(meeting.seats.select_related("profile__attendee"))
        if by is not None and by.pk not in {s.profile_id for s in seats}:
            raise ValidationError(_("This meeting is not yours."))
        if meeting.status == Meeting.Status.CANCELLED:
            return meeting
        was_published = meeting.status == Meeting.Status.PUBLISHED
        meeting.status = Meeting.Status.CANCELLED
        meeting.cancelled_at = timezone.now()
        meeting.cancelled_by = by
        meeting.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        meeting.seats.update(is_active=False)
        if by is not None and meeting.request_id:
            MeetingRequest.objects.filter(pk=meeting.request_id).update(status=MeetingRequest.Status.WITHDRAWN)
        if was_published:
            # Exhibitor webhooks (networking/exhibitor_api.py), written in this transaction.
            meetings_webhooks_send(meeting_ids=[meeting.pk], event_type=WebhookEvent.MEETING_CANCELLED)
            for seat in seats:
                if not notify_by and by is not None and seat.profile_id == by.pk:
                    continue
                other = next((s.profile for s in seats if s.pk != seat.pk), None)
                participant_email("meeting_cancelled", seat.profile.attendee, {
                    "meeting_id": meeting.pk,
                    "other_name": other.attendee.full_name if other else "",
                    "start_at": meeting.slot.start.isoformat(),
                    "end_at": meeting.slot.end.isoformat(),
                    "space": meeting.table.space.name,
                    "table": str(meeting.table),
                })  # fmt: skip
    return meeting


def participant_registration_cancelled(*, attendee: Attendee, at: datetime) -> None:
    """A participant's registration was cancelled (registered with expo.registration's cancel
    handlers): their live meetings are cancelled, the other side is emailed, the calendar feeds show
    them cancelled, and their open requests are withdrawn. Runs inside the cancellation's transaction."""
    profile = Profile.objects.filter(attendee=attendee).first()
    if profile is None:
        return
    for meeting in Meeting.objects.live().filter(seats__profile=profile).order_by("pk"):
        meeting_cancel(meeting=meeting, by=profile, notify_by=False)
    MeetingRequest.objects.filter(Q(sender=profile) | Q(recipient=profile)).filter(
        status__in=[MeetingRequest.Status.PENDING, MeetingRequest.Status.ACCEPTED]
    ).update(status=MeetingRequest.Status.WITHDRAWN)
    transaction.on_commit(lambda: selectors.scoring_changed(event_id=attendee.event_id))


def meeting_lock(*, meeting: Meeting, locked: bool = True) -> Meeting:
    """Lock a meeting so that re-runs of the scheduler keep it where it is (or unlock it)."""
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).live().update(is_locked=locked)
    meeting.refresh_from_db()
    return meeting


# Table check-in and outcomes ------------------------------------------------------------------


def meeting_checkin(*, profile: Profile, table: Table, at: datetime | None = None) -> MeetingSeat:
    """Check a participant in to their meeting at this table now (or in the slot about to start).

    Idempotent: a second scan keeps the first time.
    """
    now = _now(at)
    with transaction.atomic():
        seat = (
            MeetingSeat.objects.select_for_update()
            .select_related("meeting__slot", "meeting__table__space")
            .filter(
                profile=profile,
                is_active=True,
                meeting__table=table,
                meeting__status=Meeting.Status.PUBLISHED,
                meeting__slot__start__lte=now + CHECKIN_EARLY,
                meeting__slot__end__gte=now - CHECKIN_LATE,
            )  # fmt: skip
            .order_by("meeting__slot__start")
            .first()
        )
        if seat is None:
            raise ValidationError(_("You have no meeting at this table now."))
        if seat.checked_in_at is None:
            seat.checked_in_at = now
            seat.save(update_fields=["checked_in_at"])
    return seat


def meeting_outcome_record(
    *,
    seat: MeetingSeat,
    took_place: bool,
    feedback: str = "",
    deal_value: Decimal | None = None,
    at: datetime | None = None,
) -> MeetingSeat:
    """One side says whether the meeting took place, how it went and what deal it may bring (MXN)."""
    now = _now(at)
    if seat.meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("Only a published meeting can be confirmed."))
    if seat.meeting.slot.start > now:
        raise ValidationError(_("You can confirm a meeting once it has started."))
    if deal_value is not None and deal_value < 0:
        raise ValidationError({"deal_value": _("The deal value cannot be negative.")})
    with transaction.atomic():
        seat.took_place = took_place
        seat.feedback = feedback.strip()[:2000]
        seat.deal_value = deal_value if took_place else None
        seat.answered_at = now
        seat.save(update_fields=["took_place", "feedback", "deal_value", "answered_at"])
    return seat
