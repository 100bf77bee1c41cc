"""App config of the organizers' dashboard: pages that read across the apps (it sits on top of them)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "expo.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
