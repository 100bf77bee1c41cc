"""App config of registration: pass types, registrations, sign-in, badges, door check-in, desk."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "expo.registration"
    label = "registration"
    verbose_name = _("Registration")

    def ready(self):
        from expo.mail.rendering import context_builder_register

        from .emails import registration_email_context

        context_builder_register("registration/", registration_email_context)

        from expo.lib.panels import panel_register

        from .dashboard import PANEL

        panel_register(PANEL)
