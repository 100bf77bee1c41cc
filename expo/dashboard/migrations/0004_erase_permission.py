"""The permission to erase a visitor's personal data (registration.erase_attendee), given to the organizers."""

from django.db import migrations


def roles_update(apps, schema_editor):
    from expo.dashboard.roles import roles_sync

    roles_sync(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_search_indexes"), ("registration", "0004_attendee_erased_at")]

    operations = [migrations.RunPython(roles_update, migrations.RunPython.noop)]
