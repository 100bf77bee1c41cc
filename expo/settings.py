"""Settings for the expo platform: one file, every value from an environment variable.

Each variable is parsed and validated by a small helper below; a bad value stops start-up with an
ImproperlyConfigured error that names the variable. The defaults give a development setup that
needs no server at all: SQLite in the project folder, Celery tasks run in-process, email printed
to the console. Production sets DATABASE_URL, REDIS_URL, SECRET_KEY, ALLOWED_HOSTS and EMAIL_URL.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_file_load(path: Path) -> None:
    """Read KEY=VALUE lines of a development env file into os.environ, never over a real variable.

    `make run` writes var/dev.env (DEBUG=1, PORT), so that the README's commands (`python manage.py
    schedule_meetings ...`) work as written in a development checkout. var/ is not in git nor in the
    Docker image (.dockerignore), so production never reads it; EXPO_ENV_FILE=none turns it off
    (the test suite does), or names another file.
    """
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        os.environ.setdefault(name, value.strip("'\""))


_env_file = os.environ.get("EXPO_ENV_FILE", str(BASE_DIR / "var" / "dev.env"))
if _env_file.lower() != "none":
    env_file_load(Path(_env_file))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {number}")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(name: str, default: str) -> dict:
    url = env_str(name, default)
    if not url.startswith(("sqlite:", "postgres:", "postgresql:")):
        raise ImproperlyConfigured(f"{name} must be a sqlite:/// or postgres:// URL, not {url.split(':', 1)[0]!r}")
    try:
        config = dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3":
        # A kept connection (conn_max_age) that the server dropped meanwhile (a restart, a failover, a
        # pooler closing idle links) is checked and replaced before a request uses it, instead of
        # failing that request with a 500.
        config["CONN_HEALTH_CHECKS"] = True
        if env_bool("DATABASE_POOLED", False):
            # Behind PgBouncer in transaction mode (README "Past one machine"): a server-side cursor
            # (what .iterator() uses) must not outlive its transaction, and the pooler, not each
            # process, keeps the connections open.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            config["CONN_MAX_AGE"] = 0
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Several processes (web, tests, a worker) may share the file: wait for locks, and take the
        # write lock at the start of a transaction so that select_for_update-style sections queue.
        config["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    return config


def redis_from_url(name: str) -> str | None:
    url = env_str(name)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must look like redis://host:port/db, not {url!r}")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port: {url!r}") from None
    return url


def email_from_url(name: str, default: str) -> dict:
    """EMAIL_URL: `console:`, `locmem:`, `file:///path/to/dir` or `smtp://user:pass@host:port?tls=1`."""
    url = env_str(name, default)
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured(f"{name}=file:// needs a folder, for example file:///tmp/mail")
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parts.path}
    if parts.scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured(f"{name} must name a host, for example smtp://mail.example.com:587")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 25)
        except ValueError:
            raise ImproperlyConfigured(f"{name} has an invalid port: {url!r}") from None
        query = parse_qs(parts.query)
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": parts.scheme == "smtps",
            "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in ("1", "true", "yes"),
            "EMAIL_TIMEOUT": 20,
        }
    raise ImproperlyConfigured(f"{name} must start with console:, locmem:, file:// or smtp://, not {url!r}")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for development)")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
PORT = env_int("PORT", 8000, minimum=1, maximum=65535)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    # Django's admin with the organizers' site (dashboard home, audit trail, no exhibitor staff).
    "expo.dashboard.apps.ExpoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "auditlog",
    "import_export",
    # Two-factor sign-in of staff: authenticator apps (TOTP) and backup codes (expo/dashboard/two_factor.py).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The apps, floor by floor (each imports only from its own floor or below; see README "Layout").
    "expo.events",
    "expo.mail",
    "expo.registration",
    "expo.program",
    "exhibitors",
    "networking",
    "expo.dashboard",
    "expo.demo",
    "expo",
]

MIDDLEWARE = [
    # Health probes first: answered before the HTTPS redirect and the ALLOWED_HOSTS check (expo/health.py).
    "expo.health.HealthProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (this site only; no inline script) and Permissions-Policy.
    "expo.lib.security_headers.SecurityHeadersMiddleware",
    # NUL characters and over-long parameters under /api/ answer 400 before any view; in the query of
    # pages a NUL becomes U+FFFD (expo/lib/api_input.py).
    "expo.lib.api_input.ApiInputGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which OTP device verified this session (request.user.is_verified()), then the gate that sends
    # staff who owe a second step (a code, or enrolling) to it before any other page.
    "django_otp.middleware.OTPMiddleware",
    "expo.dashboard.two_factor.TwoFactorMiddleware",
    # Records the signed-in user as the actor of every audited change (expo/dashboard/audit.py).
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "expo.urls"
WSGI_APPLICATION = "expo.wsgi.application"
ASGI_APPLICATION = "expo.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `b2b`: the signed-in visitor's B2B link and status (lazy; no query until shown).
                "networking.context_processors.b2b",
            ],
            # Date, time and number filters of expo/lib/formatting.py, in every template.
            "builtins": ["expo.lib.template_library"],
        },
    },
]

# Local state (the SQLite file, the demo login, uploads) lives in var/, which git ignores.
(BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {"default": database_from_url("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign-in locks out after repeated wrong passwords (expo/lib/login_lockout.py).
# The password step with its lockout, and staff loaded in one statement a request (expo/dashboard/auth_backend.py).
AUTHENTICATION_BACKENDS = ["expo.dashboard.auth_backend.StaffBackend"]
# Reverse proxies in front of the app that add X-Forwarded-For (the TLS proxy: 1). Rate limits and
# the API throttle take the client's address from there; 0 trusts nothing but REMOTE_ADDR.
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0, maximum=5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Mexican Spanish first (the default), English second. Source strings are English.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "expo_language"
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where collectstatic puts the files WhiteNoise serves (the image collects them at build time).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "expo" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = BASE_DIR / "var" / "media"
MEDIA_URL = "/media/"

LOGIN_URL = "admin:login"
# Authenticator apps show this name beside the account. django-otp's own exponential throttle is off:
# wrong codes are counted by the sign-in lockout instead (expo/lib/login_lockout.py), which says for how
# long in the person's language; the throttle would refuse a right code typed a second after a typo.
OTP_TOTP_ISSUER = "Medical Expo"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Visitors sign in with emailed links; a link expires after this many hours (and works once).
SIGNIN_LINK_HOURS = env_int("SIGNIN_LINK_HOURS", 72, minimum=1, maximum=24 * 30)

# Email
globals().update(email_from_url("EMAIL_URL", "console:"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Medical Expo <registro@medicalexpo.mx>")

# Redis: the Celery broker and the Django cache when set; tasks run in-process when not.
REDIS_URL = redis_from_url("REDIS_URL")
if REDIS_URL:
    # One redis.Redis client per pool, not one per cache call (expo/lib/redis_cache.py).
    CACHES = {"default": {"BACKEND": "expo.lib.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Fail fast when Redis is unreachable instead of blocking a web request: the email outbox and the
# periodic drain make sure nothing queued from a request is lost.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
}
CELERY_BEAT_SCHEDULE = {
    # Emails whose task could not be queued (broker down) or whose sending failed.
    "outbox-drain": {"task": "expo.mail.tasks.outbox_drain", "schedule": 60.0},
    "b2b-requests-expire": {"task": "networking.tasks.meeting_requests_expire", "schedule": 300.0},
    # Scheduler runs whose task could not be queued (broker down) when an organizer started them.
    "b2b-runs-redispatch": {"task": "networking.tasks.schedule_runs_redispatch", "schedule": 60.0},
    # Workshop seats offered from a waitlist and not accepted in time pass on to the next person.
    "program-offers-expire": {"task": "expo.program.tasks.enrollment_offers_expire", "schedule": 60.0},
    # Tomorrow's meetings and sessions, from 9:00 on, once per person and day (idempotent).
    "reminders": {"task": "expo.mail.tasks.reminders_send", "schedule": 3600.0},
    # Webhook deliveries whose task could not be queued (broker down), and retries that are due.
    "exhibitor-webhooks-drain": {"task": "exhibitors.tasks.webhooks_drain", "schedule": 60.0},
    "api-idempotency-purge": {"task": "exhibitors.tasks.idempotent_requests_purge", "schedule": 3600.0},
    # Badge batches whose task could not be queued (broker down) when an organizer asked for them.
    "badge-batches-redispatch": {"task": "expo.registration.tasks.badge_batches_redispatch", "schedule": 60.0},
    # Certificate batches and campaigns likewise (and those a killed worker left half-way).
    "certificate-batches-redispatch": {"task": "expo.program.tasks.certificate_batches_redispatch", "schedule": 60.0},
    "campaigns-redispatch": {"task": "expo.dashboard.tasks.campaigns_redispatch", "schedule": 60.0},
}

# Bulk import and export in the admin (django-import-export): an import is previewed, runs in one
# transaction (a bad row imports nothing), and needs the import_/export_ permissions that
# expo/dashboard/roles.py creates; exported cells that look like formulas are neutralized
# (each admin sets `formats = expo.lib.exports.BULK_FORMATS`: CSV and XLSX through cell_safe).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# The audit trail (django-auditlog): changes as JSON, who made them from the request.
AUDITLOG_STORE_JSON_CHANGES = True
AUDITLOG_DISABLE_REMOTE_ADDR = True  # the actor is enough; IP addresses are personal data we need not keep

REST_FRAMEWORK = {
    # drf-spectacular's, plus each operation's errors, scopes and Idempotency-Key (exhibitors/api_auth.py).
    "DEFAULT_SCHEMA_CLASS": "exhibitors.api_auth.ApiSchema",
    # limit 1-200 (default 50), offset 0 or more; anything else is a 400 (expo/lib/api_input.py).
    "DEFAULT_PAGINATION_CLASS": "expo.lib.api_input.StrictLimitOffsetPagination",
    # JSON with a lone surrogate in a string is a 400 naming the field (expo/lib/api_input.py).
    "DEFAULT_PARSER_CLASSES": [
        "expo.lib.api_input.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        # DRF's, letting requests through when the cache (Redis) is down (expo/lib/throttling.py).
        "expo.lib.throttling.AnonRateThrottle",
        "expo.lib.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "120/minute", "user": "600/minute"},
    # DRF trusts the whole X-Forwarded-For unless told how many proxies there are: never spoofable.
    "NUM_PROXIES": PROXY_COUNT,
    "EXCEPTION_HANDLER": "expo.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Medical Expo API",
    "DESCRIPTION": "Program, exhibitors and networking of Medical Expo editions.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Separate request and response components, so clients (and schemathesis) see what they may send.
    "COMPONENT_SPLIT_REQUEST": True,
    # `<id:pk>` (expo/lib/parsing.py IdConverter) is an integer path parameter.
    "PATH_CONVERTER_OVERRIDES": {"id": int},
    "ENUM_NAME_OVERRIDES": {
        "LeadStatusEnum": "exhibitors.models.Lead.Status",
        "DeliveryStatusEnum": "exhibitors.models.WebhookDelivery.Status",
        "MeetingStatusEnum": "networking.models.Meeting.Status",
    },
    # The guide to the exhibitor API (auth, scopes, idempotency, errors, webhooks) in the docs' header;
    # the errors every operation can answer with (400, 404, 429) are in the schema too.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "exhibitors.api_docs.schema_document",
        "expo.lib.api_input.schema_add_error_responses",
    ],
}

# The exhibitor API and its webhooks.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "120/minute")
_count, _, _period = API_TOKEN_RATE.partition("/")
if not _count.isdigit() or _period not in ("second", "minute", "hour", "day"):
    raise ImproperlyConfigured(f"API_TOKEN_RATE must look like 120/minute, not {API_TOKEN_RATE!r}")
# Webhook URLs must be https in production; plain http only in development.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", DEBUG)
# Never deliver to loopback or private addresses (SSRF), except for a receiver on this machine in development.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
# The first retry of a failed delivery waits this long, then twice as long each time (for up to a day).
WEBHOOKS_RETRY_BASE_SECONDS = env_int("WEBHOOKS_RETRY_BASE_SECONDS", 30, minimum=1, maximum=3600)

# Security defaults; the HTTPS-only ones switch on with SECURE=1 behind a TLS proxy.
SECURE = env_bool("SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if SECURE else 0  # a year, once the site is served over HTTPS
# The names under the site's host (a staging or docs host under expo.example.mx) are HTTPS too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
# No `preload` (check --deploy's security.W021, silenced below): the preload list takes registrable
# domains only (example.mx, not expo.example.mx) and binds every site of that domain to HTTPS for
# good; that is the domain owner's decision, made at hstspreload.org, not this application's.
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No script reads a cookie (forms carry the CSRF token; checkin.js takes it from its form), so every
# cookie is HttpOnly; all go over HTTPS only with SECURE=1, and none is sent by other sites' requests.
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SECURE
# The Swagger UI and ReDoc bundles inject styles and start blob: workers (see expo/lib/security_headers.py).
CSP_RELAXED_PATHS = ["/api/docs/", "/api/redoc/"]
# Sessions: staff (doors, desk, organizers) stay signed in through a three-day fair; a visitor's
# session, opened from an emailed link on a phone that may be shared, lasts a day (access.py).
# Sessions read from the cache (Redis) and kept in the database; with the cache down, the database
# alone (expo/lib/sessions.py).
SESSION_ENGINE = "expo.lib.sessions"
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_HOURS", 72, minimum=1, maximum=24 * 30) * 3600
VISITOR_SESSION_SECONDS = env_int("VISITOR_SESSION_HOURS", 24, minimum=1, maximum=24 * 30) * 3600

# Logs carry ids, never personal data: every handler rewrites what it writes through the redacting
# filter (emails, phones, tokens, sign-in and calendar links, badge codes; expo/lib/log_redaction.py).
# Django's own handlers are replaced here (runserver's request lines go through it too); the Celery
# worker's and gunicorn's handlers get the same filter in expo/celery.py and gunicorn.conf.py.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "expo.lib.log_redaction.RedactingFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["redact"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "celery": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
