"""Campaigns: an email an organizer sends to a segment of an edition's people.

The per-recipient log is the outbox itself: each email a campaign writes carries the key
`campaign:<id>:<address>`, so the outbox list filtered by that prefix shows who got it, when it
left and why it failed; the key also makes sending twice write nothing twice.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from expo.events.models import Event, language_is_english


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="campaigns", verbose_name=_("edition"))
    segment = models.CharField(_("recipients"), max_length=40)
    parameter = models.CharField(_("which"), max_length=60, blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_es = models.TextField(_("message (Spanish)"))
    body_en = models.TextField(_("message (English)"), blank=True, help_text=_("Empty: everyone gets the Spanish."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    written = models.PositiveIntegerField(_("emails written"), default=0)
    skipped = models.PositiveIntegerField(_("unsubscribed, skipped"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("email campaign")
        verbose_name_plural = _("email campaigns")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(written__lte=models.F("total")), name="campaign_written_within_total"),
        ]

    def __str__(self) -> str:
        return self.subject_es

    @property
    def progress(self) -> int:
        if self.status == self.Status.SENT:
            return 100
        return int(100 * (self.written + self.skipped) / self.total) if self.total else 0

    @property
    def outbox_key_prefix(self) -> str:
        return f"campaign:{self.pk}:"

    def text_for(self, language: str) -> tuple[str, str]:
        """(subject, message) in a person's language: English when written, else Spanish."""
        if (language or "").startswith("en") and self.subject_en and self.body_en:
            return self.subject_en, self.body_en
        return self.subject_es, self.body_es

    @property
    def subject(self) -> str:
        return self.subject_en if language_is_english() and self.subject_en else self.subject_es
