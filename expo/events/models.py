"""The event core: taxonomies, venues and their rooms, and the editions of the fair.

The ground floor of the platform: every other app hangs its data off an Event, and no model here
knows the apps above. A venue and the taxonomy outlive editions; everything else belongs to one.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from expo.lib.pagecache import cache_forget


def language_is_english() -> bool:
    return (get_language() or "es").lower().startswith("en")


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
        if language_is_english() and self.name_en:
            return self.name_en
        return self.name_es


class OrganizationKind(models.TextChoices):
    """What kind of organization a person or exhibitor is: one vocabulary for the whole platform.

    Registrations, exhibitors and B2B profiles use it; networking maps it to B2B roles.
    """

    HOSPITAL = "hospital", _("Hospital or clinic")
    MANUFACTURER = "manufacturer", _("Manufacturer")
    SUPPLIER = "supplier", _("Supplier")
    DISTRIBUTOR = "distributor", _("Distributor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    GOVERNMENT = "government", _("Government")
    ACADEMIA = "academia", _("Academia")
    OTHER = "other", _("Other")


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


# The edition the public site shows, with its venue, kept in the cache (events/selectors.py): every
# page asks for it. Saving or deleting an edition or a venue forgets it, at once and again after the
# commit (so that a request between the two cannot keep the old one); a change made with a queryset
# update() shows within CURRENT_EVENT_SECONDS.
CURRENT_EVENT_KEY = "events:current"
CURRENT_EVENT_SECONDS = 60


class CurrentEventForgetMixin:
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache_forget(CURRENT_EVENT_KEY)

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        cache_forget(CURRENT_EVENT_KEY)
        return result


class Venue(CurrentEventForgetMixin, models.Model):
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, default="MX")
    map_url = models.URLField(_("map link"), blank=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(BilingualNameMixin):
    """A room of a venue where sessions take place (auditorium, classroom...)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue"))
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name_es"]
        constraints = [models.UniqueConstraint(fields=["venue", "name_es"], name="room_unique_name")]


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def current(self):
        """The edition the public site shows: the published one that ends last (None if none)."""
        return self.published().order_by("-end_date", "-pk").first()


class Event(CurrentEventForgetMixin, models.Model):
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
        if language_is_english() and self.tagline_en:
            return self.tagline_en
        return self.tagline_es

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def dates(self) -> list:
        """Every day of the edition, in order."""
        return [self.start_date.fromordinal(self.start_date.toordinal() + i) for i in range(self.days)]

    def has_ended(self, at=None) -> bool:
        """True once the last day is over, in the fair's time zone."""
        return timezone.localdate(at) > self.end_date


class PrivacyNotice(models.Model):
    """The privacy notice of an edition (LFPDPPP): who is responsible, where, what for, and whom to
    write to for ARCO rights. Organizers edit it in the admin; every page's footer links to it."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="privacy_notice",
                                 verbose_name=_("edition"))  # fmt: skip
    responsible_party = models.CharField(
        _("responsible party"), max_length=200, help_text=_("The company or person responsible for the personal data.")
    )
    address = models.TextField(_("address"), help_text=_("Address for notices (street, number, city, postal code)."))
    purposes_es = models.TextField(_("purposes (Spanish)"), help_text=_("What the data is used for, one per line."))
    purposes_en = models.TextField(_("purposes (English)"), blank=True)
    secondary_purposes_es = models.TextField(_("secondary purposes (Spanish)"), blank=True,
                                             help_text=_("Those a person can refuse (marketing...)."))  # fmt: skip
    secondary_purposes_en = models.TextField(_("secondary purposes (English)"), blank=True)
    arco_contact = models.CharField(
        _("ARCO rights contact"), max_length=200,
        help_text=_("Email (or department and email) to access, rectify, cancel or object."),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def purposes(self) -> list[str]:
        text = self.purposes_en if language_is_english() and self.purposes_en else self.purposes_es
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def secondary_purposes(self) -> list[str]:
        text = (self.secondary_purposes_en if language_is_english() and self.secondary_purposes_en
                else self.secondary_purposes_es)  # fmt: skip
        return [line.strip() for line in text.splitlines() if line.strip()]
