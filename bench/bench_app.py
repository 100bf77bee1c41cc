"""Benchmark the B2B scheduler through the application, as organizers use it, on the demo edition.

Usage (PostgreSQL: set DATABASE_URL to a database of your own; it is seeded anew):
    DATABASE_URL=postgres://... python bench/bench_app.py [--visitors 30000] [--no-seed] [--cancel 300]
        [--time-limit 60] [--all-pairs] [--pages 20]

1. `seed_demo --reset --visitors N` (skipped with --no-seed: the edition as it is, its meetings cleared).
2. A scheduler run through the service (`schedule_run_start`, the task run in-process as `make run`
   does), phase by phase: instance (from the database, pairs scored and pruned), solve, write
   (drafts, one transaction), bounds (the quality figures); then publish (drafts published, one
   email per participant written to the outbox and sent, to memory).
3. Participants cancel --cancel published meetings; an incremental re-run fills around the rest,
   and its drafts are published.
4. The participant pages (recommendations, requests, agenda) for --pages participants: queries and
   time per page (median and worst), through Django's test client (no network).
With --all-pairs, the unpruned instance (every pair with a score) is built too and its LP bound
printed next to the run's weight: what pruning costs (affordable at 3,000 visitors); and, for
comparison, an instance pruned by weight alone (the same pairs per participant, no pricing rounds)
is solved the same way.

Prints, per phase, the wall time and the peak resident memory of this process during the phase
(RSS sampled every 10 ms from /proc/self/statm; the process peak from getrusage at the end), then
the run's quality figures (the checker's measures, computed on the instance the solver saw).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_URL", "locmem:")
# Tasks run in this process (as with `make run`), so each phase is measured here.
os.environ.pop("REDIS_URL", None)

import logging  # noqa: E402

import django  # noqa: E402

django.setup()
logging.getLogger("celery").setLevel(logging.WARNING)  # one line per email sent otherwise

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from expo.demo.edition import EVENT_SLUG  # noqa: E402
from expo.events.models import Event  # noqa: E402
from expo.mail import services as mail_services  # noqa: E402
from expo.registration.access import SESSION_KEY  # noqa: E402
from networking import services  # noqa: E402
from networking.models import Meeting, MeetingRequest, Profile, ScheduleRun  # noqa: E402
from networking.scheduling import candidates, quality, selectors, solver  # noqa: E402
from networking.scheduling import services as scheduling  # noqa: E402

PAGE = 4096


class Memory:
    """Peak resident memory, sampled in a thread: overall and since the last `mark`."""

    def __init__(self) -> None:
        self.peak = self.since = self._rss()
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    @staticmethod
    def _rss() -> int:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * PAGE

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            rss = self._rss()
            self.since = max(self.since, rss)
            self.peak = max(self.peak, rss)

    def mark(self) -> None:
        self.since = self._rss()


memory = Memory()
rows: list[tuple[str, float, float, str]] = []


@contextmanager
def phase(name: str, note: str = ""):
    memory.mark()
    started = time.perf_counter()
    info = {"note": note}
    yield info
    rows.append((name, time.perf_counter() - started, memory.since / 2**20, info["note"]))
    print(f"  {name:<24} {rows[-1][1]:>7.1f} s {rows[-1][2]:>7.0f} MB  {info['note']}", flush=True)


def analyze() -> None:
    """Refresh PostgreSQL's planner statistics, as autovacuum does after bulk loads and deletes when
    it is on (it is off on the benchmark machine; the service refreshes them after its own writes)."""
    if connection.vendor == "postgresql":
        with phase("analyze"), connection.cursor() as cursor:
            cursor.execute("ANALYZE")


REAL: dict[str, object] = {}


def instrument() -> None:
    """Wrap the four steps the run's service calls, so each is timed and its memory measured
    (the unwrapped functions stay in REAL, for the comparisons)."""

    def wrap(module, attr, name, note=None):
        real = REAL[attr] = getattr(module, attr)

        def timed(*args, **kwargs):
            with phase(name) as info:
                result = real(*args, **kwargs)
                info["note"] = note(result) if note else ""
            return result

        setattr(module, attr, timed)

    wrap(selectors, "schedule_instance", "run: instance",
         lambda b: f"{len(b.instance['participants'])} participants, {len(b.instance['pairs']):,} pairs kept "
                   f"of {b.candidates.scored:,} scored, {b.candidates.rounds} LPs")  # fmt: skip
    wrap(solver, "solve", "run: solve", lambda r: f"{len(r['meetings']):,} meetings")
    wrap(scheduling, "schedule_drafts_write", "run: write", lambda r: f"{len(r[0]):,} drafts")
    wrap(quality, "schedule_quality", "run: bounds")


def compare(event: Event, run: ScheduleRun, time_limit: int) -> None:
    """What pruning costs: the run's weight against the LP bound of the unpruned instance; and the
    same for the instance pruned by weight alone (no pricing rounds), solved the same way."""
    with phase("unpruned instance + bound") as info:
        full = REAL["schedule_instance"](event=event, prune=False)
        bound = quality.lp_bound(full.instance)
        weight = run.metrics["weight"]
        info["note"] = (f"{len(full.instance['pairs']):,} pairs, bound {bound:,.1f}; the run's weight "
                        f"{weight:,.1f} = {weight / bound:.5f} of it")  # fmt: skip
    rounds, candidates.ROUNDS = candidates.ROUNDS, 0
    try:
        with phase("pruned by weight alone") as info:
            built = REAL["schedule_instance"](event=event)
            result = REAL["solve"](built.instance, time_limit=time_limit, fixed=built.fixed)
            weight = quality.schedule_check(built.instance, result)["weight"]
            info["note"] = (f"{len(built.instance['pairs']):,} pairs, weight {weight:,.1f} = {weight / bound:.4f} "
                            "of the unpruned bound")  # fmt: skip
    finally:
        candidates.ROUNDS = rounds


def run_once(event: Event, time_limit: int, label: str) -> ScheduleRun:
    progress = []
    real_progress = scheduling._run_progress

    def record(run, value, **fields):
        progress.append(value)
        real_progress(run, value, **fields)

    scheduling._run_progress = record
    with phase(label) as info:
        run = scheduling.schedule_run_start(event=event, time_limit=time_limit)  # runs in-process on commit
        run.refresh_from_db()
        info["note"] = f"status {run.status}; progress seen: {len(progress)} updates"
    scheduling._run_progress = real_progress
    if run.status != "succeeded":
        sys.exit(f"run failed: {run.error}")
    return run


def publish(event: Event, label: str) -> None:
    """Publish, as the admin action does; the emails the commit queues are then sent one by one,
    as one worker process would (the queueing itself, a Redis push each, is left out)."""
    queued: list[int] = []
    dispatch = mail_services.mail_dispatch
    mail_services.mail_dispatch = lambda *, email_id: queued.append(email_id)
    try:
        with phase(label) as info:
            published = scheduling.schedule_publish(event=event)
            info["note"] = f"{published:,} meetings, {len(queued):,} emails written to the outbox"
    finally:
        mail_services.mail_dispatch = dispatch
    mail.outbox = []
    with phase(f"{label}: emails sent") as info:
        sent = sum(mail_services.mail_send(email_id=email_id) for email_id in queued)
        info["note"] = f"{sent:,} sent (one process, in turn), {len(mail.outbox):,} in the memory outbox"


def pages(event: Event, count: int) -> None:
    client = Client(HTTP_HOST="localhost")
    senders = set(MeetingRequest.objects.filter(event=event).values_list("sender_id", flat=True))
    met = set(Profile.objects.filter(event=event, seats__meeting__status="published").values_list("pk", flat=True))
    people = list(Profile.objects.filter(pk__in=sorted(senders & met)[:count]).select_related("attendee"))
    times: dict[str, list[float]] = {}
    queries: dict[str, set[int]] = {}
    for profile in people:
        _signin(client, profile)
        for name in ("networking:home", "networking:requests", "networking:agenda"):
            url = reverse(name)
            client.get(url)  # warm the caches of this participant's session
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (url, response.status_code)
            times.setdefault(url, []).append(elapsed * 1000)
            queries.setdefault(url, set()).add(len(captured))
    for url, values in times.items():
        print(f"  page {url:<19} median {statistics.median(values):6.0f} ms, worst {max(values):6.0f} ms, "
              f"queries {sorted(queries[url])} ({len(values)} participants)")  # fmt: skip


def _signin(client: Client, profile: Profile) -> None:
    """What following a sign-in link leaves in the session (as tests/networking/conftest.py does)."""
    session = client.session
    session[SESSION_KEY] = profile.attendee_id
    session.save()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=30000, help="seed_demo --visitors (default 30000)")
    parser.add_argument("--no-seed", action="store_true", help="keep the edition, clear its meetings and runs")
    parser.add_argument("--time-limit", type=int, default=60, help="the run's time limit (s), as in the admin")
    parser.add_argument("--cancel", type=int, default=300, help="published meetings cancelled before the re-run")
    parser.add_argument("--all-pairs", action="store_true", help="also bound the unpruned instance")
    parser.add_argument("--pages", type=int, default=20, help="participants whose pages are timed (0: none)")
    args = parser.parse_args(argv)

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; load: {os.getloadavg()}")
    analyze()
    if not args.no_seed:
        with phase("seed_demo", f"--reset --visitors {args.visitors}"):
            call_command("seed_demo", reset=True, visitors=args.visitors, stdout=open(os.devnull, "w"))
        analyze()
    event = Event.objects.get(slug=EVENT_SLUG)
    if args.no_seed:
        Meeting.objects.filter(event=event).delete()
        ScheduleRun.objects.filter(event=event).delete()
    instrument()
    first = run_once(event, args.time_limit, "run (all phases)")
    if args.all_pairs:
        compare(event, first, args.time_limit)
    publish(event, "publish")
    published = list(Meeting.objects.filter(event=event, status="published").order_by("?")[: args.cancel])
    with phase("cancel", f"{len(published)} meetings cancelled by a participant"):
        for meeting in published:
            services.meeting_cancel(meeting=meeting, by=meeting.seats.first().profile)
    second = run_once(event, args.time_limit, "re-run (all phases)")
    publish(event, "publish again")
    if args.pages:
        pages(event, args.pages)
    print(f"  process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
          f"(sampled {memory.peak / 2**20:.0f} MB); load {os.getloadavg()}")  # fmt: skip
    keys = ("participants", "pairs_scored", "pairs", "pruning_gap", "meetings", "must_scheduled", "must_bound",
            "coverage", "coverage_bound", "weight", "bound", "ratio", "bound_at_coverage", "ratio_at_coverage",
            "violation_count", "fixed", "drafts_written", "skipped")  # fmt: skip
    for name, run in (("run", first), ("re-run", second)):
        print(f"{name}: " + ", ".join(f"{key} {run.metrics.get(key)}" for key in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
