"""App config of the project itself: home page, health check, static files, run_periodic."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpoConfig(AppConfig):
    name = "expo"
    verbose_name = _("Medical Expo")
