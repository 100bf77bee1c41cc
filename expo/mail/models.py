"""The email outbox: every email the platform sends is first a row here.

A row is written in the same transaction as what caused it (a registration, a meeting request...),
so an email exists exactly when its cause does. It names a template and carries a JSON context;
the message is rendered in the recipient's language when it is sent. The outbox knows none of the
apps that use it: each app owns its templates and, where it needs more than the stored context
(a fresh sign-in link, a QR image), registers a context builder (see `rendering`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxEmailQuerySet(models.QuerySet):
    def pending(self, at=None):
        """Unsent emails nobody is sending right now (a claim older than its lease has lapsed)."""
        at = at or timezone.now()
        return self.filter(sent_at__isnull=True).filter(
            models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=at)
        )


class OutboxEmail(models.Model):
    to = models.EmailField(_("recipient"), db_index=True)
    language = models.CharField(_("language"), max_length=8, default="es-mx")
    template = models.CharField(
        _("template"), max_length=120, db_index=True, help_text=_("Path of the .txt and .html templates, no suffix.")
    )
    # The English source of the subject, translated when the email is sent, formatted with the context.
    subject = models.CharField(_("subject"), max_length=300)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A sender claims a row for a short lease, commits, sends outside any transaction, then marks it.
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # Essential emails (registration, sign-in, changes to one's meetings) go out whatever the person
    # chose; the others (campaigns, reminders) carry an unsubscribe link and are not written for an
    # address that unsubscribed.
    essential = models.BooleanField(_("essential"), default=True)
    # Set by a sender that must not write the same email twice (a campaign, a reminder of a day):
    # a second enqueue with the same key returns the first row.
    key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True, unique=True)

    objects = OutboxEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.template} → {self.to}"


class EmailTemplate(models.Model):
    """An organizer's version of one email in one language; it replaces the file templates.

    `name` is the template path the outbox row names (registration/email/confirmed...). The
    subject and the text are Django templates rendered with the email's context ({{ first_name }},
    {{ event_name }}, {{ signin_url }}...); the HTML is the text in the mail layout unless given.
    """

    name = models.CharField(_("email"), max_length=120, help_text=_("The email this text replaces."))
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True, help_text=_("Empty: the text, in the usual layout."))
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("email text")
        verbose_name_plural = _("email texts")
        ordering = ["name", "language"]
        constraints = [models.UniqueConstraint(fields=["name", "language"], name="emailtemplate_one_per_language")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class OptOut(models.Model):
    """An address that asked for no more non-essential email (campaigns, reminders)."""

    email = models.EmailField(_("email"), unique=True)
    created_at = models.DateTimeField(_("unsubscribed at"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscribed address")
        verbose_name_plural = _("unsubscribed addresses")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email
