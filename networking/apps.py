"""App config of B2B networking."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "networking"
    verbose_name = _("B2B networking")

    def ready(self):
        from expo.mail.rendering import context_builder_register
        from expo.program.agenda import agenda_source_register
        from expo.registration.cancellation import registration_cancel_handler_register

        from .agenda import b2b_agenda_items
        from .emails import networking_email_context
        from .services import participant_registration_cancelled

        context_builder_register("networking/", networking_email_context)
        # B2B meetings show in the program's "My agenda", its clash warnings and its calendar feed.
        agenda_source_register("b2b", b2b_agenda_items)

        from expo.lib.panels import panel_register
        from expo.mail.reminders import reminder_register

        from .dashboard import PANEL
        from .reminders import meeting_reminders_send

        panel_register(PANEL)
        reminder_register("b2b-meetings", meeting_reminders_send)
        # A cancelled registration cancels the person's B2B meetings and tells the other side.
        registration_cancel_handler_register("networking", participant_registration_cancelled)

        from expo.registration.personal_data import PersonalDataSource, personal_data_source_register

        from .personal_data import networking_personal_data, networking_personal_data_erase

        # ARCO: B2B's part of a person's data export and erasure.
        personal_data_source_register(
            PersonalDataSource("networking", export=networking_personal_data, erase=networking_personal_data_erase)
        )
