"""Load benchmark of the web platform in its production shape, on one machine (issue: opening morning).

Usage:
    python bench/bench_web.py [--visitors 30000] [--duration 20] [--users 10,50] [--only NAME,...]
                              [--skip-seed] [--workers 3] [--threads 1]

What it does, from a fresh clone with the local PostgreSQL and Redis (`make bench-web`):
1. a database of its own (`expo_bench` on 127.0.0.1:5432, Redis db 7): migrate, `seed_demo --visitors N`,
   ANALYZE (this machine's PostgreSQL runs with autovacuum off);
2. gunicorn (DEBUG off, SECRET_KEY of the bench) and a Celery worker on that database and Redis;
3. for each endpoint, `locust --headless` (from .venv-bench) with 10 and then 50 users that send requests
   back to back for --duration seconds, then the same load (50 users) on a view that touches no
   database (the ceiling of the framework on this machine, measured again right after each endpoint);
4. prints requests per second, p50, p95 and p99 latency and failures for each, the ceiling measured
   beside it and the share of it, and the SQL queries one request makes (bench/web/prepare.py);
5. the ticket rush (--rush SEATS,REGISTRATIONS, default 100,400): that many registrations at once from 50
   clients for one pass with that many seats; prints the HTTP answers, the registrations by status, whether
   the pass was oversold, and when the worker had sent the last confirmation email.
Nothing here is a test: it prints figures. The README reports them with the machine they came from.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = REPO / ".venv" / "bin" / "python"
LOCUST = REPO / ".venv-bench" / "bin" / "locust"
DATABASE = "expo_bench"
PORT = 8765
ENDPOINTS = ["ceiling", "door_scan", "registration", "workshop_enrollment", "program", "directory", "exhibitor_page",
             "api_lead_create", "api_lead_list", "api_exhibitors", "home", "b2b_recommendations"]  # fmt: skip


def bench_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "REDIS_URL": "redis://127.0.0.1:6379/7",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": f"http://127.0.0.1:{PORT}",
        "EMAIL_URL": f"file://{tempfile.gettempdir()}/expo-bench-mail",
        "LOG_LEVEL": "WARNING",
        # One trusted proxy: the load tool sends each request with another visitor's address in
        # X-Forwarded-For, as nginx would in production (per-address rate limits stay on).
        "PROXY_COUNT": "1",
        # The tokens of 50 exhibitors' CRMs, each far busier than a real one (the per-token limit of
        # production, 120/minute, would measure the limiter rather than the endpoint).
        "API_TOKEN_RATE": "100000/minute",
    }


def run(cmd: list, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], env=env, cwd=REPO, check=True, **kwargs)


def seed(env: dict, visitors: int) -> None:
    started = time.monotonic()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DATABASE], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DATABASE], check=True)
    run([PYTHON, "manage.py", "migrate", "-v0"], env)
    run([PYTHON, "manage.py", "seed_demo", "--visitors", visitors], env, stdout=subprocess.DEVNULL)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-qc", "ANALYZE"], check=True)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    # Redis still holds what the previous database cached (sessions, the edition, its badge keys):
    # a new database starts with an empty cache, as a new deployment does.
    run([PYTHON, "-c", "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()", env["REDIS_URL"]], env)
    print(f"seeded {visitors} visitors in {time.monotonic() - started:.0f} s")


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer")


def locust(endpoint: str, users: int, duration: int, fixtures: Path, env: dict) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "run"
        subprocess.run(
            [LOCUST, "-f", REPO / "bench" / "web" / "locustfile.py", "--headless", "-u", str(users), "-r", str(users),
             "-t", f"{duration}s", "--host", f"http://127.0.0.1:{PORT}", "--csv", prefix, "--only-summary",
             "--loglevel", "ERROR"],
            env={**env, "BENCH_ENDPOINT": endpoint, "BENCH_FIXTURES": str(fixtures)}, cwd=REPO, check=False,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with open(f"{prefix}_stats.csv") as handle:
            rows = [r for r in csv.DictReader(handle) if r["Name"] not in ("Aggregated", "(setup)")]
        with open(f"{prefix}_failures.csv") as handle:  # what failed: "HTTPError('500 Server Error...')" x n
            why = [f"{r['Error']} x{r['Occurrences']}" for r in csv.DictReader(handle) if r["Name"] != "(setup)"]
    row = rows[0]
    return {
        "rps": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"]),
        "p99": float(row["99%"]), "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
        "why": why,
    }  # fmt: skip


def ticket_rush(env: dict, capacity: int, visitors: int, clients: int = 50) -> None:
    """`visitors` registrations at once (from `clients` threads, each from its own address) for one
    public pass with `capacity` seats: no oversell, no server error, and every confirmation (seat or
    waitlist) emailed by the worker within a minute."""
    import concurrent.futures
    import http.cookiejar
    import re
    import urllib.parse

    # The emails of the endpoints measured before (registrations, enrollments) are sent first: the rush
    # is measured on its own, and the drain gives the worker's sending rate.
    pending = lambda: int(run([PYTHON, "bench/web/prepare.py", "outbox-pending"], env, capture_output=True,  # noqa: E731
                              text=True).stdout)  # fmt: skip
    backlog, drain_started = pending(), time.monotonic()
    while (left := pending()) and time.monotonic() - drain_started < 600:
        time.sleep(2)
    drained = time.monotonic() - drain_started
    print(f"\nemails queued by the runs above: {backlog}, sent by one worker process in {drained:.0f} s "
          f"({backlog / max(drained, 1):.1f} a second){'' if not left else f'; {left} still waiting'}")  # fmt: skip
    setup = json.loads(run([PYTHON, "bench/web/prepare.py", "rush-setup", capacity], env, capture_output=True,
                           text=True).stdout)  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    form = json.loads(Path(env["BENCH_FIXTURES"]).read_text())["registration_form"]

    def register(n: int) -> tuple[int, float]:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        address = {"X-Forwarded-For": f"10.200.{n // 250}.{n % 250 + 1}"}
        page = opener.open(urllib.request.Request(f"{base}/registro/", headers=address), timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        email = f"rush{setup['pass_type']}-{n}@bench.example.mx"  # new people each run
        body = urllib.parse.urlencode(dict(form, pass_type=setup["pass_type"], email=email,
                                           csrfmiddlewaretoken=token)).encode()  # fmt: skip
        started = time.monotonic()
        headers = {**address, "Referer": f"{base}/registro/"}
        request = urllib.request.Request(f"{base}/registro/", data=body, headers=headers)
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        return status, time.monotonic() - started

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        answers = list(pool.map(register, range(visitors)))
    took = time.monotonic() - started
    statuses: dict[int, int] = {}
    for status, _ in answers:
        statuses[status] = statuses.get(status, 0) + 1
    slowest = max(seconds for _, seconds in answers)
    deadline = time.monotonic() + 120
    while True:
        left = json.loads(run([PYTHON, "bench/web/prepare.py", "rush-check", setup["pass_type"]], env,
                              capture_output=True, text=True).stdout)  # fmt: skip
        if left["sent"] >= left["attendees"] or time.monotonic() > deadline:
            break
        time.sleep(2)
    print(f"ticket rush: {visitors} registrations at once ({clients} clients) for {capacity} seats, in {took:.1f} s "
          f"(slowest answer {slowest:.1f} s); HTTP answers {statuses}")  # fmt: skip
    print(f"  registrations {left['statuses']}, pass counter {left['registered_count']}/{left['capacity']} "
          f"(oversold: {'YES' if left['registered_count'] > capacity else 'no'}); confirmation emails "
          f"{left['sent']}/{left['emails']} sent, the last {left['last_sent_after_s'] or 0:.0f} s after the first "
          "was queued")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=30000)
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per endpoint and user count")
    parser.add_argument("--users", default="10,50")
    parser.add_argument("--only", help="comma-separated endpoints (default: all)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the expo_bench database as it is")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread when > 1)")
    parser.add_argument("--rush", default="100,400", help="ticket rush: seats,registrations (0 to skip)")
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit("locust is missing: `make bench-web` installs it in .venv-bench")
    env = bench_env()
    if not args.skip_seed:
        seed(env, args.visitors)
    endpoints = args.only.split(",") if args.only else ENDPOINTS
    users = [int(u) for u in args.users.split(",")]
    processes = []
    try:
        processes.append(subprocess.Popen(
            [PYTHON, "-m", "celery", "-A", "expo", "worker", "--concurrency=1", "--loglevel=WARNING"],
            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))  # fmt: skip
        worker_class = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []
        processes.append(subprocess.Popen(
            [REPO / ".venv" / "bin" / "gunicorn", "expo.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers",
             str(args.workers), *worker_class, "--timeout", "60", "--log-level", "warning"],
            env=env, cwd=REPO, start_new_session=True,
        ))  # fmt: skip
        wait_for(f"http://127.0.0.1:{PORT}/healthz")
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            fixtures = Path(handle.name)
        run([PYTHON, "bench/web/prepare.py", "fixtures", fixtures], env)
        queries = json.loads(run([PYTHON, "bench/web/prepare.py", "queries"], env, capture_output=True,
                                 text=True).stdout)  # fmt: skip
        results, beside = {}, {}
        for endpoint in endpoints:
            # What autovacuum would do in production (it is off on this machine): the planner's figures
            # brought up to date with what the runs before wrote (leads, scans, registrations). With
            # the leads of the lead-create run unknown to it, the lead list joined all of an
            # exhibitor's leads before sorting instead of reading the newest 50 by the index.
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-qc", "ANALYZE"], check=True)
            for n in users:
                results[(endpoint, n)] = locust(endpoint, n, args.duration, fixtures, env)
            if endpoint != "ceiling":
                # The ceiling measured again right after each endpoint, at the larger client count: this
                # machine's speed drifts (the ceiling went from 1,100 to 2,060 req/s within a minute), so
                # each endpoint's share is taken against the ceiling of the same minute.
                beside[endpoint] = locust("ceiling", users[-1], args.duration, fixtures, env)
        if args.rush != "0":
            seats, registrations = (int(n) for n in args.rush.split(","))
            rush = io.StringIO()
            with contextlib.redirect_stdout(rush):
                ticket_rush({**env, "BENCH_FIXTURES": str(fixtures)}, seats, registrations)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
    load = os.getloadavg()
    print(f"\n{args.visitors} visitors · gunicorn {args.workers} workers x {args.threads} threads · "
          f"{os.cpu_count()} cores · load {load[0]:.1f} · {args.duration} s per run")  # fmt: skip
    head = " | ".join(f"{n:>3} users: req/s   p50   p95   p99  fail" for n in users)
    print(f"{'endpoint':22} | {head} | ceiling beside | share | queries")
    for endpoint in endpoints:
        cells = []
        for n in users:
            r = results[(endpoint, n)]
            cells.append(f"{r['rps']:13.0f} {r['p50']:5.0f} {r['p95']:5.0f} {r['p99']:5.0f} {r['failures']:5d}")
        ceiling = beside.get(endpoint) or results[(endpoint, users[-1])]
        share = results[(endpoint, users[-1])]["rps"] / max(ceiling["rps"], 1)
        q = queries.get(endpoint, {}).get("queries", "-")
        print(f"{endpoint:22} | {' | '.join(cells)} | {ceiling['rps']:14.0f} | {share:5.2f} | {q}")
    for (endpoint, n), r in results.items():
        for why in r.get("why", []):
            print(f"  failed: {endpoint} at {n} users: {why[:200]}")
    if args.rush != "0":
        print(rush.getvalue(), end="")
    shutil.rmtree(Path(tempfile.gettempdir()) / "expo-bench-mail", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
