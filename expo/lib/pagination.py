"""A paginator for the admin's big lists (30,000 registrations, 40,000 meetings): no COUNT(*) of
the whole table on every page.

An unfiltered list on PostgreSQL takes the planner's row estimate (pg_class.reltuples, kept by
autovacuum) once the table is large; a filtered or searched list counts exactly, which the indexes
keep quick. ModelAdmins also set show_full_result_count = False, so the "N total" count of the
unfiltered table is not run next to a filtered one.
"""

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

EXACT_BELOW = 10_000


class EstimatedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is not None and not query.where and not query.distinct:
            connection = connections[queryset.db]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
                                   [queryset.model._meta.db_table])  # fmt: skip
                    row = cursor.fetchone()
                if row and row[0] >= EXACT_BELOW:
                    return int(row[0])
        return super().count
