"""App config of the email outbox."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "expo.mail"
    label = "mail"
    verbose_name = _("Email")
