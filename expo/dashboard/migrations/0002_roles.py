"""The organizers' roles: groups with Spanish names and their permissions (expo/dashboard/roles.py).

Permissions are created here first (Django makes them after migrating, too late for a data
migration); roles_sync runs again after every migrate, for permissions added later.
"""

from django.apps import apps as global_apps
from django.db import migrations


def roles_create(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from expo.dashboard.roles import roles_sync

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)
    roles_sync(apps=apps)


def roles_remove(apps, schema_editor):
    from expo.dashboard.roles import ROLE_PERMISSIONS

    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_seed_taxonomies"),
        ("mail", "0002_templates_optout_keys"),
        ("registration", "0001_initial"),
        ("program", "0001_initial"),
        ("exhibitors", "0001_initial"),
        ("networking", "0001_initial"),
    ]

    operations = [migrations.RunPython(roles_create, roles_remove)]
