"""Trigram indexes for the admin's substring searches on the big tables (PostgreSQL only).

The admin searches with icontains (UPPER(column) LIKE UPPER('%castillo%')), which a B-tree cannot
serve; a GIN trigram index on UPPER(column) can. They live here, with the admin that needs them,
rather than in each app's models (Django's model indexes cannot say gin_trgm_ops on an
expression portably, and SQLite has no such index). Nothing happens on SQLite.
"""

from django.db import migrations

INDEXES = [
    ("registration_attendee", "email"),
    ("registration_attendee", "last_name"),
    ("registration_attendee", "first_name"),
    ("registration_attendee", "organization_name"),
    ("exhibitors_organization", "name"),
]


def _name(table, column):
    return f"{table}_{column}_trgm"[:63]


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{_name(table, column)}" ON "{table}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{_name(table, column)}"')


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0002_roles"),
        ("registration", "0001_initial"),
        ("exhibitors", "0001_initial"),
    ]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
