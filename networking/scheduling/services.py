"""Writes of the B2B scheduler: the slot grid, scheduler runs (queue, execute, write drafts) and publishing.

A run builds the instance from the database (scheduling/selectors.py), calls the pure solver
(scheduling/solver.py) and writes draft meetings in one transaction, locking every profile of the
edition first so that a participant's own booking and the scheduler's write queue up instead of
colliding (see networking/services.py). A failed or killed run leaves the meetings as they were.
"""

from __future__ import annotations

import logging
import time as clock
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from exhibitors.models import WebhookEvent
from expo.events.models import Event
from expo.registration.models import Attendee
from networking import tasks
from networking.exhibitor_api import meetings_webhooks_send
from networking.models import Meeting, MeetingSeat, NetworkingSpace, Profile, ScheduleRun, Slot, Table
from networking.services import participant_email, profiles_lock

from . import selectors

logger = logging.getLogger(__name__)

# Whether a running run's worker is alive: on PostgreSQL the worker holds an advisory lock on the run
# for as long as it runs, taken before the run is marked running; PostgreSQL releases it the moment
# the worker's connection ends (a worker killed, its machine gone). A running run whose lock is free
# is dead, known at once. Elsewhere (SQLite: `make run`), and as a backstop, a run that gives no news
# for RUN_STALE_AFTER past its time limit is taken for dead.
RUN_LOCK_NAMESPACE = 7_316  # pg_advisory_lock(namespace, run id): this key space is the scheduler's
RUN_STALE_AFTER = timedelta(minutes=25)
RUN_DEAD_ERROR = gettext_noop("The worker running it stopped (killed or its machine went down). Nothing was written.")
# A queued run whose task could not be queued (broker down) is queued again after this long.
RUN_REDISPATCH_AFTER = timedelta(minutes=1)


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


# Runs -----------------------------------------------------------------------------------------


def schedule_run_start(*, event: Event, user=None, time_limit: int = 60, seed: int = 0) -> ScheduleRun:
    """Queue a scheduler run for an edition (after the commit). One active run per edition.

    If the task cannot be queued (the broker is down), the run stays queued and the periodic
    `schedule_runs_redispatch` queues it again once the broker is back, as the email outbox does.
    """
    with transaction.atomic():
        schedule_runs_dead_fail(event=event)
        if ScheduleRun.objects.filter(event=event).active().exists():
            raise ValidationError(_("A scheduler run of this edition is already in progress."))
        try:
            with transaction.atomic():
                run = ScheduleRun.objects.create(event=event, created_by=user, time_limit=time_limit, seed=seed)
        except IntegrityError:  # started at the same moment from another window
            raise ValidationError(_("A scheduler run of this edition is already in progress.")) from None
        transaction.on_commit(lambda: schedule_run_dispatch(run_id=run.pk))
    return run


def schedule_run_dispatch(*, run_id: int) -> bool:
    """Queue the run's task; if the broker is down, leave it queued for the periodic re-dispatch."""
    try:
        tasks.schedule_run.delay(run_id)
    except Exception as exc:  # broker unreachable
        logger.warning("Scheduler run %s stays queued until the task queue is back: %s", run_id, exc)
        return False
    return True


def schedule_runs_redispatch(*, at: datetime | None = None) -> int:
    """Periodic: queue again the runs still queued a while after they were started (broker was down).

    Executing a run claims it first, so a run queued twice still runs once.
    """
    schedule_runs_dead_fail()  # and the list shows a run whose worker died as failed within a minute
    before = (at or timezone.now()) - RUN_REDISPATCH_AFTER
    waiting = ScheduleRun.objects.filter(status=ScheduleRun.Status.QUEUED, created_at__lt=before)
    return sum(schedule_run_dispatch(run_id=run_id) for run_id in waiting.values_list("pk", flat=True))


def schedule_runs_dead_fail(*, event: Event | None = None) -> int:
    """Mark failed the running runs (of `event`, or all) whose worker is gone; returns how many.

    On PostgreSQL, a running run whose advisory lock nobody holds (schedule_run_execute holds it);
    everywhere, an active run still active RUN_STALE_AFTER past its time limit.
    """
    runs = ScheduleRun.objects.all() if event is None else ScheduleRun.objects.filter(event=event)
    failed = {"status": ScheduleRun.Status.FAILED, "finished_at": timezone.now(), "error": RUN_DEAD_ERROR}
    dead = 0
    if connection.vendor == "postgresql":
        with transaction.atomic():
            for run_id in runs.filter(status=ScheduleRun.Status.RUNNING).values_list("pk", flat=True):
                with connection.cursor() as cursor:  # released at this transaction's end
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
                    if cursor.fetchone()[0]:
                        # Still running only if it has not just finished (its status is committed first).
                        dead += runs.filter(pk=run_id, status=ScheduleRun.Status.RUNNING).update(**failed)
    for run in (
        runs.active().filter(created_at__lt=timezone.now() - RUN_STALE_AFTER).only("pk", "created_at", "time_limit")
    ):
        if run.created_at < timezone.now() - timedelta(seconds=run.time_limit) - RUN_STALE_AFTER:
            dead += runs.filter(pk=run.pk).active().update(**failed)
    return dead


def _run_lock(run_id: int) -> bool:
    """PostgreSQL: hold the run's advisory lock for this connection's life (False: another worker has
    it, the run is theirs). Elsewhere: True."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
        return cursor.fetchone()[0]


def _run_unlock(run_id: int) -> None:
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [RUN_LOCK_NAMESPACE, run_id])
    except DatabaseError as exc:  # the connection is gone, and the lock with it
        logger.warning("Scheduler run %s: lock not released by hand: %s", run_id, exc)


def _run_progress(run: ScheduleRun, progress: int, **fields) -> None:
    """Record progress at once, outside the run's write transaction, so the admin sees it."""
    ScheduleRun.objects.filter(pk=run.pk).update(progress=progress, **fields)


# The share of a run's progress bar each phase takes, as measured on the demo at 30,000 visitors
# (3,900 participants): instance 20%, solve 50%, write 10%, bounds 20%. Within a phase the bar
# follows the work (blocks of pairs scored, LPs solved, pairs placed), not fixed steps.
RUN_PHASES = {"instance": (2, 20), "solve": (20, 70), "write": (70, 80), "bounds": (80, 99)}
# The bar is written at most this often (seconds), and whenever a phase ends.
RUN_PROGRESS_EVERY = 0.5


class _RunProgress:
    """Turns each phase's own progress (0..1) into the run's percentage, written at most every
    half second (and only forwards), each write a one-row UPDATE outside any transaction."""

    def __init__(self, run: ScheduleRun) -> None:
        self.run = run
        self.written_at = 0.0

    def phase(self, name: str):
        low, high = RUN_PHASES[name]

        def report(done: float) -> None:
            percent = int(low + (high - low) * min(max(done, 0.0), 1.0))
            now = clock.monotonic()
            if percent > self.run.progress and (now - self.written_at >= RUN_PROGRESS_EVERY or done >= 1.0):
                self.run.progress = percent
                self.written_at = now
                _run_progress(self.run, percent)

        report(0.0)
        return report


def schedule_run_execute(*, run_id: int) -> ScheduleRun | None:
    """Run the scheduler: build the instance, solve, write drafts, measure. Safe to call twice.

    A run that fails leaves the meetings as they were and records the error.
    """
    if not _run_lock(run_id):  # taken before the run shows as running: see RUN_LOCK_NAMESPACE
        return ScheduleRun.objects.filter(pk=run_id).first()  # running elsewhere
    try:
        claimed = ScheduleRun.objects.filter(pk=run_id, status=ScheduleRun.Status.QUEUED).update(
            status=ScheduleRun.Status.RUNNING, started_at=timezone.now(), progress=1
        )
        run = ScheduleRun.objects.select_related("event").filter(pk=run_id).first()
        if not claimed or run is None:
            return run  # already run
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
    finally:
        _run_unlock(run_id)


def _schedule_run(run: ScheduleRun) -> dict:
    from . import solver  # the pure scheduler (no Django); scipy is loaded only when a run starts
    from .quality import schedule_quality

    event = run.event
    progress = _RunProgress(run)
    seconds = {}
    started = clock.perf_counter()
    built = selectors.schedule_instance(event=event, progress=progress.phase("instance"))
    seconds["instance"] = clock.perf_counter() - started
    mark = clock.perf_counter()
    result = solver.solve(
        built.instance, time_limit=run.time_limit, seed=run.seed, fixed=built.fixed, progress=progress.phase("solve")
    )
    seconds["solve"] = clock.perf_counter() - mark
    mark = clock.perf_counter()
    report = progress.phase("write")  # the write is one transaction: the bar moves when it commits
    written, skipped, removed = schedule_drafts_write(event=event, run=run, built=built, result=result)
    report(1.0)
    seconds["write"] = clock.perf_counter() - mark
    mark = clock.perf_counter()
    report = progress.phase("bounds")
    metrics = schedule_quality(built.instance, {"meetings": built.fixed + written}, progress=report)
    seconds["bounds"] = clock.perf_counter() - mark
    found = built.candidates
    metrics.update({
        "participants": len(built.instance["participants"]), "pairs": len(built.instance["pairs"]),
        "pairs_scored": found.scored if found else len(built.instance["pairs"]),
        # What pruning can cost at most: the left-out pairs could raise the LP bound of the seats
        # left by this share of it (scheduling/candidates.py).
        "pruning_gap": round((found.bound_all_pairs - found.bound) / found.bound, 6) if found and found.bound else 0.0,
        "fixed": len(built.fixed), "drafts_written": len(written), "skipped": skipped, "drafts_replaced": removed,
        **{f"{phase}_seconds": round(value, 2) for phase, value in seconds.items()},
        "total_seconds": round(clock.perf_counter() - started, 2),
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
        profiles_lock(Profile.objects.filter(event=event).values_list("pk", flat=True))
        _, deleted = Meeting.objects.filter(event=event, status=Meeting.Status.DRAFT, is_locked=False).delete()
        removed = deleted.get("networking.Meeting", 0)
        live = Meeting.objects.filter(event=event).live()
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
    _statistics_refresh(Meeting, MeetingSeat)
    return written, skipped, removed


def _statistics_refresh(*models) -> None:
    """After thousands of meetings are written or published at once, refresh PostgreSQL's planner
    statistics of their tables. Autovacuum would, within a minute or so (if it is on), but a re-run
    or the participants' pages may come first and be planned for the tables as they were: with
    6,000 meetings taken for none, a join of seats and meetings ran for minutes instead of
    milliseconds. ANALYZE samples the table: tens of milliseconds."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


# Publishing -----------------------------------------------------------------------------------


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
        # Exhibitor webhooks (networking/exhibitor_api.py), written in this transaction.
        meetings_webhooks_send(meeting_ids=drafts, event_type=WebhookEvent.MEETING_SCHEDULED)
        per_profile = MeetingSeat.objects.filter(meeting_id__in=drafts).values("profile_id").annotate(n=Count("pk"))
        counts = {row["profile_id"]: row["n"] for row in per_profile}
        for attendee in Attendee.objects.filter(b2b_profile__in=list(counts)).select_related("b2b_profile"):
            participant_email("meetings_published", attendee, {"count": counts[attendee.b2b_profile.pk]})
    _statistics_refresh(Meeting)
    return len(drafts)
