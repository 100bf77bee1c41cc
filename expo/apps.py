"""App config of the core event domain."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpoConfig(AppConfig):
    name = "expo"
    verbose_name = _("Event")
