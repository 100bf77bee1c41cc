"""B2B networking: spaces, tables, time slots, participant profiles, meeting requests, meetings,
the organizers' settings (request expiry, quotas) and the scheduler's runs.

Slots are global rounds of an edition (10:00-10:20, 10:20-10:40...); a space is open in some of
them and has numbered tables. "One meeting per participant per slot" and "one meeting per table
per slot" are partial unique indexes, so they hold whoever writes: the scheduler, a participant's
own booking or an organizer in the admin.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exhibitors.models import Organization
from expo.events.models import BilingualNameMixin, Event, OrganizationKind, Term
from expo.registration.models import Attendee


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots", verbose_name=_("edition"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="slot_ends_after_start"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{local:%Y-%m-%d %H:%M}–{timezone.localtime(self.end):%H:%M}"


class NetworkingSpace(BilingualNameMixin):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="networking_spaces", verbose_name=_("edition")
    )
    code = models.CharField(_("code"), max_length=10)
    location = models.CharField(_("location"), max_length=200, blank=True)
    slots = models.ManyToManyField(Slot, blank=True, related_name="spaces", verbose_name=_("open in slots"))

    class Meta:
        verbose_name = _("networking space")
        verbose_name_plural = _("networking spaces")
        ordering = ["event", "code"]
        constraints = [models.UniqueConstraint(fields=["event", "code"], name="space_unique_code")]


class Table(models.Model):
    space = models.ForeignKey(NetworkingSpace, on_delete=models.CASCADE, related_name="tables", verbose_name=_("space"))
    number = models.PositiveIntegerField(_("number"))

    class Meta:
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        ordering = ["space", "number"]
        permissions = [("print_table_codes", _("Can print the tables' QR code sheets"))]
        constraints = [models.UniqueConstraint(fields=["space", "number"], name="table_unique_number")]

    def __str__(self) -> str:
        return f"{self.space.code}{self.number}"


class Role(models.TextChoices):
    """What a participant comes to the B2B meetings as; scoring matches roles (networking/scoring.py)."""

    MANUFACTURER = "manufacturer", _("Manufacturer")
    SUPPLIER = "supplier", _("Supplier")
    DISTRIBUTOR = "distributor", _("Distributor")
    HOSPITAL = "hospital", _("Hospital buyer")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    ACADEMIA = "academia", _("Academia")
    GOVERNMENT = "government", _("Government")


# The one map from the platform's organization kinds (expo.events.OrganizationKind) to B2B roles.
ROLE_FROM_ORGANIZATION_KIND = {
    OrganizationKind.HOSPITAL: Role.HOSPITAL,
    OrganizationKind.MANUFACTURER: Role.MANUFACTURER,
    OrganizationKind.SUPPLIER: Role.SUPPLIER,
    OrganizationKind.DISTRIBUTOR: Role.DISTRIBUTOR,
    OrganizationKind.SERVICE_PROVIDER: Role.SERVICE_PROVIDER,
    OrganizationKind.GOVERNMENT: Role.GOVERNMENT,
    OrganizationKind.ACADEMIA: Role.ACADEMIA,
    OrganizationKind.OTHER: Role.SERVICE_PROVIDER,
}


class Profile(models.Model):
    """The B2B profile of a participant (a visitor with a B2B pass, or exhibitor staff)."""

    Role = Role

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="b2b_profiles", verbose_name=_("edition"))
    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="b2b_profile", verbose_name=_("participant")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="b2b_profiles",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    offers = models.ManyToManyField(Term, blank=True, related_name="offered_by", verbose_name=_("offers"))
    needs = models.ManyToManyField(Term, blank=True, related_name="needed_by", verbose_name=_("needs"))
    certifications = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.CERTIFICATION},
        verbose_name=_("certifications"),
    )
    languages = models.JSONField(_("languages"), default=list)
    availability = models.ManyToManyField(
        Slot,
        blank=True,
        related_name="available_profiles",
        verbose_name=_("available in"),
        help_text=_("Empty: available whenever the networking spaces are open."),
    )
    max_meetings = models.PositiveSmallIntegerField(_("maximum meetings"), default=8)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("B2B profile")
        verbose_name_plural = _("B2B profiles")
        ordering = ["event", "attendee__last_name"]
        constraints = [
            models.CheckConstraint(condition=Q(max_meetings__lte=60), name="profile_max_meetings_sane"),
        ]

    def __str__(self) -> str:
        return str(self.attendee.full_name)


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meeting_requests", verbose_name=_("edition")
    )
    sender = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="sent_requests", verbose_name=_("sender")
    )
    recipient = models.ForeignKey(
        Profile, on_delete=models.CASCADE, related_name="received_requests", verbose_name=_("recipient")
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(sender=models.F("recipient")), name="request_not_to_self"),
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=["pending", "accepted"]),
                name="request_one_open_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient} ({self.get_status_display()})"


class MeetingQuerySet(models.QuerySet):
    def live(self):
        """Meetings that hold their slot and table: drafts and published ones, not cancelled."""
        return self.exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("edition"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("slot"))
    table = models.ForeignKey(Table, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("table"))
    request = models.ForeignKey(
        MeetingRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("request"),
    )
    participants = models.ManyToManyField(
        Profile, through="MeetingSeat", related_name="meetings", verbose_name=_("participants")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_locked = models.BooleanField(_("locked"), default=False, help_text=_("The scheduler never moves it."))
    score = models.FloatField(_("score"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        Profile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
        help_text=_("The participant who cancelled it; empty when organizers did."),
    )
    run = models.ForeignKey(
        "ScheduleRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("scheduler run"),
        help_text=_("The run that proposed it; empty for meetings booked by the participants."),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__start", "table__number"]
        # The outcome report shows names, feedback and confidential deal values of every meeting.
        permissions = [("view_outcome_report", _("Can see the B2B outcome report (feedback, deal values)"))]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"], condition=~Q(status="cancelled"), name="meeting_one_per_table_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.table}"


class MeetingSeat(models.Model):
    """One participant's place in a meeting; the slot is copied here so the index can see it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting"))
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="seats", verbose_name=_("participant"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="+", verbose_name=_("slot"))
    is_active = models.BooleanField(_("active"), default=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # After the meeting, each side says whether it took place and how it went.
    took_place = models.BooleanField(_("took place"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True, max_length=2000)
    deal_value = models.DecimalField(
        _("estimated deal value (MXN)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "slot"], condition=Q(is_active=True), name="seat_one_meeting_per_slot"
            ),
            models.UniqueConstraint(fields=["meeting", "profile"], name="seat_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(deal_value__isnull=True) | Q(deal_value__gte=0), name="seat_deal_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.slot}"


class NetworkingSettings(models.Model):
    """What organizers set for the B2B meetings of one edition."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="networking_settings", verbose_name=_("edition")
    )
    request_expiry_hours = models.PositiveSmallIntegerField(
        _("request expiry (hours)"), default=72, help_text=_("A request nobody answers expires after this time.")
    )
    daily_request_quota = models.PositiveSmallIntegerField(
        _("requests per participant per day"),
        default=10,
        help_text=_("For the roles that have no quota of their own below."),
    )

    class Meta:
        verbose_name = _("networking settings")
        verbose_name_plural = _("networking settings")

    def __str__(self) -> str:
        return str(self.event)


class RoleQuota(models.Model):
    """The daily request quota of one role, overriding the default of the edition."""

    settings = models.ForeignKey(
        NetworkingSettings, on_delete=models.CASCADE, related_name="role_quotas", verbose_name=_("settings")
    )
    role = models.CharField(_("role"), max_length=20, choices=Profile.Role.choices)
    daily_requests = models.PositiveSmallIntegerField(_("requests per day"))

    class Meta:
        verbose_name = _("request quota of a role")
        verbose_name_plural = _("request quotas of roles")
        constraints = [models.UniqueConstraint(fields=["settings", "role"], name="rolequota_one_per_role")]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.daily_requests}"


class ScheduleRunQuerySet(models.QuerySet):
    def active(self):
        """Runs queued or running: at most one per edition (a partial unique index)."""
        return self.filter(status__in=[ScheduleRun.Status.QUEUED, ScheduleRun.Status.RUNNING])


class ScheduleRun(models.Model):
    """One run of the meeting scheduler over an edition; it writes draft meetings."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs", verbose_name=_("edition"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    time_limit = models.PositiveIntegerField(_("time limit (seconds)"), default=60)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    metrics = models.JSONField(_("quality"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = ScheduleRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduler run")
        verbose_name_plural = _("scheduler runs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="schedulerun_progress_percent"),
            # Two runs of one edition at once would fight over its drafts.
            models.UniqueConstraint(
                fields=["event"], condition=Q(status__in=["queued", "running"]), name="schedulerun_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {timezone.localtime(self.created_at):%Y-%m-%d %H:%M} · {self.get_status_display()}"
