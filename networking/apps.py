"""App config of B2B networking."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "networking"
    verbose_name = _("B2B networking")

    def ready(self):
        from expo.mail.rendering import context_builder_register

        from .emails import networking_email_context

        context_builder_register("networking/", networking_email_context)

        from expo.lib.panels import panel_register
        from expo.mail.reminders import reminder_register

        from .dashboard import PANEL
        from .reminders import meeting_reminders_send

        panel_register(PANEL)
        reminder_register("b2b-meetings", meeting_reminders_send)
