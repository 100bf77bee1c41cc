"""App config of the demo edition: its builders (one per app) and the seed_demo and demo_organizer commands."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "expo.demo"
    label = "demo"
    verbose_name = _("Demo edition")
