"""The program of an edition and what visitors do with it.

Tracks, speakers and sessions (keynotes, talks, panels, workshops); per visitor: sessions saved to
"My agenda", enrollments in the sessions that need one (with a waitlist and time-limited offers of
freed seats), badge scans at room doors, the time present that they add up to, and certificates of
training hours (constancias) with the optional fields of Mexico's DC-3 format.

Rules that must always hold are constraints here: one enrollment per person and session, a session
never has more enrollments than seats, one valid certificate per person, one running certificate
batch per edition, a room scan recorded once however often a scanner sends it.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import BilingualNameMixin, Event, Room
from expo.registration.models import Attendee

DEFAULT_ATTENDANCE_SHARE = Decimal("0.80")


class ProgramSettings(models.Model):
    """What organizers set per edition for enrollment, attendance and certificates."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="program_settings", verbose_name=_("edition")
    )
    attendance_share = models.DecimalField(
        _("share of presence that credits hours"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_ATTENDANCE_SHARE,
        validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1.00"))],
        help_text=_("0.80: a visitor present for 80% of a workshop earns its hours."),
    )
    offer_hours = models.PositiveIntegerField(
        _("hours to accept a freed seat"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
        help_text=_("A seat offered to the first person waiting passes on after this time (or at the start)."),
    )
    scan_margin_minutes = models.PositiveIntegerField(
        _("room scans accepted before the start and after the end (minutes)"),
        default=30,
        validators=[MaxValueValidator(240)],
    )
    certificate_signer_name = models.CharField(_("certificate signed by"), max_length=200, blank=True)
    certificate_signer_title = models.CharField(_("signer's position"), max_length=200, blank=True)
    training_provider = models.CharField(
        _("training provider (DC-3)"), max_length=200, blank=True, help_text=_("Agente capacitador.")
    )
    training_provider_registration = models.CharField(
        _("provider's STPS registration (DC-3)"), max_length=60, blank=True
    )

    class Meta:
        verbose_name = _("program settings")
        verbose_name_plural = _("program settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(attendance_share__gt=0) & Q(attendance_share__lte=1), name="programsettings_share_range"
            ),
        ]

    def __str__(self) -> str:
        return str(self.event)


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
    position = models.CharField(_("position"), max_length=200, blank=True)
    bio = models.TextField(_("biography"), blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(models.QuerySet):
    def scheduled(self):
        """Sessions that take place (not cancelled)."""
        return self.exclude(status=Session.Status.CANCELLED)

    def enrollable(self):
        """Scheduled sessions that take enrollments (the workshops)."""
        return self.scheduled().filter(enrollment_required=True)

    def overlapping(self, start, end):
        """Sessions that share some time with [start, end)."""
        return self.filter(start__lt=end, end__gt=start)


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

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

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
    enrollment_required = models.BooleanField(
        _("enrollment required"), default=False, help_text=_("Visitors book a seat (workshops); needs a capacity.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # Seats taken (enrolled, or offered to someone from the waitlist), kept by the enrollment services
    # under a row lock; the check constraint makes overbooking impossible even for a write that bypasses them.
    enrolled_count = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    # Grows with every change a calendar must see (time, room, cancellation): the iCalendar SEQUENCE.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    # Title, abstract, speakers and tracks without accents, in lower case (expo/program/search.py),
    # kept by the services, so that a search means the same on SQLite and PostgreSQL.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "room__name_es"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(training_hours__gte=0), name="session_training_hours_positive"),
            models.CheckConstraint(
                condition=Q(enrollment_required=False) | Q(capacity__isnull=False),
                name="session_enrollment_needs_capacity",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(enrolled_count__lte=F("capacity")),
                name="session_capacity_not_exceeded",
            ),
        ]
        indexes = [models.Index(fields=["event", "start"]), models.Index(fields=["room", "start"])]

    def __str__(self) -> str:
        return self.title

    @property
    def seats(self) -> int:
        return self.capacity if self.capacity is not None else self.room.capacity

    @property
    def seats_left(self) -> int | None:
        """Free seats of a session that takes enrollments; None for the others (come in, no booking)."""
        if not self.enrollment_required or self.capacity is None:
            return None
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def duration_seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


class SavedSession(models.Model):
    """A session a visitor put in "My agenda" (a bookmark; enrollment is separate)."""

    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="saved_sessions", verbose_name=_("visitor")
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="saves", verbose_name=_("session"))
    created_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved session")
        verbose_name_plural = _("saved sessions")
        constraints = [models.UniqueConstraint(fields=["attendee", "session"], name="savedsession_once")]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.session}"


class EnrollmentQuerySet(models.QuerySet):
    def holding_seat(self):
        """Enrollments that take one of the session's seats: enrolled, or a seat offered and not yet answered."""
        return self.filter(status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED])

    def active(self):
        """Enrollments a visitor still has: a seat, an offer, or a place on the waitlist."""
        return self.filter(
            status__in=[Enrollment.Status.ENROLLED, Enrollment.Status.OFFERED, Enrollment.Status.WAITLISTED]
        )

    def waiting(self):
        """The waitlist of a session, first come first served."""
        return self.filter(status=Enrollment.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def offers_expired(self, at):
        return self.filter(status=Enrollment.Status.OFFERED, offer_expires_at__lte=at)


class Enrollment(models.Model):
    """A visitor's booking of a session that needs one: a seat, a place on its waitlist, or an offer."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        WAITLISTED = "waitlisted", _("On the waitlist")
        OFFERED = "offered", _("Seat offered")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Offer expired")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("session")
    )
    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("visitor")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    offered_at = models.DateTimeField(_("seat offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            # One enrollment per person per session: enrolling again reuses the row.
            models.UniqueConstraint(fields=["session", "attendee"], name="enrollment_one_per_person"),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="enrollment_offer_has_deadline",
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "waitlisted_at"]),
            models.Index(fields=["status", "offer_expires_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.session}"


class CalendarFeed(models.Model):
    """The version of a visitor's calendar subscription URL: resetting it makes old URLs fail."""

    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("visitor")
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    reset_at = models.DateTimeField(_("last reset"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return f"{self.attendee} · v{self.version}"


class RoomScan(models.Model):
    """A badge read at a room door, on entry or on exit, for the attendance of one session."""

    class Direction(models.TextChoices):
        ENTRY = "in", _("Entry")
        EXIT = "out", _("Exit")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="room_scans", verbose_name=_("edition"))
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="scans", verbose_name=_("session"))
    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="room_scans", verbose_name=_("visitor")
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    scanned_at = models.DateTimeField(_("scanned at"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )
    device = models.CharField(_("device"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("room scan")
        verbose_name_plural = _("room scans")
        ordering = ["-scanned_at"]
        constraints = [
            # An offline scanner that sends the same scan twice records it once.
            models.UniqueConstraint(
                fields=["session", "attendee", "direction", "scanned_at"], name="roomscan_recorded_once"
            ),
        ]
        indexes = [models.Index(fields=["session", "attendee", "scanned_at"])]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.session} · {self.direction}"


class AttendanceQuerySet(models.QuerySet):
    def credited(self):
        """Attendances that earn the session's hours: present for the edition's share of a scheduled
        session with training hours, on a pass that includes training. The one rule of certified hours."""
        return (
            self.alias(
                share_needed=Coalesce(F("session__event__program_settings__attendance_share"), DEFAULT_ATTENDANCE_SHARE)
            )
            .filter(
                share__gte=F("share_needed"),
                session__training_hours__gt=0,
                attendee__pass_type__includes_training=True,
                attendee__status=Attendee.Status.CONFIRMED,
            )
            .exclude(session__status=Session.Status.CANCELLED)
        )


class Attendance(models.Model):
    """Time a visitor was present in a session, added up from their room scans (expo/program/attendance.py)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("visitor")
    )
    present_seconds = models.PositiveIntegerField(_("seconds present"), default=0)
    share = models.DecimalField(_("share of the session"), max_digits=5, decimal_places=4, default=0)
    first_entry_at = models.DateTimeField(_("first entry"), null=True, blank=True)
    last_exit_at = models.DateTimeField(_("last exit"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "attendee"], name="attendance_one_per_session"),
            models.CheckConstraint(condition=Q(share__gte=0) & Q(share__lte=1), name="attendance_share_range"),
        ]

    def __str__(self) -> str:
        return f"{self.attendee} · {self.session}"


class Dc3Details(models.Model):
    """Optional data of Mexico's DC-3 (STPS) format that a visitor adds for their certificate."""

    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="dc3_details", verbose_name=_("visitor")
    )
    curp = models.CharField("CURP", max_length=18, blank=True)
    occupation = models.CharField(
        _("occupation (national catalogue code)"), max_length=5, blank=True, help_text=_("e.g. 09.1")
    )
    employer_name = models.CharField(_("employer (legal name)"), max_length=200, blank=True)
    employer_rfc = models.CharField(_("employer's RFC"), max_length=13, blank=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("DC-3 details")
        verbose_name_plural = _("DC-3 details")

    def __str__(self) -> str:
        return str(self.attendee)

    @property
    def complete(self) -> bool:
        return bool(self.curp and self.occupation and self.employer_name and self.employer_rfc)


class CertificateBatch(models.Model):
    """Organizers' request to issue the certificates of an edition, run by a Celery task with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="certificate_batches", verbose_name=_("edition")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    total = models.PositiveIntegerField(_("visitors to process"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    issued = models.PositiveIntegerField(_("issued"), default=0)
    unchanged = models.PositiveIntegerField(_("already up to date"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(status__in=["queued", "running"]), name="certificatebatch_one_at_a_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)


class Certificate(models.Model):
    """A constancia of training hours: what it says is kept as issued, so later changes never alter it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("edition"))
    attendee = models.ForeignKey(
        Attendee, on_delete=models.CASCADE, related_name="certificates", verbose_name=_("visitor")
    )
    full_name = models.CharField(_("name"), max_length=220)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2)
    # [{"title", "start", "end", "hours", "room"}] as issued (ISO times).
    sessions = models.JSONField(_("sessions"), default=list)
    # The DC-3 fields when the visitor gave them: curp, occupation, employer_name, employer_rfc, job_title.
    dc3 = models.JSONField(_("DC-3 data"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    batch = models.ForeignKey(
        CertificateBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("batch"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["attendee"], condition=Q(revoked_at__isnull=True), name="certificate_one_valid_per_person"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="certificate_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} · {self.hours} h"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
