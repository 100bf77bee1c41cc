"""Shared fixtures, the service policy, and the browser (Playwright driving Debian's Chromium).

Tests marked `postgres` or `redis` need that service. Where it is missing they skip, except when
CI=true or EXPO_REQUIRE_SERVICES=1, where they fail: CI must never skip a service test.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis as redis_client
from celery._state import _set_task_join_will_block
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from expo.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("CI", "").lower() == "true" or os.environ.get("EXPO_REQUIRE_SERVICES") == "1"


def _redis_per_worker() -> None:
    """Under pytest-xdist (`make test` runs two workers), each worker uses its own Redis database, as
    it has its own PostgreSQL test database: every test clears the cache, and Redis is also the Celery
    broker of the worker tests, so a shared database would let one worker wipe the other's state.
    Runs before anything opens a cache or broker connection (they are created lazily)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not settings.REDIS_URL or not worker.startswith("gw"):
        return
    base, _, db = settings.REDIS_URL.rpartition("/")
    url = f"{base}/{int(db or 0) + int(worker[2:])}"
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = url
    settings.CACHES["default"]["LOCATION"] = url
    celery_app.conf.broker_url = celery_app.conf.result_backend = url


_redis_per_worker()


def redis_url() -> str | None:
    return os.environ.get("TEST_REDIS_URL") or settings.REDIS_URL


def _missing(service: str, why: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{service} is required here (CI) but {why}", pytrace=False)
    pytest.skip(f"{service} not available: {why}")


@pytest.fixture(autouse=True)
def _services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("PostgreSQL", "DATABASE_URL does not point to PostgreSQL")
    if request.node.get_closest_marker("redis"):
        url = redis_url()
        if not url:
            _missing("Redis", "neither REDIS_URL nor TEST_REDIS_URL is set")
        try:
            redis_client.Redis.from_url(url, socket_connect_timeout=1).ping()
        except redis_client.RedisError as exc:
            _missing("Redis", f"{url} does not answer ({exc})")


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process in tests, except where a test starts a real worker."""
    eager = request.node.get_closest_marker("worker") is None
    # Eager calls flip a process-wide "joining would block" flag and restore it afterwards; calls
    # from several threads at once (the concurrency tests) can leave it set. Start each test clean.
    _set_task_join_will_block(False)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


# Staff sign-in has two steps for organizers (expo/dashboard/two_factor.py). Tests that are not about
# signing in start from a session that passed both, as the admin's login and code pages leave it.


def two_factor_device(user):
    """The user's confirmed authenticator app (made if missing), as after enrolling."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def two_factor_code(device, *, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` periods of 30 s later: a code is accepted once, and
    the next period's is accepted too)."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step):06d}"


def login_verified(client, user):
    """client.force_login, and for staff the session verified by their app, as django_otp.login leaves it."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from expo.dashboard.two_factor import CONFIRMED_AT_SESSION_KEY

    client.force_login(user)
    if user.is_staff or user.is_superuser:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = two_factor_device(user).persistent_id
        session[CONFIRMED_AT_SESSION_KEY] = time.time()  # the code was just typed
        session.save()
    return client


def browser_sign_in(page, url: str, username: str, password: str):
    """Sign in through the admin's pages in the browser: password, then the code of the user's app."""
    from django.contrib.auth import get_user_model

    device = two_factor_device(get_user_model().objects.get(username=username))
    page.goto(url)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#id_password").press("Enter")
    page.locator("#id_code").fill(two_factor_code(device))
    page.locator("#id_code").press("Enter")
    # Wait until the code is accepted: the code page's own URL ends with "?next=/admin/", so a test
    # waiting for "**/admin/" went on at once, and its next navigation could cut the code's POST short.
    page.wait_for_url(lambda url: "/two-factor/" not in url)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, past the second step."""
    return login_verified(client, admin_user)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (es-MX): a test that activates English and fails or
    forgets to deactivate it must not change what the next test in that process reads."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@contextlib.contextmanager
def celery_broker(url: str):
    """Point the Celery app at a broker (a real one, or a dead address) for the block."""
    previous = (celery_app.conf.broker_url, celery_app.conf.result_backend, celery_app.conf.task_always_eager)

    def reset():
        celery_app._after_fork()  # drops the cached connection pools, as in a forked child
        celery_app._backend_cache = None  # the result backend, cached for the old URL
        celery_app._local.__dict__.pop("backend", None)

    celery_app.conf.broker_url = celery_app.conf.result_backend = url
    celery_app.conf.task_always_eager = False
    reset()
    try:
        yield celery_app
    finally:
        celery_app.conf.broker_url, celery_app.conf.result_backend, celery_app.conf.task_always_eager = previous
        reset()


@contextlib.contextmanager
def celery_worker(*, queue: str, env: dict):
    """A real `celery worker` process consuming `queue`, stopped at the end of the block."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "expo", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING", "-Q", queue],
        cwd=ROOT, env={**os.environ, "DEBUG": "1", **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def pytest_collection_modifyitems(config, items):
    """Browser tests run a second time when they fail. Under `-n 2`, about one full run in five, a
    door-page test has waited in vain for the answer to its first request after signing in (the
    scan, the desk search), on SQLite and on PostgreSQL; it never reproduced alone (dozens of runs)
    and its cause is not found. A test that fails twice still fails, and the page fixture prints
    every request and answer of a failed run, so the next occurrence says whether the server
    answered (README "Tests")."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=1))


# Browser tests: Playwright drives Debian's Chromium; no browser is downloaded at test time.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def _playwright():
    path = chromium_path()
    if path is None:
        message = "Chromium not installed (apt-get install chromium; .ci/run does it)"
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread for the whole session; the ORM calls
    # that tests and database fixtures make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(_playwright):
    # A phone in Mexico: small screen, Spanish (Mexico) as the browser's language.
    context = _playwright.new_context(viewport={"width": 390, "height": 844}, locale="es-MX", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    # What the page asked and got, printed at teardown: a failing browser test shows it (pytest's
    # "Captured stdout teardown"), so a step that waited in vain says whether the server answered.
    log = []
    page.on("response", lambda r: log.append(f"{r.status} {r.request.method} {r.url}")
            if r.request.resource_type in ("document", "fetch", "xhr") else None)  # fmt: skip
    page.on("requestfailed", lambda r: log.append(f"failed {r.method} {r.url}: {r.failure}"))
    page.on("console", lambda m: log.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    yield page
    context.close()
    print("\n".join(log))
