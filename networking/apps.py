"""App config of B2B networking."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "networking"
    verbose_name = _("B2B networking")

    def ready(self):
        from expo.mail.rendering import context_builder_register
        from expo.registration.cancellation import registration_cancel_handler_register

        from .emails import networking_email_context
        from .services import participant_registration_cancelled

        context_builder_register("networking/", networking_email_context)
        # A cancelled registration cancels the person's B2B meetings and tells the other side.
        registration_cancel_handler_register("networking", participant_registration_cancelled)
