"""Backup codes stored as digests (services.backup_code_digest): the codes made before are replaced
by their digests, so they keep working once each and no longer sit in the database as they sign in."""

from django.db import migrations


def digest_codes(apps, schema_editor):
    from expo.dashboard.services import BACKUP_DIGEST_LENGTH, backup_code_digest

    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all():
        if len(token.token) != BACKUP_DIGEST_LENGTH:  # a code (8 characters), not yet a digest
            token.token = backup_code_digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0004_erase_permission"), ("otp_static", "0003_add_timestamps")]

    operations = [migrations.RunPython(digest_codes, migrations.RunPython.noop)]
