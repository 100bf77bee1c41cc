"""App config of the program: tracks, speakers, sessions; agendas, enrollment, attendance, certificates."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramConfig(AppConfig):
    name = "expo.program"
    label = "program"
    verbose_name = _("Program")

    def ready(self):
        from expo.mail.rendering import context_builder_register

        from .emails import program_email_context

        context_builder_register("program/", program_email_context)

        from expo.lib.panels import panel_register

        from .dashboard import PANEL

        panel_register(PANEL)
