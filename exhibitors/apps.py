"""App config of exhibitors."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExhibitorsConfig(AppConfig):
    name = "exhibitors"
    verbose_name = _("Exhibitors")

    def ready(self):
        from expo.lib.panels import panel_register

        from .dashboard import PANEL

        panel_register(PANEL)
