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

        from expo.registration.personal_data import PersonalDataSource, personal_data_source_register

        from .personal_data import exhibitors_personal_data, exhibitors_personal_data_erase

        # ARCO: the leads captured on a person, in their data export and erasure.
        personal_data_source_register(
            PersonalDataSource("exhibitors", export=exhibitors_personal_data, erase=exhibitors_personal_data_erase)
        )
