"""Measure the organizers' control room on a full-size edition: the dashboard, the big admin lists,
their searches and the meetings export, with 30,000 visitors and 40,000 B2B meetings.

Usage (use your own database; PostgreSQL is what production runs):
    DATABASE_URL=postgres://.../expo_bench python bench/bench_control_room.py [--visitors 30000] [--meetings 40000]

It migrates, runs `seed_demo --visitors N` (timed), tops the demo edition up to M published
meetings between its B2B participants and one door check-in for every other visitor (bulk
inserts; run once, reused after), then requests each page five times as a superuser through
Django's test client and prints the median time and the number of queries of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_URL", "locmem:")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from expo.events.models import Event  # noqa: E402
from expo.registration.models import Attendee, BadgeScan  # noqa: E402
from networking.models import Meeting, MeetingSeat, NetworkingSpace, Profile, Slot, Table  # noqa: E402


def capacity_top_up(event: Event, target: int) -> None:
    """The demo's three spaces hold 6,480 meetings (90 tables x 72 slots) among 702 participants; a
    40,000-meeting fair needs more: B2B profiles for more visitors and a bench space of 600 tables."""
    slots = Slot.objects.filter(event=event).count()
    per_slot = -(-target // slots)
    profiles = Profile.objects.filter(event=event).count()
    if profiles < 2 * per_slot:
        visitors = (
            Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED, b2b_profile__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[: 2 * per_slot - profiles]
        )
        Profile.objects.bulk_create(
            [Profile(event=event, attendee_id=pk, role=Profile.Role.HOSPITAL) for pk in visitors], batch_size=2000
        )
    space, created = NetworkingSpace.objects.get_or_create(
        event=event, code="Z", defaults={"name_es": "Espacio de prueba", "name_en": "Bench space"}
    )
    if created:
        Table.objects.bulk_create([Table(space=space, number=n) for n in range(1, per_slot + 1)])
        space.slots.set(Slot.objects.filter(event=event))


def meetings_top_up(event: Event, target: int) -> int:
    """Published meetings between the edition's participants until there are `target`, nobody
    twice in a slot, one meeting per table and slot."""
    have = Meeting.objects.filter(event=event).count()
    if have >= target:
        return 0
    capacity_top_up(event, target)
    profiles = list(Profile.objects.filter(event=event).values_list("pk", flat=True))
    slots = list(Slot.objects.filter(event=event).order_by("start").values_list("pk", flat=True))
    tables = list(Table.objects.filter(space__event=event).values_list("pk", flat=True))
    busy = set(MeetingSeat.objects.filter(meeting__event=event, is_active=True).values_list("profile_id", "slot_id"))
    used = set(Meeting.objects.filter(event=event).values_list("slot_id", "table_id"))
    meetings, seats, made = [], [], 0
    n = len(profiles)
    for slot in slots:
        free_tables = [t for t in tables if (slot, t) not in used]
        order = profiles[slot % n :] + profiles[: slot % n]  # rotate partners from slot to slot
        pairs = [(order[i], order[i + 1]) for i in range(0, n - 1, 2)]
        for (a, b), table in zip(pairs, free_tables):
            if have + made >= target:
                break
            if (a, slot) in busy or (b, slot) in busy:
                continue
            meetings.append(Meeting(event=event, slot_id=slot, table_id=table, status=Meeting.Status.PUBLISHED))
            seats.append((a, b, slot))
            busy |= {(a, slot), (b, slot)}
            made += 1
    created = Meeting.objects.bulk_create(meetings, batch_size=2000)
    MeetingSeat.objects.bulk_create(
        [MeetingSeat(meeting=m, profile_id=p, slot_id=s) for m, (a, b, s) in zip(created, seats) for p in (a, b)],
        batch_size=4000,
    )
    return made


def checkins_top_up(event: Event) -> int:
    if BadgeScan.objects.filter(event=event).exists():
        return 0
    day = event.start_date
    scans = [
        BadgeScan(event=event, attendee_id=pk, day=day, scanned_at=timezone.now())
        for i, pk in enumerate(Attendee.objects.filter(event=event).values_list("pk", flat=True))
        if i % 2 == 0
    ]
    BadgeScan.objects.bulk_create(scans, batch_size=4000)
    return len(scans)


def measure(client: Client, url: str, runs: int = 5) -> tuple[float, int, int]:
    times, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    return statistics.median(times) * 1000, queries, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=30000)
    parser.add_argument("--meetings", type=int, default=40000)
    args = parser.parse_args()
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", visitors=args.visitors, stdout=open(os.devnull, "w"))
    print(f"seed_demo --visitors {args.visitors}: {time.perf_counter() - started:.1f} s")
    event = Event.objects.get(slug="medical-expo-2025")
    started = time.perf_counter()
    made = meetings_top_up(event, args.meetings)
    scans = checkins_top_up(event)
    print(f"top-up: {made} meetings, {scans} check-ins in {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    visitors = Attendee.objects.filter(event=event).count()
    meetings = Meeting.objects.filter(event=event).count()
    print(f"visitors {visitors:,}, meetings {meetings:,}, check-ins {BadgeScan.objects.filter(event=event).count():,}")
    user, _ = User.objects.get_or_create(username="bench-organizer", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # Past the second step of signing in, as the code page leaves an organizer's session.
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    pages = [
        ("dashboard (admin home)", f"/admin/?event={event.pk}"),
        ("registrations list", "/admin/registration/attendee/"),
        ("registrations: search 'castillo'", "/admin/registration/attendee/?q=castillo"),
        (
            "registrations: one pass type",
            f"/admin/registration/attendee/?pass_type__id__exact={event.pass_types.first().pk}",
        ),
        ("door check-ins list", "/admin/registration/badgescan/"),
        ("meetings desk", "/admin/networking/meeting/"),
        ("meetings desk: search 'castillo'", "/admin/networking/meeting/?q=castillo"),
        ("meetings desk: one day", f"/admin/networking/meeting/?day={event.start_date.isoformat()}"),
        ("meeting seats list", "/admin/networking/meetingseat/"),
        ("outcome export (CSV, all meetings)", f"/admin/networking/meeting/outcome.csv?event={event.pk}"),
    ]
    print(f"{'page':42} {'median ms':>10} {'queries':>8} {'status':>7}")
    for name, url in pages:
        ms, queries, status = measure(client, url, runs=3 if "export" in name else 5)
        print(f"{name:42} {ms:10.0f} {queries:8d} {status:7d}")


if __name__ == "__main__":
    main()
