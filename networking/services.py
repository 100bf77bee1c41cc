"""Writes of B2B networking, each with its rules, inside a transaction.

Profiles; meeting requests (send with quota and duplicate rules, accept, decline, expire); a
participant's own booking of an accepted request; the scheduler's run (build the instance, call
the pure solver, write drafts in one transaction); publishing and cancelling meetings (services
other parts, such as exhibitor webhooks, can call); locking; table check-in; outcomes; the slot grid.

No double booking, whoever writes: "one meeting per person per slot" and "one per table per slot"
are partial unique indexes. On top of them, every writer that creates meetings first locks the
profile rows involved, in primary-key order (the scheduler locks all the edition's profiles), so
a participant's booking and the scheduler's write queue up instead of colliding: the one that
comes second sees what the first wrote, and skips (the scheduler) or refuses (the booking) a
conflicting meeting. A write that bypasses the locks still cannot double-book: the index makes it fail.
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from expo.models import Attendee, Event, OutboxEmail
from expo.services import outbox_enqueue

from . import selectors
from .models import (
    Meeting,
    MeetingRequest,
    MeetingSeat,
    NetworkingSpace,
    Profile,
    ScheduleRun,
    Slot,
    Table,
)
from .table_codes import InvalidTableCode, table_code_make, table_code_read

logger = logging.getLogger(__name__)

# Check-in at a table is accepted from this long before the slot starts to this long after it ends.
CHECKIN_EARLY = timedelta(minutes=15)
CHECKIN_LATE = timedelta(minutes=10)
# A run that gives no news for this long past its time limit is taken for dead (worker killed).
RUN_STALE_AFTER = timedelta(minutes=25)


def _profiles_lock(ids) -> None:
    """Lock profile rows in primary-key order (the same order everywhere, so no deadlock)."""
    list(Profile.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


# Profiles -------------------------------------------------------------------------------------

ROLE_FROM_ORGANIZATION_KIND = {
    "hospital": Profile.Role.HOSPITAL,
    "manufacturer": Profile.Role.MANUFACTURER,
    "supplier": Profile.Role.SUPPLIER,
    "distributor": Profile.Role.DISTRIBUTOR,
    "government": Profile.Role.GOVERNMENT,
    "academia": Profile.Role.ACADEMIA,
    "service_provider": Profile.Role.SERVICE_PROVIDER,
}


def profile_get_or_create(*, attendee: Attendee) -> Profile:
    """The B2B profile of a participant, created from the registration the first time."""
    if not selectors.attendee_is_participant(attendee):
        raise ValidationError(_("Your pass does not include B2B meetings."))
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(
            attendee=attendee,
            defaults={
                "event_id": attendee.event_id,
                "role": ROLE_FROM_ORGANIZATION_KIND.get(attendee.organization_kind, Profile.Role.SERVICE_PROVIDER),
                "languages": [attendee.language[:2]],
            },
        )
    return profile


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
    """Save what a participant says about themselves. Availability only within opening hours."""
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
    return profile


# Meeting requests -----------------------------------------------------------------------------


def request_quota(*, profile: Profile) -> int:
    """How many requests a participant may send per day: the quota of their role, or the default."""
    settings_ = selectors.networking_settings(event=profile.event)
    role_quota = settings_.role_quotas.filter(role=profile.role).values_list("daily_requests", flat=True).first()
    return settings_.daily_request_quota if role_quota is None else role_quota


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
        _profiles_lock([sender.pk, recipient.pk])  # serializes quota counts and duplicate checks
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
        quota = request_quota(profile=sender)
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
        outbox_enqueue(
            kind=OutboxEmail.Kind.B2B_REQUEST_RECEIVED,
            attendee=recipient.attendee,
            context={
                "other_name": sender.attendee.full_name,
                "other_organization": sender.attendee.organization_name,
                "message": request.message,
                "expires_at": request.expires_at.isoformat(),
            },
        )
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
            outbox_enqueue(
                kind=OutboxEmail.Kind.B2B_REQUEST_ACCEPTED,
                attendee=request.sender.attendee,
                context={"other_name": by.attendee.full_name, "other_organization": by.attendee.organization_name},
            )
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
    quicker).
    """
    if by.pk not in (request.sender_id, request.recipient_id):
        raise ValidationError(_("This request is not yours."))
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted request can be booked."))
    if slot.event_id != request.event_id or slot.start <= timezone.now():
        raise ValidationError(_("Choose a time that is still to come."))
    pair = [request.sender_id, request.recipient_id]
    with transaction.atomic():
        _profiles_lock(pair)
        profiles = Profile.objects.select_related("event").in_bulk(pair)
        live = Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
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
        tables = Table.objects.filter(space__slots=slot).exclude(pk__in=list(used)).order_by("space__code", "number")
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
                return meeting
            except IntegrityError as exc:
                if "seat" in str(exc).lower():  # a person, not the table: a writer that bypassed the locks
                    raise ValidationError(_("One of you already has a meeting at that time.")) from None
                continue  # the table was just taken: try the next one
        raise ValidationError(_("Every table is taken at that time. Choose another time."))


def meeting_cancel(*, meeting: Meeting, by: Profile | None = None) -> Meeting:
    """Cancel a meeting and free its seats and table. A published one: both sides get an email.

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
            for seat in seats:
                other = next((s.profile for s in seats if s.pk != seat.pk), None)
                outbox_enqueue(
                    kind=OutboxEmail.Kind.B2B_MEETING_CANCELLED,
                    attendee=seat.profile.attendee,
                    context={
                        "other_name": other.attendee.full_name if other else "",
                        "start_at": meeting.slot.start.isoformat(),
                        "space": meeting.table.space.name,
                        "table": str(meeting.table),
                    },
                )
    return meeting


def meeting_lock(*, meeting: Meeting, locked: bool = True) -> Meeting:
    """Lock a meeting so that re-runs of the scheduler keep it where it is (or unlock it)."""
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).exclude(status=Meeting.Status.CANCELLED).update(is_locked=locked)
    meeting.refresh_from_db()
    return meeting


def schedule_publish(*, event: Event) -> int:
    """Publish every draft meeting of an edition; each participant with new meetings gets an email.

    Returns how many meetings were published. Safe to call twice (the second publishes nothing).
    """
    with transaction.atomic():
        drafts = list(
            Meeting.objects.select_for_update()
            .filter(event=event, status=Meeting.Status.DRAFT)
            .values_list("pk", flat=True)
        )
        if not drafts:
            return 0
        Meeting.objects.filter(pk__in=drafts).update(status=Meeting.Status.PUBLISHED)
        per_profile = MeetingSeat.objects.filter(meeting_id__in=drafts).values("profile_id").annotate(n=Count("pk"))
        counts = {row["profile_id"]: row["n"] for row in per_profile}
        for attendee in Attendee.objects.filter(b2b_profile__in=list(counts)).select_related("b2b_profile"):
            outbox_enqueue(
                kind=OutboxEmail.Kind.B2B_MEETINGS_PUBLISHED,
                attendee=attendee,
                context={"count": counts[attendee.b2b_profile.pk]},
            )
    return len(drafts)


# Table check-in and outcomes ------------------------------------------------------------------


def table_key() -> bytes:
    """The key that signs table codes, derived from SECRET_KEY."""
    return salted_hmac("expo.table", "table-signing-key").digest()


def table_code(table: Table) -> str:
    return table_code_make(key=table_key(), event_id=table.space.event_id, table_id=table.pk)


def table_from_code(code: str) -> Table | None:
    try:
        payload = table_code_read(code, key=table_key())
    except InvalidTableCode:
        return None
    return Table.objects.select_related("space").filter(pk=payload.table_id, space__event_id=payload.event_id).first()


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


# Slot grid ------------------------------------------------------------------------------------


@dataclass
class SlotGridResult:
    created: int
    opened: int


def slot_grid_generate(
    *, space: NetworkingSpace, day: date, start: time, end: time, minutes: int = 20, tables: int | None = None
) -> SlotGridResult:
    """Open a space from `start` to `end` on `day` in rounds of `minutes`, creating missing slots.

    Slots are global rounds of the edition; an existing slot at the same time is reused, one that
    overlaps differently is an error. With `tables`, the space gets tables 1..tables.
    """
    if not 5 <= minutes <= 240:
        raise ValidationError({"minutes": _("A round lasts between 5 and 240 minutes.")})
    if end <= start:
        raise ValidationError({"end": _("The end must be after the start.")})
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(day, start), tz)
    last = timezone.make_aware(datetime.combine(day, end), tz)
    event = space.event
    if not event.start_date <= day <= event.end_date:
        raise ValidationError({"day": _("Choose a day of the edition.")})
    rounds = []
    t = first
    while t + timedelta(minutes=minutes) <= last:
        rounds.append((t, t + timedelta(minutes=minutes)))
        t += timedelta(minutes=minutes)
    with transaction.atomic():
        nearby = Slot.objects.select_for_update().filter(event=event, start__lt=last, end__gt=first)
        existing = {s.start: s for s in nearby}
        created = []
        for begin, finish in rounds:
            slot = existing.get(begin)
            if slot is not None and slot.end != finish:
                raise ValidationError(
                    _("The slot at %(time)s already exists with another length.")
                    % {"time": timezone.localtime(begin).strftime("%H:%M")}
                )
            if slot is None:
                if any(s.start < finish and s.end > begin for s in existing.values()):
                    raise ValidationError(
                        _("A slot overlapping %(time)s already exists.")
                        % {"time": timezone.localtime(begin).strftime("%H:%M")}
                    )
                created.append(Slot(event=event, start=begin, end=finish))
        created = Slot.objects.bulk_create(created)
        slot_ids = [s.pk for s in existing.values() if (s.start, s.end) in rounds] + [s.pk for s in created]
        already = set(space.slots.filter(pk__in=slot_ids).values_list("pk", flat=True))
        space.slots.add(*slot_ids)
        if tables:
            have = set(space.tables.values_list("number", flat=True))
            Table.objects.bulk_create([Table(space=space, number=n) for n in range(1, tables + 1) if n not in have])
    return SlotGridResult(created=len(created), opened=len(set(slot_ids) - already))


# The scheduler --------------------------------------------------------------------------------


def schedule_run_start(*, event: Event, user=None, time_limit: int = 60, seed: int = 0) -> ScheduleRun:
    """Queue a scheduler run for an edition (after the commit). One active run per edition."""
    from .tasks import schedule_run as schedule_run_task

    with transaction.atomic():
        stale_before = timezone.now() - timedelta(seconds=time_limit) - RUN_STALE_AFTER
        ScheduleRun.objects.filter(
            event=event, status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING], created_at__lt=stale_before
        ).update(
            status=ScheduleRun.Status.FAILED, finished_at=timezone.now(),
            error="No news from this run: the worker was probably stopped. Nothing was written.",
        )  # fmt: skip
        if ScheduleRun.objects.filter(
            event=event, status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING]
        ).exists():
            raise ValidationError(_("A scheduler run of this edition is already in progress."))
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(event=event, created_by=user, time_limit=time_limit, seed=seed)
        except IntegrityError:  # started at the same moment from another window
            raise ValidationError(_("A scheduler run of this edition is already in progress.")) from None
        transaction.on_commit(lambda: schedule_run_task.delay(run.pk))
    return run


def _run_progress(run: ScheduleRun, progress: int, **fields) -> None:
    """Record progress at once, outside the run's write transaction, so the admin sees it."""
    ScheduleRun.objects.filter(pk=run.pk).update(progress=progress, **fields)


def schedule_run_execute(*, run_id: int) -> ScheduleRun | None:
    """Run the scheduler: build the instance, solve, write drafts, measure. Safe to call twice.

    A run that fails leaves the meetings as they were and records the error.
    """
    claimed = ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.QUEUED).update(
        status=ScheduleRun.Status.RUNNING, started_at=timezone.now(), progress=5
    )
    run = ScheduleRun.objects.select_related("event").filter(pk=run_id).first()
    if not claimed or run is None:
        return run  # already run, or running elsewhere
    try:
        metrics = _schedule_run(run)
    except Exception as exc:
        logger.exception("Scheduler run %s failed", run_id)
        _run_progress(
            run, run.progress if run.progress < 100 else 99, status=ScheduleRun.Status.FAILED,
            finished_at=timezone.now(), error=f"{exc.__class__.__name__}: {exc}"[:4000],
        )  # fmt: skip
    else:
        _run_progress(
            run, 100, status=ScheduleRun.Status.SUCCEEDED, finished_at=timezone.now(), metrics=metrics, error=""
        )
    run.refresh_from_db()
    return run


def _schedule_run(run: ScheduleRun) -> dict:
    from . import solver  # the pure scheduler (no Django)
    from .quality import schedule_quality

    event = run.event
    started = clock.perf_counter()
    built = selectors.schedule_instance(event=event)
    _run_progress(run, 15)
    run.progress = 15
    solve_started = clock.perf_counter()
    result = solver.solve(built.instance, time_limit=run.time_limit, seed=run.seed, fixed=built.fixed)
    solve_seconds = clock.perf_counter() - solve_started
    _run_progress(run, 70)
    run.progress = 70
    written, skipped, removed = schedule_drafts_write(event=event, run=run, built=built, result=result)
    _run_progress(run, 85)
    run.progress = 85
    schedule = {"meetings": built.fixed + written}
    metrics = schedule_quality(built.instance, schedule)
    metrics.update({
        "participants": len(built.instance["participants"]), "pairs": len(built.instance["pairs"]),
        "fixed": len(built.fixed), "drafts_written": len(written), "skipped": skipped, "drafts_replaced": removed,
        "solve_seconds": round(solve_seconds, 2), "total_seconds": round(clock.perf_counter() - started, 2),
    })  # fmt: skip
    return metrics


def schedule_drafts_write(*, event: Event, run: ScheduleRun | None, built, result: dict) -> tuple[list, int, int]:
    """Replace the unlocked drafts of an edition with the solver's meetings, in one transaction.

    Published and locked meetings stay. Every profile of the edition is locked first, so a
    participant's own booking either committed before (and is seen here: a solver meeting that
    now collides with it is skipped) or waits until this commit. Returns the meetings written
    (in the spec's format), how many were skipped and how many old drafts were replaced.
    """
    fixed = {(m["a"], m["b"], m["slot"], m["space"], m["table"]) for m in built.fixed}
    tables = {
        (space_id, number): pk
        for pk, space_id, number in Table.objects.filter(space__event=event).values_list("pk", "space_id", "number")
    }
    with transaction.atomic():
        _profiles_lock(Profile.objects.filter(event=event).values_list("pk", flat=True))
        _, deleted = Meeting.objects.filter(event=event, status=Meeting.Status.DRAFT, is_locked=False).delete()
        removed = deleted.get("networking.Meeting", 0)
        live = Meeting.objects.filter(event=event).exclude(status=Meeting.Status.CANCELLED)
        busy, count, met = set(), {}, {}
        for meeting_id, profile_id, slot_pk in MeetingSeat.objects.filter(meeting__in=live, is_active=True).values_list(
            "meeting_id", "profile_id", "slot_id"
        ):
            busy.add((profile_id, slot_pk))
            count[profile_id] = count.get(profile_id, 0) + 1
            met.setdefault(meeting_id, []).append(profile_id)
        met_pairs = {frozenset(ids) for ids in met.values()}
        used_tables = set(live.values_list("slot_id", "table_id"))
        capacity = dict(Profile.objects.filter(event=event).values_list("pk", "max_meetings"))
        slot_pks = set(Slot.objects.filter(event=event).values_list("pk", flat=True))
        new, written, skipped = [], [], 0
        weights = {frozenset((e["a"], e["b"])): e["weight"] for e in built.instance["pairs"]}
        for m in result.get("meetings", []):
            if (m["a"], m["b"], m["slot"], m["space"], m["table"]) in fixed:
                continue
            a, b, slot_pk = int(m["a"][1:]), int(m["b"][1:]), int(m["slot"][1:])
            table_pk = tables.get((built.spaces.get(m["space"]), m["table"]))
            if (
                table_pk is None or slot_pk not in slot_pks or a not in capacity or b not in capacity
                or (a, slot_pk) in busy or (b, slot_pk) in busy or (slot_pk, table_pk) in used_tables
                or frozenset((a, b)) in met_pairs
                or count.get(a, 0) >= capacity[a] or count.get(b, 0) >= capacity[b]
            ):  # fmt: skip
                skipped += 1
                continue
            busy |= {(a, slot_pk), (b, slot_pk)}
            used_tables.add((slot_pk, table_pk))
            met_pairs.add(frozenset((a, b)))
            count[a], count[b] = count.get(a, 0) + 1, count.get(b, 0) + 1
            new.append((
                Meeting(
                    event=event, slot_id=slot_pk, table_id=table_pk, status=Meeting.Status.DRAFT, run=run,
                    request_id=built.accepted_requests.get(frozenset((a, b))),
                    score=weights.get(frozenset((m["a"], m["b"])), 0.0),
                ),
                (a, b),
            ))  # fmt: skip
            written.append(dict(m))
        meetings = Meeting.objects.bulk_create([meeting for meeting, _ in new], batch_size=1000)
        MeetingSeat.objects.bulk_create(
            [
                MeetingSeat(meeting=meeting, profile_id=pk, slot_id=meeting.slot_id)
                for meeting, (_, pair) in zip(meetings, new)
                for pk in pair
            ],
            batch_size=2000,
        )
    if skipped:
        logger.info("Scheduler run for %s skipped %s meetings that collided with newer bookings", event, skipped)
    return written, skipped, removed
