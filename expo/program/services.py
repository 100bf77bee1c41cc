"""Writes of the program, each with its rules, in one transaction.

- Sessions: organizers move or cancel them (`session_save`, `session_move`, `session_cancel`): the
  iCalendar SEQUENCE grows, the people booked are emailed, a raised capacity goes to the waitlist.
- A visitor's agenda: save a session, enroll (the session row is locked, so simultaneous requests
  queue and the seats are never exceeded), join the waitlist when it is full, accept or decline a
  freed seat before its deadline; `enrollment_offers_expire` passes unanswered offers on.
- Room scans at the door of a session, idempotent, recomputing the visitor's time present.
- Certificates of training hours: issue (kept as issued), revoke, and issue in a batch.
"""

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from expo.events.models import Event, Room
from expo.registration.models import Attendee
from expo.registration.selectors import badge_holder
from expo.registration.services import attendee_email

from . import selectors, tasks
from .agenda import AgendaItem, clashes_with
from .attendance import presence
from .dc3 import curp_clean, occupation_clean, rfc_clean
from .models import (
    Attendance,
    CalendarFeed,
    Certificate,
    CertificateBatch,
    Dc3Details,
    Enrollment,
    RoomScan,
    SavedSession,
    Session,
    Speaker,
)
from .search import session_search_text

logger = logging.getLogger(__name__)


# Emails ---------------------------------------------------------------------------------------

EMAIL_SUBJECTS = {
    "enrolled": gettext_noop("You are enrolled: %(session_title)s"),
    "waitlisted": gettext_noop("You are on the waitlist: %(session_title)s"),
    "seat_offered": gettext_noop("A seat freed up for you: %(session_title)s"),
    "offer_expired": gettext_noop("The seat offered to you has passed on: %(session_title)s"),
    "session_moved": gettext_noop("Changed time or room: %(session_title)s"),
    "session_cancelled": gettext_noop("Cancelled: %(session_title)s"),
    "certificate_issued": gettext_noop("Your certificate of training hours from %(event_name)s"),
}


def program_email(kind: str, attendee: Attendee, context: dict | None = None) -> None:
    """Queue a program email to a registered person, in their language (sent after the commit)."""
    attendee_email(attendee=attendee, template=f"program/email/{kind}", subject=EMAIL_SUBJECTS[kind],
                   context=context or {})  # fmt: skip


# Search text ----------------------------------------------------------------------------------


def session_search_refresh(*, session_ids) -> int:
    """Rewrite the accent-free search text of these sessions from their title, abstract, speakers and
    track (three queries, whatever the number). Every write that changes any of those calls it."""
    sessions = list(
        Session.objects.filter(pk__in=list(session_ids)).select_related("track").prefetch_related("speakers")
    )
    for session in sessions:
        tracks = [session.track.name_es, session.track.name_en] if session.track else []
        session.search_text = session_search_text(
            title=session.title, abstract=session.abstract,
            speakers=[(s.name, f"{s.affiliation} {s.position}") for s in session.speakers.all()], tracks=tracks,
        )  # fmt: skip
    Session.objects.bulk_update(sessions, ["search_text"], batch_size=500)
    return len(sessions)


def speaker_save(*, speaker: Speaker) -> Speaker:
    """Save a speaker and the search text of their sessions (a renamed speaker is found by the new name)."""
    with transaction.atomic():
        speaker.save()
        session_search_refresh(session_ids=speaker.sessions.values_list("pk", flat=True))
    return speaker


def track_sessions_refresh(*, track_id: int) -> int:
    return session_search_refresh(session_ids=Session.objects.filter(track_id=track_id).values_list("pk", flat=True))


# Sessions: organizers' changes ----------------------------------------------------------------

CALENDAR_FIELDS = ("start", "end", "room_id", "status", "title")


def _booked(session: Session):
    return Enrollment.objects.filter(session=session).active().select_related("attendee")


def session_save(
    *, session: Session, previous: Session | None = None, speakers=None, at: datetime | None = None
) -> Session:
    """Create or change a session, with what follows from the change.

    `previous` is the session as it was (None for a new one). A change of time or room emails the
    people booked (enrolled, offered a seat, waiting); a cancellation emails them too; either makes
    the iCalendar SEQUENCE grow. A capacity lowered under the seats taken is refused; a raised one
    offers the new seats to the waitlist.
    """
    at = at or timezone.now()
    if session.enrollment_required and session.capacity is None:
        raise ValidationError({"capacity": _("A session that takes enrollments needs a capacity.")})
    with transaction.atomic():
        if previous is not None:
            locked = Session.objects.select_for_update().get(pk=session.pk)
            session.enrolled_count = locked.enrolled_count
            if session.capacity is not None and session.capacity < locked.enrolled_count:
                raise ValidationError({"capacity": _(
                    "%(taken)s seats are taken: the capacity cannot be lower. Cancel enrollments first."
                ) % {"taken": locked.enrolled_count}})  # fmt: skip
        calendar_changed = previous is not None and any(
            getattr(previous, name) != getattr(session, name) for name in CALENDAR_FIELDS
        )
        if calendar_changed:
            session.sequence = (previous.sequence or 0) + 1
        session.updated_at = at
        session.save()
        if speakers is not None:
            session.speakers.set(speakers)
        session_search_refresh(session_ids=[session.pk])
        if previous is None:
            return session
        cancelled_now = session.is_cancelled and not previous.is_cancelled
        moved = (previous.start, previous.end, previous.room_id) != (session.start, session.end, session.room_id)
        if cancelled_now:
            for enrollment in _booked(session):
                program_email("session_cancelled", enrollment.attendee, {"session_id": session.pk})
        elif moved and not session.is_cancelled:
            context = {"session_id": session.pk, "previous_start_at": previous.start.isoformat(),
                       "previous_end_at": previous.end.isoformat(), "previous_room": previous.room.name_es,
                       "previous_room_en": previous.room.name_en}  # fmt: skip
            for enrollment in _booked(session):
                program_email("session_moved", enrollment.attendee, context)
        if session.enrollment_required and not session.is_cancelled:
            _seats_offer(session, at=at)
    return session


def _previous(session: Session) -> Session:
    return Session.objects.select_related("room").get(pk=session.pk)


def session_move(*, session: Session, start: datetime, end: datetime, room: Room | None = None) -> Session:
    """Move a session to another time (and room); the people booked are emailed, calendars update."""
    previous = _previous(session)
    session.start, session.end = start, end
    if room is not None:
        session.room = room
    return session_save(session=session, previous=previous)


def session_cancel(*, session: Session) -> Session:
    """Cancel a session: it stays in the program and in calendars as cancelled; the people booked are emailed."""
    previous = _previous(session)
    session.status = Session.Status.CANCELLED
    return session_save(session=session, previous=previous)


# A visitor's agenda ---------------------------------------------------------------------------


def _check_visitor(session: Session, attendee: Attendee) -> None:
    if attendee.event_id != session.event_id:
        raise ValidationError(_("This session is not part of your edition."))
    if attendee.status != Attendee.Status.CONFIRMED:
        raise ValidationError(_("Your registration is not confirmed yet: you can book sessions once it is."))


def saved_session_add(*, attendee: Attendee, session: Session) -> SavedSession:
    """Put a session in "My agenda". Saving twice keeps one."""
    _check_visitor(session, attendee)
    saved, _created = SavedSession.objects.get_or_create(attendee=attendee, session=session)
    return saved


def saved_session_remove(*, attendee: Attendee, session: Session) -> None:
    SavedSession.objects.filter(attendee=attendee, session=session).delete()


class EnrollmentClash(ValidationError):
    """Enrolling would overlap other things in the visitor's agenda; `clashes` lists them."""

    def __init__(self, clashes: list[AgendaItem]):
        self.clashes = clashes
        super().__init__(_("This session overlaps other things in your agenda."), code="clash")


def enrollment_create(
    *, attendee: Attendee, session: Session, clashes_accepted: bool = False, at: datetime | None = None
) -> Enrollment:
    """Book a seat in a session that needs one, or a place on its waitlist when it is full.

    Asking again changes nothing. Unless `clashes_accepted`, an overlap with another session or a B2B
    meeting in the visitor's agenda raises EnrollmentClash, so the page can say so and ask. The
    session row is locked, so simultaneous requests queue: the seats are never exceeded (the check
    constraint on `enrolled_count` holds it even for a write that bypasses this).
    """
    at = at or timezone.now()
    _check_visitor(session, attendee)
    if not session.enrollment_required:
        raise ValidationError(_("This session needs no enrollment: just come in. You can save it to your agenda."))
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled."))
    if at >= session.start:
        raise ValidationError(_("Enrollment closed when the session started."))
    current = Enrollment.objects.filter(attendee=attendee, session=session).active().first()
    if current is not None:
        return current
    if not clashes_accepted:
        clashes = clashes_with(selectors.agenda_for(attendee=attendee).items, session.start, session.end,
                               ignore_uid=selectors.SESSION_UID.format(session.pk))  # fmt: skip
        if clashes:
            raise EnrollmentClash(clashes)
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        enrollment = Enrollment.objects.select_for_update().filter(attendee=attendee, session=locked).first()
        if enrollment is not None and enrollment.status in (Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED,
                                                            Enrollment.Status.WAITLISTED):  # fmt: skip
            return enrollment
        enrollment = enrollment or Enrollment(attendee=attendee, session=locked, created_at=at)
        seated = _seat_take(locked)
        enrollment.status = Enrollment.Status.ENROLLED if seated else Enrollment.Status.WAITLISTED
        enrollment.waitlisted_at = None if seated else at
        enrollment.offered_at = enrollment.offer_expires_at = None
        enrollment.updated_at = at
        enrollment.save()
        program_email("enrolled" if seated else "waitlisted", attendee, {"session_id": locked.pk})
    session.enrolled_count = locked.enrolled_count
    return enrollment


def _seat_take(session: Session) -> bool:
    """Take a seat of a locked session; False when it is full."""
    if session.capacity is not None and session.enrolled_count >= session.capacity:
        return False
    Session.objects.filter(pk=session.pk).update(enrolled_count=F("enrolled_count") + 1)
    session.enrolled_count += 1
    return True


def _seat_release(session: Session) -> None:
    Session.objects.filter(pk=session.pk).update(enrolled_count=F("enrolled_count") - 1)
    session.enrolled_count -= 1


def _seats_offer(session: Session, *, at: datetime) -> list[Enrollment]:
    """Offer the free seats of a locked session to its waitlist, first come first served.

    The seat is held for the person (it counts as taken) until they accept, decline, or the
    deadline passes: the edition's `offer_hours`, but never past the session's start.
    """
    if session.is_cancelled or at >= session.start:
        return []
    deadline = min(at + timedelta(hours=selectors.program_settings(event=session.event).offer_hours), session.start)
    offered = []
    for enrollment in (
        Enrollment.objects.waiting().select_for_update(of=("self",)).filter(session=session).select_related("attendee")
    ):
        if not _seat_take(session):
            break
        enrollment.status = Enrollment.Status.OFFERED
        enrollment.offered_at, enrollment.offer_expires_at, enrollment.updated_at = at, deadline, at
        enrollment.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        program_email("seat_offered", enrollment.attendee,
                      {"session_id": session.pk, "offer_expires_at": deadline.isoformat()})  # fmt: skip
        offered.append(enrollment)
    return offered


def _lock(enrollment: Enrollment) -> tuple[Session, Enrollment]:
    session = Session.objects.select_for_update(of=("self",)).select_related("event").get(pk=enrollment.session_id)
    return session, Enrollment.objects.select_for_update(of=("self",)).select_related("attendee").get(pk=enrollment.pk)


def enrollment_cancel(*, enrollment: Enrollment, at: datetime | None = None) -> Enrollment:
    """Give up a seat, an offer or a place on the waitlist; a freed seat goes to the next person waiting."""
    at = at or timezone.now()
    with transaction.atomic():
        session, enrollment = _lock(enrollment)
        if enrollment.status not in (Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED,
                                     Enrollment.Status.WAITLISTED):  # fmt: skip
            return enrollment
        held_seat = enrollment.status in (Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED)
        enrollment.status, enrollment.updated_at = Enrollment.Status.CANCELLED, at
        enrollment.save(update_fields=["status", "updated_at"])
        if held_seat:
            _seat_release(session)
            _seats_offer(session, at=at)
    return enrollment


def enrollment_offer_accept(*, enrollment: Enrollment, at: datetime | None = None) -> Enrollment:
    """Take the seat offered from the waitlist, before its deadline."""
    at = at or timezone.now()
    with transaction.atomic():
        session, enrollment = _lock(enrollment)
        if enrollment.status == Enrollment.Status.ENROLLED:
            return enrollment
        if enrollment.status != Enrollment.Status.OFFERED or at >= enrollment.offer_expires_at:
            raise ValidationError(_("This offer is no longer open: the seat has passed on to the next person waiting."))
        enrollment.status, enrollment.updated_at = Enrollment.Status.ENROLLED, at
        enrollment.save(update_fields=["status", "updated_at"])
        program_email("enrolled", enrollment.attendee, {"session_id": session.pk})
    return enrollment


def enrollment_offer_decline(*, enrollment: Enrollment, at: datetime | None = None) -> Enrollment:
    return enrollment_cancel(enrollment=enrollment, at=at)


def enrollment_offers_expire(*, at: datetime | None = None) -> int:
    """Offers past their deadline pass on: the seat goes to the next person waiting (periodic task)."""
    at = at or timezone.now()
    expired = 0
    for pk, session_id in list(Enrollment.objects.offers_expired(at).values_list("pk", "session_id")[:500]):
        with transaction.atomic():
            session, enrollment = _lock(Enrollment(pk=pk, session_id=session_id))
            if enrollment.status != Enrollment.Status.OFFERED or enrollment.offer_expires_at > at:
                continue  # accepted or declined meanwhile
            enrollment.status, enrollment.updated_at = Enrollment.Status.EXPIRED, at
            enrollment.save(update_fields=["status", "updated_at"])
            _seat_release(session)
            program_email("offer_expired", enrollment.attendee, {"session_id": session.pk})
            _seats_offer(session, at=at)
            expired += 1
    return expired


def enrollments_release_for(*, attendee: Attendee, at: datetime | None = None) -> int:
    """Free every seat, offer and waitlist place of a registration (called when it is cancelled)."""
    released = 0
    for enrollment in list(Enrollment.objects.filter(attendee=attendee).active()):
        enrollment_cancel(enrollment=enrollment, at=at)
        released += 1
    return released


def calendar_feed_reset(*, attendee: Attendee) -> CalendarFeed:
    """A new subscription URL for the visitor's calendar: every URL given out before stops working."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(attendee=attendee)
        feed.version = (feed.version or 1) + 1
        feed.reset_at = timezone.now()
        feed.save(update_fields=["version", "reset_at"])
    return feed


# Room scans -----------------------------------------------------------------------------------

REPEAT_WINDOW = timedelta(minutes=2)


class ScanResult:
    """What the room scanner shows. `outcome`: in, out, already, or why nothing was recorded."""

    RECORDED = {"in", "out", "already"}

    def __init__(self, outcome: str, *, attendee=None, session=None, other=None, attendance=None):
        self.outcome, self.attendee, self.session, self.other, self.attendance = (
            outcome, attendee, session, other, attendance)  # fmt: skip

    @property
    def recorded(self) -> bool:
        return self.outcome in self.RECORDED


def room_scan_record(
    *,
    event: Event,
    code: str,
    direction: str,
    session: Session | None = None,
    room: Room | None = None,
    user=None,
    device: str = "",
    at: datetime | None = None,
) -> ScanResult:
    """A badge read at a room door, on entry or exit, for `session` (or the session in `room` at the time).

    Idempotent: the same scan sent twice (an offline scanner syncing) is one row, and the same
    direction read again within two minutes is reported as already recorded. A badge of someone
    enrolled elsewhere at that time, not enrolled in a workshop, or read far outside the session's
    time is refused with the reason. `at` is when the badge was read, for offline scans.
    """
    at = at or timezone.now()
    if direction not in RoomScan.Direction.values:
        raise ValidationError({"direction": _("Choose entry or exit.")})
    holder = badge_holder(event=event, code=code)
    if not holder.valid:
        return ScanResult(holder.outcome, attendee=holder.attendee)
    attendee = holder.attendee
    margin = timedelta(minutes=selectors.program_settings(event=event).scan_margin_minutes)
    if session is None:
        if room is None:
            raise ValidationError({"session": _("Choose the session or the room.")})
        session = selectors.session_in_room_at(event=event, room_id=room.pk, at=at, margin=margin)
        if session is None:
            return ScanResult("no_session", attendee=attendee)
    if session.event_id != event.pk:
        raise ValidationError({"session": _("This session is not part of the edition.")})
    if room is not None and session.room_id != room.pk:
        return ScanResult("wrong_room", attendee=attendee, session=session)
    if session.is_cancelled:
        return ScanResult("session_cancelled", attendee=attendee, session=session)
    if not (session.start - margin <= at <= session.end + margin):
        return ScanResult("outside_window", attendee=attendee, session=session)
    if session.enrollment_required:
        mine = Enrollment.objects.filter(session=session, attendee=attendee, status=Enrollment.Status.ENROLLED)
        if not mine.exists():
            elsewhere = (
                Enrollment.objects.filter(attendee=attendee, status=Enrollment.Status.ENROLLED)
                .filter(session__start__lt=session.end, session__end__gt=session.start)
                .exclude(session=session).select_related("session__room").first()
            )  # fmt: skip
            if elsewhere is not None:
                return ScanResult("wrong_room", attendee=attendee, session=session, other=elsewhere.session)
            return ScanResult("not_enrolled", attendee=attendee, session=session)
    with transaction.atomic():
        repeat = RoomScan.objects.filter(
            session=session, attendee=attendee, direction=direction,
            scanned_at__gte=at - REPEAT_WINDOW, scanned_at__lte=at + REPEAT_WINDOW,
        ).exists()  # fmt: skip
        if repeat:
            return ScanResult(
                "already",
                attendee=attendee,
                session=session,
                attendance=Attendance.objects.filter(session=session, attendee=attendee).first(),
            )
        try:
            with transaction.atomic():
                RoomScan.objects.create(event=event, session=session, attendee=attendee, direction=direction,
                                        scanned_at=at, scanned_by=user, device=device[:60])  # fmt: skip
        except IntegrityError:  # the same scan, sent by another request first
            return ScanResult(
                "already",
                attendee=attendee,
                session=session,
                attendance=Attendance.objects.filter(session=session, attendee=attendee).first(),
            )
        attendance = attendance_recompute(session=session, attendee=attendee)
    return ScanResult(direction, attendee=attendee, session=session, attendance=attendance)


def attendance_recompute(*, session: Session, attendee: Attendee) -> Attendance:
    """Add up a visitor's time present in a session from all their scans there."""
    found = presence(selectors.room_scans_of(session=session, attendee=attendee), start=session.start, end=session.end)
    attendance, _created = Attendance.objects.update_or_create(
        session=session, attendee=attendee,
        defaults={"present_seconds": found.seconds, "share": found.share, "first_entry_at": found.first_entry,
                  "last_exit_at": found.last_exit, "updated_at": timezone.now()},
    )  # fmt: skip
    return attendance


# DC-3 details and certificates ----------------------------------------------------------------


def dc3_details_save(*, attendee: Attendee, curp: str = "", occupation: str = "", employer_name: str = "",
                     employer_rfc: str = "") -> Dc3Details:  # fmt: skip
    """Keep the optional DC-3 fields of a visitor, each checked by its format (expo/program/dc3.py)."""
    errors = {}
    cleaned = {"employer_name": employer_name.strip()}
    for name, value, clean in (("curp", curp, curp_clean), ("occupation", occupation, occupation_clean),
                               ("employer_rfc", employer_rfc, rfc_clean)):  # fmt: skip
        try:
            cleaned[name] = clean(value)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    details, _created = Dc3Details.objects.update_or_create(
        attendee=attendee, defaults={**cleaned, "updated_at": timezone.now()}
    )
    return details


def _certificate_content(attendee: Attendee) -> tuple[list[dict], Decimal, dict]:
    sessions = selectors.credited_sessions(attendee=attendee)
    lines = [{"session_id": s.pk, "title": s.title, "start": s.start.isoformat(), "end": s.end.isoformat(),
              "hours": str(s.training_hours), "room": s.room.name_es} for s in sessions]  # fmt: skip
    hours = sum((s.training_hours for s in sessions), Decimal(0))
    details = Dc3Details.objects.filter(attendee=attendee).first()
    dc3 = {}
    if details is not None and any((details.curp, details.occupation, details.employer_name, details.employer_rfc)):
        dc3 = {"curp": details.curp, "occupation": details.occupation, "employer_name": details.employer_name,
               "employer_rfc": details.employer_rfc, "job_title": attendee.job_title}  # fmt: skip
    return lines, hours, dc3


def certificate_issue(
    *, attendee: Attendee, batch: CertificateBatch | None = None, at: datetime | None = None
) -> tuple[Certificate | None, bool]:
    """Issue (or keep) a visitor's certificate of the hours they earned. Returns (certificate, new).

    A certificate says what was true when issued and never changes: if the credited sessions, the
    name or the DC-3 data changed since, the old one is revoked as replaced and a new one issued;
    if nothing changed, the current one stays. No credited hours: no certificate (and a current one
    is revoked). One valid certificate per person is a database constraint.
    """
    at = at or timezone.now()
    lines, hours, dc3 = _certificate_content(attendee)
    with transaction.atomic():
        Attendee.objects.select_for_update().filter(pk=attendee.pk).first()  # one issuer per person at a time
        current = Certificate.objects.select_for_update().filter(attendee=attendee, revoked_at__isnull=True).first()
        if (
            current is not None
            and hours > 0
            and (current.sessions, current.full_name, current.dc3) == (lines, attendee.full_name, dc3)
        ):
            return current, False
        if current is not None:
            reason = _("Replaced by a newer certificate") if hours > 0 else _("No credited hours any more")
            current.revoked_at, current.revoked_reason = at, reason
            current.save(update_fields=["revoked_at", "revoked_reason"])
        if hours <= 0:
            return None, False
        certificate = Certificate.objects.create(
            event_id=attendee.event_id, attendee=attendee, full_name=attendee.full_name, hours=hours,
            sessions=lines, dc3=dc3, issued_at=at, batch=batch,
        )  # fmt: skip
        program_email("certificate_issued", attendee, {"certificate_id": certificate.pk})
    return certificate, True


def certificate_revoke(*, certificate: Certificate, reason: str, at: datetime | None = None) -> Certificate:
    """Revoke a certificate: its verification page says so from now on."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is None:
            certificate.revoked_at = at or timezone.now()
            certificate.revoked_reason = reason.strip()[:300] or _("Revoked by the organizers")
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


# A batch still running this long after it started is dead: Celery's hard time limit (30 minutes)
# ends the task by then, and a worker killed mid-batch leaves it "running" with nobody at it.
BATCH_STALE_AFTER = timedelta(seconds=tasks.certificate_batch_run.time_limit) + timedelta(minutes=5)
# A batch still queued this long after it was asked for lost its task (the broker was down).
BATCH_REDISPATCH_AFTER = timedelta(minutes=1)
# Kept in English in the batch, shown translated (the certificates page translates the error).
BATCH_INTERRUPTED = gettext_noop(
    "Interrupted: the worker stopped during the batch. The certificates it issued are kept; start again for the rest."
)


def _batches_fail_stale(*, now: datetime, event: Event | None = None) -> int:
    """Running batches past any task's time limit were interrupted (a killed worker): say so, which
    also lets the organizers start another. The certificates they issued stay valid."""
    stale = CertificateBatch.objects.filter(
        status=CertificateBatch.Status.RUNNING, started_at__lt=now - BATCH_STALE_AFTER
    )
    if event is not None:
        stale = stale.filter(event=event)
    return stale.update(status=CertificateBatch.Status.FAILED, finished_at=now, error=BATCH_INTERRUPTED)


def certificate_batch_start(*, event: Event, user=None) -> CertificateBatch:
    """Queue the issuing of every certificate of an edition (a Celery task; one batch at a time).

    If the task cannot be queued (the broker is down), the batch stays queued and the periodic
    `certificate_batches_redispatch` queues it again once the broker is back.
    """
    _batches_fail_stale(now=timezone.now(), event=event)
    try:
        with transaction.atomic():
            batch = CertificateBatch.objects.create(event=event, requested_by=user)
    except IntegrityError:
        raise ValidationError(_("A batch is already running for this edition: wait for it to finish."))
    transaction.on_commit(lambda: _batch_dispatch(batch.pk))
    return batch


def _batch_dispatch(batch_id: int) -> bool:
    try:
        tasks.certificate_batch_run.delay(batch_id)
    except Exception as exc:  # broker unreachable: the batch waits, queued, for the periodic re-dispatch
        logger.warning("Certificate batch %s stays queued until the task queue is back: %s", batch_id, exc)
        return False
    return True


def certificate_batches_redispatch(*, at: datetime | None = None) -> int:
    """Periodic: queue again the batches still queued a minute after they were asked for (the broker
    was down), and fail those interrupted mid-run. Running a batch claims it first: queued twice, it runs once."""
    now = at or timezone.now()
    _batches_fail_stale(now=now)
    waiting = CertificateBatch.objects.filter(
        status=CertificateBatch.Status.QUEUED, created_at__lt=now - BATCH_REDISPATCH_AFTER
    ).values_list("pk", flat=True)
    return sum(_batch_dispatch(batch_id) for batch_id in list(waiting))


PROGRESS_EVERY = 20


def certificate_batch_run(*, batch_id: int) -> CertificateBatch | None:
    """Issue the certificates of a queued batch, saving progress as it goes. Safe to run twice."""
    claimed = CertificateBatch.objects.filter(pk=batch_id, status=CertificateBatch.Status.QUEUED).update(
        status=CertificateBatch.Status.RUNNING, started_at=timezone.now()
    )
    batch = CertificateBatch.objects.select_related("event").filter(pk=batch_id).first()
    if batch is None or not claimed:
        logger.info("Certificate batch %s is not queued (missing or already run)", batch_id)
        return batch
    try:
        attendees = list(selectors.attendees_with_credited_hours(event=batch.event).select_related("pass_type"))
        CertificateBatch.objects.filter(pk=batch.pk).update(total=len(attendees))
        done = issued = unchanged = 0
        for attendee in attendees:
            _certificate, new = certificate_issue(attendee=attendee, batch=batch)
            done += 1
            issued += int(new)
            unchanged += int(not new)
            if done % PROGRESS_EVERY == 0:
                CertificateBatch.objects.filter(pk=batch.pk).update(done=done, issued=issued, unchanged=unchanged)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            done=done, issued=issued, unchanged=unchanged, status=CertificateBatch.Status.DONE,
            finished_at=timezone.now(),
        )  # fmt: skip
    except Exception as exc:
        logger.exception("Certificate batch %s failed", batch_id)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )  # fmt: skip
    batch.refresh_from_db()
    return batch
