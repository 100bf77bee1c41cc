"""The program of an edition: tracks, speakers and sessions (keynotes, talks, panels, workshops)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from expo.events.models import BilingualNameMixin, Event, Room


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

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "room__name_es"]
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
