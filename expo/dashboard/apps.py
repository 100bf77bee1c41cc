"""App config of the organizers' control room: the dashboard, roles, the audit trail, campaigns.

It sits on top of the apps. In ready() it registers the models whose changes are audited, the
email segments of the apps below, and re-applies the roles after every migrate (new permissions
from the apps join their groups). `ExpoAdminConfig` puts the organizers' admin site in place of
Django's default one.
"""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExpoAdminConfig(admin_apps.AdminConfig):
    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "expo.dashboard.sites.ExpoAdminSite"


class DashboardConfig(AppConfig):
    default = True
    name = "expo.dashboard"
    label = "dashboard"
    verbose_name = _("Control room")

    def ready(self):
        from . import audit, roles, segments

        audit.audit_register()
        segments.segments_register()
        # The roles' permissions are re-applied after each migrate (and each test database flush):
        # permissions that apps add later (room scans, the exhibitor portal) join their groups.
        post_migrate.connect(roles.roles_after_migrate, sender=self, dispatch_uid="dashboard-roles")
