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
        from expo.registration.cancellation import registration_cancel_handler_register

        from .dashboard import PANEL
        from .services import enrollments_release_for

        panel_register(PANEL)
        # A cancelled registration frees the person's workshop seats (offered to the next in line).
        registration_cancel_handler_register("program", enrollments_release_for)

        from expo.registration.personal_data import PersonalDataSource, personal_data_source_register

        from .personal_data import program_personal_data, program_personal_data_erase, program_personal_files

        # ARCO: the program's part of a person's data export and erasure.
        personal_data_source_register(PersonalDataSource(
            "program", export=program_personal_data, erase=program_personal_data_erase, files=program_personal_files,
        ))  # fmt: skip
