"""The security gates under the production environment, not the development one.

`manage.py check --deploy` with the production variables reports nothing. Then the real app runs in
gunicorn with those variables (DEBUG=0, SECURE=1, the public host only, behind one proxy), on this
test's PostgreSQL database and Redis, and is spoken to over HTTP as nginx would forward a browser's
HTTPS requests: nothing in these tests copies a setting by hand, the settings module computes them.
`test_headers.py` and `test_security_limits.py` hold the same rules in detail in-process.
"""

import contextlib
import http.client
import os
import re
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from tests.factories import EventFactory, PassTypeFactory
from tests.faults.conftest import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
HOST = "expo.example.mx"
PRODUCTION = {
    "DEBUG": "0",
    "SECURE": "1",
    "SECRET_KEY": "Kp3v9-qX2mZ7wLr8TnB4cY6hJd1sFgA5eUoIkW0zVxN_tRb7yQ",  # 50 characters, 40+ distinct
    "ALLOWED_HOSTS": HOST,
    "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
    "PROXY_COUNT": "1",
    "EMAIL_URL": "locmem:",
    "EXPO_ENV_FILE": "none",
}


def registration_data(event) -> dict:
    # No state or interests: a transactional test's database has no taxonomy terms (they are flushed).
    return {"pass_type": event.pass_types.get().pk, "first_name": "Lucía", "last_name": "Hernández",
            "email": "lucia@hospital.mx", "organization_name": "Hospital Civil", "organization_kind": "hospital",
            "country": "US", "privacy_accepted": "on"}  # fmt: skip


def production_env(**extra: str) -> dict:
    # Nothing of the test run's own environment that production would not have (the browser tests
    # set DJANGO_ALLOW_ASYNC_UNSAFE in this process, which check --deploy rightly refuses).
    dropped = ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, **PRODUCTION, **extra}


def test_check_deploy_reports_nothing_with_the_production_environment():
    env = production_env(DATABASE_URL="postgres://expo:secret@db:5432/expo", REDIS_URL="redis://redis:6379/0")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


class Site:
    """A browser behind the TLS proxy: every request reaches gunicorn as nginx forwards an HTTPS one
    (Host, X-Forwarded-Proto, X-Forwarded-For); cookies kept by hand, Secure ones included."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, *, https: bool = True, address="203.0.113.7",
                headers: dict | None = None):  # fmt: skip
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": HOST, "X-Forwarded-For": address, "Accept-Language": "es-MX"}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent["Referer"] = f"https://{HOST}{path}"  # HTTPS POSTs need a same-origin Referer
        sent.update(headers or {})
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.text = response.read().decode()
        response.set_cookies = {}
        for line in response.msg.get_all("Set-Cookie") or []:
            morsel = next(iter(SimpleCookie(line).values()))
            response.set_cookies[morsel.key] = line
            self.cookies[morsel.key] = morsel.value
        conn.close()
        return response

    def form_post(self, path: str, data: dict, **kwargs):
        page = self.request("GET", path, **kwargs)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": token}, **kwargs)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The production static files (WhiteNoise's manifest), collected once into a folder of this module."""
    folder = tmp_path_factory.mktemp("static")
    result = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                            env=production_env(STATIC_ROOT=str(folder)), capture_output=True, text=True,
                            timeout=180)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def site(static_root, transactional_db):
    """gunicorn serving the app with the production environment on this test's database and Redis."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" or not settings.REDIS_URL:
        pytest.skip("production runs on PostgreSQL and Redis")  # the `postgres`/`redis` marks fail it on CI
    port = free_port()
    env = production_env(DATABASE_URL=database_url(), REDIS_URL=settings.REDIS_URL, STATIC_ROOT=str(static_root))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "expo.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--threads", "4", "--timeout", "60", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        with contextlib.suppress(OSError):
            if Site(port).request("GET", "/healthz/live", https=False).status == 200:
                break
        assert server.poll() is None and time.monotonic() < deadline, server.stdout.read().decode()
        time.sleep(0.1)
    yield Site(port)
    server.terminate()
    server.wait(timeout=20)


@pytest.mark.postgres
@pytest.mark.redis
def test_pages_headers_cookies_and_https_redirect_in_production(site):
    event = EventFactory()
    PassTypeFactory(event=event)
    page = site.request("GET", "/registro/")
    assert page.status == 200
    assert page.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    policy = page.getheader("Content-Security-Policy")
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert page.getheader("X-Content-Type-Options") == "nosniff"
    assert page.getheader("Referrer-Policy") == "same-origin"
    assert page.getheader("X-Frame-Options") == "DENY"
    assert "camera=(self)" in page.getheader("Permissions-Policy")
    assert page.getheader("Cross-Origin-Opener-Policy") == "same-origin"

    # Every cookie the site sets (CSRF, language, staff session) is Secure, HttpOnly and SameSite=Lax.
    language = site.request("POST", "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)})  # fmt: skip
    User.objects.create_superuser("org", password="la-correcta-123")
    signed_in = site.form_post("/admin/login/", {"username": "org", "password": "la-correcta-123", "next": "/admin/"})
    assert signed_in.status == 302
    cookies = {**page.set_cookies, **language.set_cookies, **signed_in.set_cookies}
    assert {"csrftoken", "sessionid"} <= set(cookies)
    assert "expo_language" in cookies
    for line in cookies.values():
        flags = {part.strip().split("=")[0].lower() for part in line.split(";")[1:]}
        assert {"secure", "httponly", "samesite"} <= flags and "samesite=lax" in line.lower(), line

    # Plain HTTP is sent to HTTPS, except the health probes (load balancers speak HTTP to the node).
    plain = site.request("GET", "/programa/?q=1", https=False)
    assert plain.status == 301 and plain.getheader("Location") == f"https://{HOST}/programa/?q=1"
    assert site.request("GET", "/healthz/ready", https=False, headers={"Host": "10.0.0.5"}).status == 200
    # The public host only.
    assert site.request("GET", "/", headers={"Host": "evil.example.com"}).status == 400


@pytest.mark.postgres
@pytest.mark.redis
def test_rate_limits_answer_429_with_retry_after_in_production(site):
    event = EventFactory()
    PassTypeFactory(event=event)
    # Registration: 5 an hour per email; the sixth is refused, the page says for how long.
    for _ in range(5):
        assert site.form_post("/registro/", registration_data(event)).status == 302
    refused = site.form_post("/registro/", registration_data(event))
    assert refused.status == 429 and 3000 <= int(refused.getheader("Retry-After")) <= 3600
    assert "Demasiados intentos" in refused.text
    # The sign-in link: 10 an hour per email.
    for _ in range(10):
        assert site.form_post("/acceso/", {"email": "lucia@hospital.mx"}).status == 200
    refused = site.form_post("/acceso/", {"email": "lucia@hospital.mx"})
    assert refused.status == 429 and int(refused.getheader("Retry-After")) > 0
    # The public API: 120 a minute per address (the proxy's X-Forwarded-For, trusted one hop).
    for _ in range(120):
        assert site.request("GET", "/api/v1/events/", address="198.51.100.9").status == 200
    refused = site.request("GET", "/api/v1/events/", address="198.51.100.9")
    assert refused.status == 429 and 1 <= int(refused.getheader("Retry-After")) <= 60
    assert refused.getheader("Content-Type") == "application/json" and "detail" in refused.text
    assert site.request("GET", "/api/v1/events/", address="198.51.100.10").status == 200


@pytest.mark.postgres
@pytest.mark.redis
def test_staff_sign_in_locks_out_in_production(site):
    User.objects.create_superuser("org", password="la-correcta-123")
    for _ in range(5):
        assert site.form_post("/admin/login/", {"username": "org", "password": "mala", "next": "/admin/"}).status == 200
    locked = site.form_post("/admin/login/", {"username": "org", "password": "la-correcta-123", "next": "/admin/"},
                            address="192.0.2.44")  # fmt: skip
    assert locked.status == 200 and "Demasiados intentos fallidos" in locked.text
    assert "sessionid" not in locked.set_cookies
