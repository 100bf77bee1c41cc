"""Organizations and their presence at an edition: halls and booths, exhibitors, products, booth staff,
leads, API tokens, webhook endpoints and their delivery outbox, and idempotent API requests.

Rules that must hold whoever writes are constraints: one booth code per edition, one lead per
visitor and exhibitor, one registration on one exhibitor's staff, one idempotency key per token.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import BilingualNameMixin, Event, OrganizationKind, Term
from expo.registration.models import Attendee, PassType

# RFC (Registro Federal de Contribuyentes): 3 letters for a company (4 for a person), the date
# YYMMDD and a 3-character homoclave.
rfc_validator = RegexValidator(
    r"^[A-ZÑ&]{3,4}\d{6}[A-Z0-9]{3}$", _("Enter a valid RFC, for example ABC123456XY1 (12 or 13 characters).")
)


class Organization(models.Model):
    """A company, hospital or institution; outlives editions."""

    class Size(models.TextChoices):
        SME = "sme", _("SME")
        LARGE = "large", _("Large company")

    name = models.CharField(_("name"), max_length=200)
    rfc = models.CharField(_("RFC"), max_length=13, blank=True, validators=[rfc_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices)
    size = models.CharField(_("size"), max_length=5, choices=Size.choices, default=Size.SME)
    state = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.STATE},
        verbose_name=_("state"),
    )
    country = models.CharField(_("country"), max_length=2, default="MX")
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    certifications = models.ManyToManyField(
        Term,
        blank=True,
        related_name="certified_organizations",
        limit_choices_to={"vocabulary": Term.Vocabulary.CERTIFICATION},
        verbose_name=_("certifications"),
    )
    capabilities = models.ManyToManyField(
        Term,
        blank=True,
        related_name="capable_organizations",
        limit_choices_to={"vocabulary": Term.Vocabulary.CAPABILITY},
        verbose_name=_("capabilities"),
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["rfc"], condition=~Q(rfc=""), name="organization_unique_rfc"),
        ]

    def __str__(self) -> str:
        return self.name


class Hall(BilingualNameMixin):
    """An exhibition hall of an edition, drawn on the floor map from its size and place (metres).

    Organizers edit halls and booths in the admin; the SVG map is drawn from these numbers, so there
    is no image to maintain.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="halls", verbose_name=_("edition"))
    code = models.SlugField(_("code"), max_length=20, help_text=_("Short code used in links, e.g. a."))
    position = models.PositiveIntegerField(_("position"), default=0)
    x = models.PositiveIntegerField(_("x on the venue map (m)"), default=0)
    y = models.PositiveIntegerField(_("y on the venue map (m)"), default=0)
    width = models.PositiveIntegerField(_("width (m)"), default=60)
    depth = models.PositiveIntegerField(_("depth (m)"), default=40)

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["event", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="hall_unique_code"),
            models.CheckConstraint(condition=Q(width__gt=0) & Q(depth__gt=0), name="hall_has_area"),
        ]


class ExhibitorQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)

    def of_user(self, user):
        """Exhibitors whose portal this user may use (the Exhibitor.staff link; nothing for anonymous)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(staff=user)


class Exhibitor(models.Model):
    """An organization exhibiting at one edition."""

    class Package(models.TextChoices):
        BOOTH = "booth", _("Booth")
        PREMIUM = "premium", _("Premium booth")
        PAVILION = "pavilion", _("Pavilion")
        SPONSOR = "sponsor", _("Sponsor")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("edition"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="exhibitions", verbose_name=_("organization")
    )
    slug = models.SlugField(
        _("slug"), max_length=80, blank=True,
        help_text=_("Used in the address of the exhibitor's page; empty: made from the company name."),
    )  # fmt: skip
    booth = models.CharField(_("booth"), max_length=20)
    hall = models.ForeignKey(
        Hall, on_delete=models.SET_NULL, null=True, blank=True, related_name="exhibitors", verbose_name=_("hall")
    )
    # The booth on the hall's plan, in metres from the hall's top-left corner; empty: not drawn yet.
    booth_x = models.PositiveIntegerField(_("booth x (m)"), null=True, blank=True)
    booth_y = models.PositiveIntegerField(_("booth y (m)"), null=True, blank=True)
    booth_width = models.PositiveIntegerField(_("booth width (m)"), default=3)
    booth_depth = models.PositiveIntegerField(_("booth depth (m)"), default=3)
    package = models.CharField(_("package"), max_length=20, choices=Package.choices, default=Package.BOOTH)
    staff_badges = models.PositiveSmallIntegerField(
        _("staff badges"), null=True, blank=True, help_text=_("Empty: the quota of the package.")
    )
    categories = models.ManyToManyField(
        Term,
        blank=True,
        related_name="exhibitors",
        limit_choices_to={"vocabulary": Term.Vocabulary.DEVICE_CATEGORY},
        verbose_name=_("categories"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="exhibitor_memberships",
        verbose_name=_("portal users"),
        help_text=_("People who sign in to the exhibitor portal for this exhibitor."),
    )
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    # Company, products and booth in lower case without accents, kept by the services; the directory
    # search matches words against it (the same on SQLite and PostgreSQL; see exhibitors/search.py).
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="exhibitor_once_per_event"),
            models.UniqueConstraint(fields=["event", "booth"], name="exhibitor_unique_booth"),
            models.UniqueConstraint(fields=["event", "slug"], name="exhibitor_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} ({self.booth})"

    @property
    def name(self) -> str:
        return self.organization.name


# How many staff badges each package includes, unless the edition's settings or the exhibitor say otherwise.
STAFF_BADGES_BY_PACKAGE = {
    Exhibitor.Package.BOOTH: 4,
    Exhibitor.Package.PREMIUM: 8,
    Exhibitor.Package.PAVILION: 6,
    Exhibitor.Package.SPONSOR: 12,
}


class ExhibitorSettings(models.Model):
    """What organizers set for the exhibitors of one edition: the staff pass and each package's badges."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="exhibitor_settings", verbose_name=_("edition")
    )
    staff_pass_type = models.ForeignKey(
        PassType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pass type of booth staff"),
        help_text=_("Booth staff registered in the exhibitor portal get this pass and its badge."),
    )
    badges_booth = models.PositiveSmallIntegerField(_("staff badges of a booth"), default=4)
    badges_premium = models.PositiveSmallIntegerField(_("staff badges of a premium booth"), default=8)
    badges_pavilion = models.PositiveSmallIntegerField(_("staff badges of a pavilion"), default=6)
    badges_sponsor = models.PositiveSmallIntegerField(_("staff badges of a sponsor"), default=12)

    class Meta:
        verbose_name = _("exhibitor settings")
        verbose_name_plural = _("exhibitor settings")

    def __str__(self) -> str:
        return str(self.event)

    def badges_for(self, package: str) -> int:
        return getattr(self, f"badges_{package}", STAFF_BADGES_BY_PACKAGE.get(package, 0))


class BoothStaff(models.Model):
    """A registration working at an exhibitor's booth: counted against the package's badge quota."""

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="booth_staff", verbose_name=_("exhibitor")
    )
    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="booth", verbose_name=_("registration")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("added by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("booth staff member")
        verbose_name_plural = _("booth staff")
        ordering = ["exhibitor", "attendee__last_name"]

    def __str__(self) -> str:
        return f"{self.attendee.full_name} @ {self.exhibitor}"


class Product(models.Model):
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="products", verbose_name=_("exhibitor")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    category = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        limit_choices_to={"vocabulary": Term.Vocabulary.DEVICE_CATEGORY},
        verbose_name=_("category"),
    )
    url = models.URLField(_("product page"), blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Lead(models.Model):
    """A visitor whose badge an exhibitor's staff scanned at the booth.

    The lead keeps who the visitor is; their contact details are read from the registration each
    time, and only while the visitor shares them (exhibitors.selectors.lead_contact).
    """

    class Rating(models.TextChoices):
        HOT = "hot", _("Hot")
        WARM = "warm", _("Warm")
        COLD = "cold", _("Cold")

    class Status(models.TextChoices):
        NEW = "new", _("To follow up")
        CONTACTED = "contacted", _("Contacted")
        MEETING = "meeting", _("Meeting set")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="leads", verbose_name=_("exhibitor")
    )
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="leads", verbose_name=_("visitor"))
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    source = models.CharField(_("captured through"), max_length=10, default="portal")
    notes = models.TextField(_("notes"), blank=True, max_length=4000)
    rating = models.CharField(_("rating"), max_length=4, choices=Rating.choices, blank=True)
    status = models.CharField(_("follow-up"), max_length=10, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("captured at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "attendee"], name="lead_once_per_exhibitor"),
            models.CheckConstraint(condition=Q(rating__in=["", "hot", "warm", "cold"]), name="lead_rating_known"),
        ]
        indexes = [models.Index(fields=["exhibitor", "created_at"]), models.Index(fields=["exhibitor", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.exhibitor} → {self.attendee}"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, at=None):
        """Tokens neither revoked nor expired at `at` (now by default)."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


class ApiToken(models.Model):
    """A scoped API token of one exhibitor. Only a SHA-256 digest of the secret is stored.

    The secret is 32 random bytes, so a plain digest is enough (no salt or slow hash is needed
    against guessing); it is shown once, when the token is made.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read the company profile, products and B2B meetings")
        PROFILE = "profile", _("Edit the company profile and products")
        LEADS = "leads", _("Read, capture and update leads")
        WEBHOOKS = "webhooks", _("Manage webhook endpoints")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("exhibitor")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True, help_text=_("Shown to tell tokens apart."))
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def is_usable(self, at=None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > at)

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class WebhookEvent(models.TextChoices):
    LEAD_CREATED = "lead.created", _("A lead was captured")
    LEAD_UPDATED = "lead.updated", _("A lead was updated")
    MEETING_SCHEDULED = "meeting.scheduled", _("A B2B meeting was scheduled")
    MEETING_CANCELLED = "meeting.cancelled", _("A B2B meeting was cancelled")
    PING = "ping", _("Test event")


class WebhookEndpoint(models.Model):
    """Where an exhibitor's CRM wants events (new lead, meeting scheduled...) delivered."""

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("exhibitor")
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Used to sign deliveries (HMAC), so it must be readable by the platform.
    secret = models.CharField(_("signing secret"), max_length=64)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Event names to deliver, empty for all.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("why it was disabled"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # One sender at a time per endpoint keeps deliveries in order: it holds this lease while sending.
    sending_until = models.DateTimeField(_("being sent until"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["exhibitor", "created_at", "pk"]

    def __str__(self) -> str:
        return self.url

    def wants(self, event_type: str) -> bool:
        return event_type == WebhookEvent.PING or not self.events or event_type in self.events


class WebhookDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=WebhookDelivery.Status.PENDING)


class WebhookDelivery(models.Model):
    """One event to deliver to one endpoint: the webhook outbox, written in the transaction of its cause."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False)
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="delivery_once_per_endpoint")]
        indexes = [models.Index(fields=["endpoint", "status", "id"], name="delivery_queue_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint}"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: the log an exhibitor reads (status, time taken, error)."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log", verbose_name=_("delivery")
    )
    started_at = models.DateTimeField(_("at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("time (ms)"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    response_body = models.CharField(_("response"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.delivery} · {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class IdempotentRequest(models.Model):
    """The first answer to an API POST sent with an Idempotency-Key, replayed to retries of it."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+", verbose_name=_("API token"))
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(_("request digest"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True)
    body = models.JSONField(_("body"), null=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_once_per_token")]

    def __str__(self) -> str:
        return self.key
