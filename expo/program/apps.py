"""App config of the program: tracks, speakers and sessions."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "expo.program"
    label = "program"
    verbose_name = _("Program")

    def ready(self):
        from expo.lib.panels import panel_register

        from .dashboard import PANEL

        panel_register(PANEL)
