"""The core event domain: editions, venues, the program, pass types, registrations and badge scans.

Every model except the venue (a building outlives editions) and the taxonomy hangs off an Event,
so that several editions live side by side. Rules that must always hold are database constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin(models.Model):
    """A name in Spanish and English; `name` gives the one for the active language."""

    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "es").lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_es


class Term(BilingualNameMixin):
    """An entry of one of the taxonomies that organizers edit: categories, capabilities, states..."""

    class Vocabulary(models.TextChoices):
        DEVICE_CATEGORY = "device_category", _("Device category")
        CAPABILITY = "capability", _("Supplier capability")
        CERTIFICATION = "certification", _("Certification")
        STATE = "state", _("Mexican state")
        SPECIALTY = "specialty", _("Medical specialty")

    vocabulary = models.CharField(_("vocabulary"), max_length=32, choices=Vocabulary.choices, db_index=True)
    slug = models.SlugField(_("slug"), max_length=80)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["vocabulary", "position", "name_es"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "slug"], name="term_unique_slug")]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def current(self):
        """The edition the public site shows: the published one that ends last (None if none)."""
        return self.published().order_by("-end_date", "-pk").first()


class Venue(models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="MX")

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue"))
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """One edition of the fair (Medical Expo 2025, 2026...)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="events", verbose_name=_("venue"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    tagline_es = models.CharField(_("tagline (Spanish)"), max_length=300, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=300, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="event_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tagline(self) -> str:
        if (get_language() or "es").startswith("en") and self.tagline_en:
            return self.tagline_en
        return self.tagline_es

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Track(BilingualNameMixin):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks", verbose_name=_("edition"))
    color = models.CharField(_("color"), max_length=7, default="#0b6e99")

    class Meta:
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["name_es"]


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers", verbose_name=_("edition"))
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(models.QuerySet):
    def for_event(self, event):
        return self.filter(event=event)

    def training(self):
        return self.filter(training_hours__gt=0)

    def upcoming(self):
        return self.filter(end__gte=timezone.now())


class Session(models.Model):
    """A slot of the program: keynote, presentation, panel or training workshop."""

    class Kind(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote")
        PRESENTATION = "presentation", _("Presentation")
        PANEL = "panel", _("Panel")
        WORKSHOP = "workshop", _("Training workshop")

    class Language(models.TextChoices):
        SPANISH = "es", _("Spanish")
        ENGLISH = "en", _("English")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("edition"))
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRESENTATION)
    track = models.ForeignKey(
        Track, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions", verbose_name=_("track")
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("room"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: the room's"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SPANISH)
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions", verbose_name=_("speakers"))
    training_hours = models.DecimalField(
        _("training hours credited"),
        max_digits=4,
        decimal_places=2,
        default=0,
        help_text=_("Certified training hours a visitor earns by attending."),
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "room__name"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(training_hours__gte=0), name="session_training_hours_positive"),
        ]
        indexes = [models.Index(fields=["event", "start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def seats(self) -> int:
        return self.capacity if self.capacity is not None else self.room.capacity


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
        if (get_language() or "es").startswith("en") and self.description_en:
            return self.description_en
        return self.description_es

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered_count, 0)

    def on_sale(self, at=None) -> bool:
        at = at or timezone.now()
        return (self.sales_start is None or self.sales_start <= at) and (self.sales_end is None or at < self.sales_end)


class Attendee(models.Model):
    """A registration of one person (visitor, exhibitor staff, speaker) at one edition."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class OrganizationKind(models.TextChoices):
        HOSPITAL = "hospital", _("Hospital or clinic")
        MANUFACTURER = "manufacturer", _("Manufacturer")
        SUPPLIER = "supplier", _("Supplier")
        DISTRIBUTOR = "distributor", _("Distributor")
        GOVERNMENT = "government", _("Government")
        ACADEMIA = "academia", _("Academia")
        OTHER = "other", _("Other")

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
    """A badge read: at a door (check-in) or at a session's room (attendance for training hours)."""

    class Kind(models.TextChoices):
        ENTRY = "entry", _("Door check-in")
        SESSION = "session", _("Session attendance")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="badge_scans", verbose_name=_("edition"))
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="scans", verbose_name=_("attendee"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="scans", verbose_name=_("session")
    )
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
            # A door check-in counts once per person per day; a session attendance once per session.
            models.UniqueConstraint(
                fields=["attendee", "day"], condition=Q(kind="entry"), name="badgescan_one_entry_per_day"
            ),
            models.UniqueConstraint(
                fields=["attendee", "session"], condition=Q(kind="session"), name="badgescan_one_per_session"
            ),
            models.CheckConstraint(
                condition=(Q(kind="entry", session__isnull=True) | Q(kind="session", session__isnull=False)),
                name="badgescan_session_matches_kind",
            ),
        ]
        indexes = [models.Index(fields=["event", "kind", "day"])]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.get_kind_display()} · {self.scanned_at:%Y-%m-%d %H:%M}"


class OutboxEmail(models.Model):
    """An email to send, written in the same transaction as what caused it.

    A task sends it right after the commit; if the broker was down then, the periodic drain sends
    it once the broker is back. The message is rendered at send time in the attendee's language.
    """

    class Kind(models.TextChoices):
        REGISTRATION_CONFIRMED = "registration_confirmed", _("Registration confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        WAITLIST_PROMOTED = "waitlist_promoted", _("Seat freed from the waitlist")
        SIGNIN_LINK = "signin_link", _("Sign-in link")
        REGISTRATION_CANCELLED = "registration_cancelled", _("Registration cancelled")
        B2B_REQUEST_RECEIVED = "b2b_request_received", _("B2B meeting request received")
        B2B_REQUEST_ACCEPTED = "b2b_request_accepted", _("B2B meeting request accepted")
        B2B_MEETINGS_PUBLISHED = "b2b_meetings_published", _("B2B agenda published")
        B2B_MEETING_CANCELLED = "b2b_meeting_cancelled", _("B2B meeting cancelled")

    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    attendee = models.ForeignKey(Attendee, on_delete=models.CASCADE, related_name="emails", verbose_name=_("attendee"))
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.attendee.email}"
