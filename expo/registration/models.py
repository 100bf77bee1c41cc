"""Registration: pass types with their quotas, registrations (one per email and edition) and door scans.

Rules that must always hold are database constraints: one registration per email (case-insensitive)
and edition, a pass type never sells more seats than its capacity, one door check-in per person per day.
"""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import BilingualNameMixin, Event, OrganizationKind, Term, language_is_english
from expo.lib.sealed import seal, unseal


class PassTypeQuerySet(models.QuerySet):
    def on_sale(self, at=None):
        """Public pass types whose sales window is open at `at` (now by default).

        Without a sales end, sales close when the edition's last day is over: an ended edition
        never takes registrations.
        """
        at = at or timezone.now()
        return (
            self.filter(is_public=True)
            .filter(Q(sales_start__isnull=True) | Q(sales_start__lte=at))
            .filter(Q(sales_end__isnull=True, event__end_date__gte=timezone.localdate(at)) | Q(sales_end__gt=at))
        )


class PassType(BilingualNameMixin):
    """A kind of registration (visitor, professional with training, B2B buyer...) with its quota."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pass_types", verbose_name=_("edition"))
    slug = models.SlugField(_("slug"), max_length=60)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: unlimited"))
    # Seats taken, kept by the registration services under a row lock; the check constraint makes
    # overselling impossible even for a write that bypasses them.
    registered_count = models.PositiveIntegerField(_("registered"), default=0, editable=False)
    sales_start = models.DateTimeField(_("sales start"), null=True, blank=True)
    sales_end = models.DateTimeField(_("sales end"), null=True, blank=True)
    includes_training = models.BooleanField(_("includes training workshops"), default=False)
    includes_b2b = models.BooleanField(_("includes B2B meetings"), default=False)
    is_public = models.BooleanField(_("offered on the registration page"), default=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    objects = PassTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pass type")
        verbose_name_plural = _("pass types")
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="passtype_unique_slug"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(registered_count__lte=models.F("capacity")),
                name="passtype_capacity_not_exceeded",
            ),
        ]

    @property
    def description(self) -> str:
        if language_is_english() and self.description_en:
            return self.description_en
        return self.description_es

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered_count, 0)

    def on_sale(self, at=None) -> bool:
        """The rule of PassTypeQuerySet.on_sale, for one pass already loaded."""
        at = at or timezone.now()
        return (
            self.is_public
            and (self.sales_start is None or self.sales_start <= at)
            and (at < self.sales_end if self.sales_end else not self.event.has_ended(at))
        )


class AttendeeQuerySet(models.QuerySet):
    def registered_email(self, *, event, email: str):
        """The registration of `email` at `event`, whatever its case, through the Lower(email) index."""
        return self.alias(email_lower=Lower("email")).filter(event=event, email_lower=email.strip().lower())


class Attendee(models.Model):
    """A registration of one person (visitor, exhibitor staff, speaker) at one edition."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("edition"))
    pass_type = models.ForeignKey(
        PassType, on_delete=models.PROTECT, related_name="attendees", verbose_name=_("pass type")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    email = models.EmailField(_("email"))
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organization_name = models.CharField(_("organization"), max_length=200, blank=True)
    organization_kind = models.CharField(
        _("organization kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.OTHER
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
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
    interests = models.ManyToManyField(
        Term,
        blank=True,
        related_name="interested_attendees",
        limit_choices_to={"vocabulary": Term.Vocabulary.DEVICE_CATEGORY},
        verbose_name=_("interests"),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="es-mx")
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted"))
    share_with_exhibitors = models.BooleanField(
        _("shares contact details with exhibitors"),
        default=False,
        help_text=_("Separate, optional consent to hand contact details to exhibitors who scan the badge."),
    )
    badge_code = models.CharField(_("badge code"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    registered_at_desk = models.BooleanField(_("registered at the desk"), default=False)
    # Changes at every sign-in; sign-in links are bound to it, so each link works once.
    last_signin_at = models.DateTimeField(_("last sign-in"), null=True, blank=True, editable=False)
    # Set when the person's data was erased on request (ARCO, personal_data.py): the row stays,
    # anonymous, so that seats, check-ins, attendance and meetings still add up.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True, editable=False)

    objects = AttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "event", name="attendee_one_registration_per_email"),
        ]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["event", "pass_type"])]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class BadgeScan(models.Model):
    """A badge read at a door: the person's check-in of the day."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="badge_scans", verbose_name=_("edition"))
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="scans", verbose_name=_("attendee"))
    day = models.DateField(_("day"))
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    gate = models.CharField(_("gate or device"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("badge scan")
        verbose_name_plural = _("badge scans")
        ordering = ["-scanned_at"]
        constraints = [
            # A door check-in counts once per person per day.
            models.UniqueConstraint(fields=["attendee", "day"], name="badgescan_one_entry_per_day"),
        ]
        indexes = [models.Index(fields=["event", "day"])]

    def __str__(self) -> str:
        return f"{self.attendee} · {timezone.localtime(self.scanned_at):%Y-%m-%d %H:%M}"


BADGE_KEY_PURPOSE = "badge-key"


class BadgeKeyQuerySet(models.QuerySet):
    def valid(self):
        """Keys that verify badges: every key of an edition that organizers have not retired."""
        return self.filter(retired_at__isnull=True)

    def signing_key(self, *, event_id: int) -> "BadgeKey":
        """The key that signs new badges of an edition: its newest valid key, made on first use.

        The first key is created here (not by a migration or the event) so that registrations made
        in bulk (demo, imports) get one too; two simultaneous first uses meet at the unique
        (edition, number) index and both read the winner's key.
        """
        key = self.valid().filter(event_id=event_id).order_by("-number").first()
        if key is not None:
            return key
        try:
            with transaction.atomic():
                return BadgeKey.new(event_id=event_id, number=1)
        except IntegrityError:
            return self.valid().filter(event_id=event_id).order_by("-number").first()


class BadgeKey(models.Model):
    """An Ed25519 key pair that signs the badges of one edition (see badges.py).

    The newest valid key signs; every valid key verifies, so badges printed before a rotation
    still open the doors until the organizers retire the old key. The private key is stored
    sealed (expo.lib.sealed) and never leaves the server; doors receive `public_key` only.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="badge_keys", verbose_name=_("edition"))
    number = models.PositiveSmallIntegerField(_("key number"), help_text=_("Part of every badge code it signs."))
    public_key = models.CharField(_("public key"), max_length=64, editable=False)
    sealed_private_key = models.TextField(_("private key (encrypted)"), editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    retired_at = models.DateTimeField(
        _("retired at"), null=True, blank=True, help_text=_("Badges signed with a retired key are refused.")
    )

    objects = BadgeKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("badge signing key")
        verbose_name_plural = _("badge signing keys")
        ordering = ["event", "-number"]
        constraints = [models.UniqueConstraint(fields=["event", "number"], name="badgekey_unique_number")]

    def __str__(self) -> str:
        return f"{self.event} · {self.number}"

    @classmethod
    def new(cls, *, event_id: int, number: int) -> "BadgeKey":
        private = Ed25519PrivateKey.generate()
        raw_private = private.private_bytes_raw()
        raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls.objects.create(
            event_id=event_id,
            number=number,
            public_key=base64.b64encode(raw_public).decode(),
            sealed_private_key=seal(raw_private, purpose=BADGE_KEY_PURPOSE),
        )

    def private_key(self):

        return Ed25519PrivateKey.from_private_bytes(unseal(self.sealed_private_key, purpose=BADGE_KEY_PURPOSE))

    @property
    def public_key_bytes(self) -> bytes:
        return base64.b64decode(self.public_key)

    @property
    def fingerprint(self) -> str:
        """A short fingerprint of the public key, to tell keys apart in the admin."""
        return hashlib.sha256(self.public_key_bytes).hexdigest()[:16]


class BadgeBatch(models.Model):
    """A batch of printable badges built by a Celery task (expo.registration.tasks.badge_batch_build).

    Large batches (2,000 badges take tens of seconds) are never built inside a web request: the
    organizer gets a page with the progress and, when it is done, the PDF. The PDF is kept in the
    database (a few MB), so the web and worker containers need no shared disk.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="badge_batches", verbose_name=_("edition"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    pass_type = models.ForeignKey(
        PassType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("pass type")
    )
    attendee_ids = models.JSONField(_("registrations"), default=list, blank=True, help_text=_("Empty: all."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("badges"), default=0)
    done = models.PositiveIntegerField(_("badges drawn"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} · {self.total} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / self.total) if self.total else 0
