"""Organizations and their presence at an edition: exhibitors, products, leads, API access, webhooks."""

import hashlib

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import Event, OrganizationKind, Term
from expo.registration.models import Attendee

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


class ExhibitorQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)


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
    booth = models.CharField(_("booth"), max_length=20)
    hall = models.CharField(_("hall"), max_length=60, blank=True)
    package = models.CharField(_("package"), max_length=20, choices=Package.choices, default=Package.BOOTH)
    categories = models.ManyToManyField(
        Term,
        blank=True,
        related_name="exhibitors",
        limit_choices_to={"vocabulary": Term.Vocabulary.DEVICE_CATEGORY},
        verbose_name=_("categories"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="exhibitor_memberships", verbose_name=_("staff")
    )
    is_listed = models.BooleanField(_("listed in the directory"), default=True)

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="exhibitor_once_per_event"),
            models.UniqueConstraint(fields=["event", "booth"], name="exhibitor_unique_booth"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name} ({self.booth})"


class Product(models.Model):
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="products", verbose_name=_("exhibitor")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Term,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        limit_choices_to={"vocabulary": Term.Vocabulary.DEVICE_CATEGORY},
        verbose_name=_("category"),
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lead(models.Model):
    """A visitor whose badge an exhibitor's staff scanned at the booth."""

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
    notes = models.TextField(_("notes"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    created_at = models.DateTimeField(_("captured at"), default=timezone.now)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "attendee"], name="lead_once_per_exhibitor"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__lte=5), name="lead_rating_0_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.exhibitor} → {self.attendee}"


class ApiToken(models.Model):
    """A scoped API token of an exhibitor. Only a SHA-256 digest of the secret is stored."""

    class Scope(models.TextChoices):
        LEADS_READ = "leads:read", _("Read leads")
        PRODUCTS_WRITE = "products:write", _("Manage products")
        MEETINGS_READ = "meetings:read", _("Read B2B meetings")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("exhibitor")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, help_text=_("Shown to tell tokens apart."))
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()


class WebhookEndpoint(models.Model):
    """Where an exhibitor's CRM wants events (new lead, meeting scheduled...) delivered."""

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="webhook_endpoints", verbose_name=_("exhibitor")
    )
    url = models.URLField(_("URL"))
    # Used to sign deliveries (HMAC), so it must be readable by the platform.
    secret = models.CharField(_("signing secret"), max_length=64)
    events = models.JSONField(_("events"), default=list, help_text=_("Event names to deliver, empty for all."))
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["exhibitor", "url"]

    def __str__(self) -> str:
        return self.url
