"""App config of B2B networking."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkingConfig(AppConfig):
    name = "networking"
    verbose_name = _("B2B networking")
