"""Fixtures and query counts for bench/bench_web.py, run inside the benchmark's Django environment.

    python bench/web/prepare.py fixtures OUT.json   # sessions, badge codes, form data for locust
    python bench/web/prepare.py queries             # SQL queries per request of each endpoint (JSON)
    python bench/web/prepare.py profile [NAME ...] [N]  # where the time goes: cProfile of N requests each
    python bench/web/prepare.py rush-setup N | rush-check PASS_ID  # the ticket rush's pass, and what it left

Reads the same environment variables as the application (DATABASE_URL, REDIS_URL...).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from exhibitors.models import Exhibitor  # noqa: E402
from exhibitors.services import api_token_create  # noqa: E402
from expo.events.selectors import event_current  # noqa: E402
from expo.program.models import Session  # noqa: E402
from expo.registration.access import SESSION_KEY  # noqa: E402
from expo.registration.badges import attendee_badge_code  # noqa: E402
from expo.registration.models import Attendee  # noqa: E402
from networking.models import Profile  # noqa: E402


def staff_user():
    user, _ = get_user_model().objects.get_or_create(username="bench-door", defaults={"is_staff": True})
    user.user_permissions.add(Permission.objects.get(codename="add_badgescan", content_type__app_label="registration"))
    return user


def staff_session(user) -> str:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def attendee_session(attendee) -> str:
    session = SessionStore()
    session[SESSION_KEY] = attendee.pk
    session.create()
    return session.session_key


def badge_codes(event, attendees) -> list[str]:
    from expo.registration.models import BadgeKey, BadgeScan

    if BadgeScan.objects.filter(event=event, day=timezone.localdate()).delete()[0]:
        # Autovacuum is off on this machine: the dead rows would slow every later insert (5.8 against
        # 8 ms a door scan in-process, measured after a few runs).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE registration_badgescan")
    key = BadgeKey.objects.signing_key(event_id=event.pk)
    return [attendee_badge_code(a, signing_key=key) for a in attendees.only("pk", "event_id")]


def fixtures() -> dict:
    event = event_current()
    user = staff_user()
    confirmed = Attendee.objects.filter(event=event, status="confirmed").order_by("pk")
    participants = Profile.objects.filter(event=event, is_active=True).select_related("attendee").order_by("pk")[:200]
    pass_type = event.pass_types.filter(is_public=True, capacity__isnull=True).order_by("position").first()
    state = event.attendees.exclude(state=None).values_list("state_id", flat=True).first()
    training = confirmed.filter(pass_type__includes_training=True)[:300]
    upcoming = Session.objects.filter(event=event, enrollment_required=True, start__gt=timezone.now()).order_by("start")
    exhibitors = list(Exhibitor.objects.filter(event=event).order_by("pk")[:50])
    tokens = [api_token_create(exhibitor=e, name="bench", scopes=["read", "leads"])[1] for e in exhibitors]
    return {
        "staff_sessions": [staff_session(user) for _ in range(20)],
        "participant_sessions": [attendee_session(p.attendee) for p in participants],
        # Most scans at the doors are a visitor's first of the day: 20,000 badges, today's scans cleared.
        # Not booth staff: an exhibitor's API refuses its own staff's badges (a 400 the load tool counts).
        "badge_codes": badge_codes(event, confirmed.filter(booth__isnull=True)[:20000]),
        "csrf_pages": {
            "door_scan": "/mostrador/acceso/",
            "registration": "/registro/",
            "workshop_enrollment": "/programa/",
        },
        "visitor_sessions": [attendee_session(a) for a in training],
        "workshops": list(upcoming.values_list("pk", flat=True)[:40]),
        "exhibitor_slugs": [e.slug for e in exhibitors],
        "api_tokens": tokens,
        "registration_form": {
            "pass_type": pass_type.pk,
            "first_name": "Carga",
            "last_name": "De Prueba",
            "organization_name": "Bench",
            "organization_kind": "hospital",
            "job_title": "QA",
            "country": "MX",
            "state": state,
            "privacy_accepted": "on",
        },  # fmt: skip
        "urls": {
            "ceiling": "/healthz/live",
            "home": "/",
            "program": "/programa/",
            "directory": "/expositores/",
            "api_exhibitors": "/api/v1/exhibitors/",
            "b2b_recommendations": "/b2b/",
            "exhibitor_page": f"/expositores/{exhibitors[0].slug}/",
            "api_lead_list": "/api/v1/leads/",
        },
    }


def calls(data: dict) -> dict:
    """One request to each endpoint, as the load test sends it, as callables (each call a new one)."""
    anonymous = Client(SERVER_NAME="127.0.0.1")
    out = {}
    for name, url in data["urls"].items():
        if name not in ("b2b_recommendations", "api_lead_list"):
            out[name] = lambda url=url: anonymous.get(url)
    participant = Client(SERVER_NAME="127.0.0.1")
    participant.cookies["sessionid"] = data["participant_sessions"][0]
    out["b2b_recommendations"] = lambda: participant.get(data["urls"]["b2b_recommendations"])
    staff = Client(SERVER_NAME="127.0.0.1")
    staff.cookies["sessionid"] = data["staff_sessions"][0]
    codes = iter(data["badge_codes"][100:] * 50)
    out["door_scan"] = lambda: staff.post("/mostrador/acceso/escanear/", {"code": next(codes), "gate": "q"})
    visitor = Client(SERVER_NAME="127.0.0.1")
    emails = iter(range(10**7))
    form = data["registration_form"]
    tag = os.getpid()

    def register():
        n = next(emails)  # each from another address, as the load test sends them (per-address limits)
        return visitor.post("/registro/", dict(form, email=f"q{tag}-{n}@bench.example.mx"),
                            HTTP_X_FORWARDED_FOR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}")  # fmt: skip

    out["registration"] = register
    enrolling = Client(SERVER_NAME="127.0.0.1")
    sessions = iter(data["visitor_sessions"] * 50)
    workshop = data["workshops"][0]

    def enroll():
        enrolling.cookies["sessionid"] = next(sessions)
        return enrolling.post(f"/programa/sesion/{workshop}/inscribirme/", {"confirm": "1"})

    out["workshop_enrollment"] = enroll
    api = Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {data['api_tokens'][0]}")
    out["api_lead_list"] = lambda: api.get("/api/v1/leads/")
    out["api_lead_create"] = lambda: api.post(
        "/api/v1/leads/", {"badge_code": next(codes)}, content_type="application/json"
    )
    return out


def queries() -> dict:
    """SQL queries of one request to each endpoint, as the load test sends it (second request: warm)."""
    counts = {}
    for name, call in calls(fixtures()).items():
        call()
        with CaptureQueriesContext(connection) as captured:
            response = call()
        counts[name] = {"queries": len(captured), "status": response.status_code}
    return counts


# The project's and its libraries' functions, without the frames every request passes through whole
# (the test client, the handler, the middleware chain).
PROFILED = (
    r"^(?!.*(django/test/|core/handlers/|utils/deprecation|expo/health|security_headers|api_input))"
    r".*(expo|exhibitors|networking|django|rest_framework|celery|kombu|redis|psycopg|cryptography)/"
)


def profile(names: list[str], requests: int) -> None:
    """Where the time of one request goes, measured: each endpoint `requests` times under cProfile, in
    this process (the Django test client, no network), after two warm-up requests. Prints ms per
    request and the functions that take the most time, inclusive (cumulative) and own (tottime)."""
    import cProfile
    import pstats
    import time

    every = calls(fixtures())
    for name in names or every:
        call = every[name]
        call(), call()
        started = time.perf_counter()
        for _ in range(requests):
            call()
        plain = (time.perf_counter() - started) * 1000 / requests
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            call()
        profiler.disable()
        print(f"\n=== {name}: {plain:.1f} ms per request without the profiler ({requests} requests)")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(PROFILED, 25)
        stats.sort_stats("tottime").print_stats(12)


def rush_setup(capacity: int) -> dict:
    """A public pass with a small capacity, for the ticket rush (a new one each run)."""
    from expo.registration.models import PassType

    event = event_current()
    n = PassType.objects.filter(event=event, slug__startswith="rush-").count() + 1
    rush = PassType.objects.create(event=event, slug=f"rush-{n}", name_es=f"Preventa {n}", name_en=f"Presale {n}",
                                   capacity=capacity, is_public=True, position=99)  # fmt: skip
    return {"pass_type": rush.pk, "since": timezone.now().isoformat()}


def outbox_pending() -> int:
    from expo.mail.models import OutboxEmail

    return OutboxEmail.objects.filter(sent_at__isnull=True).count()


def rush_check(pass_type_id: int) -> dict:
    """What the rush left: registrations by status, and its confirmation emails (sent, not yet)."""
    from django.db.models import Count, Max, Min

    from expo.mail.models import OutboxEmail
    from expo.registration.models import PassType

    rush = PassType.objects.get(pk=pass_type_id)
    attendees = Attendee.objects.filter(pass_type=rush)
    statuses = dict(attendees.values_list("status").annotate(n=Count("pk")))
    emails = OutboxEmail.objects.filter(to__in=attendees.values("email"), template__startswith="registration/email/")
    sent = emails.filter(sent_at__isnull=False).aggregate(n=Count("pk"), first=Min("created_at"), last=Max("sent_at"))
    return {
        "capacity": rush.capacity, "registered_count": rush.registered_count, "statuses": statuses,
        "attendees": attendees.count(), "emails": emails.count(), "sent": sent["n"],
        "last_sent_after_s": (sent["last"] - sent["first"]).total_seconds() if sent["n"] else None,
    }  # fmt: skip


if __name__ == "__main__":
    if sys.argv[1] == "fixtures":
        Path(sys.argv[2]).write_text(json.dumps(fixtures()))
    elif sys.argv[1] == "rush-setup":
        print(json.dumps(rush_setup(int(sys.argv[2]))))
    elif sys.argv[1] == "outbox-pending":
        print(outbox_pending())
    elif sys.argv[1] == "rush-check":
        print(json.dumps(rush_check(int(sys.argv[2]))))
    elif sys.argv[1] == "profile":
        profile([n for n in sys.argv[2:] if not n.isdigit()], next((int(n) for n in sys.argv[2:] if n.isdigit()), 200))
    else:
        print(json.dumps(queries()))
