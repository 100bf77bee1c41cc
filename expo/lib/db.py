"""Database functions Django does not have on both of our databases (PostgreSQL, SQLite)."""

from django.db.models import Aggregate, JSONField


class JSONList(Aggregate):
    """The group's values as one JSON list: JSONB_AGG on PostgreSQL (jsonb, which Django's JSONField
    decodes; JSON_AGG's json would reach it already decoded), JSON_GROUP_ARRAY on SQLite. No order is
    promised: sort in Python."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)
