"""One row of a model with some of its to-one relations, read by a statement built once.

Django builds the SQL of a query on every call, and a `select_related` over several tables costs
more to build and to turn into objects than to run: the API token with its exhibitor, edition and
organization (every exhibitor API request) took 2.6 ms through the ORM, of which 0.6 ms in
PostgreSQL (`bench/web/prepare.py profile api_lead_create`). `JoinedRow` writes the same statement
once per database and makes the objects with `Model.from_db`, with the converters the ORM applies
(JSON, dates on SQLite...), the relations cached as `select_related` leaves them:

    TOKEN = JoinedRow(ApiToken, ["exhibitor", "exhibitor__event", "exhibitor__organization"], "key_hash")
    token = TOKEN.get(digest)  # None when no row; token.exhibitor.event read no further query

The statement is written from the models' fields, so it follows the migrations.
"""

from functools import cached_property

from django.db import connections
from django.db.models import Model


class JoinedRow:
    def __init__(self, model: type[Model], related: list[str], lookup: str, using: str = "default"):
        self.model, self.related, self.lookup, self.using = model, related, lookup, using

    @cached_property
    def _plan(self):
        """The SQL, and for each table: its model, its columns' attribute names, the primary key's
        position, the converters, and where it hangs (parent index, field)."""
        connection = connections[self.using]
        q = connection.ops.quote_name
        tables = [(self.model, None, None, False)]  # model, parent index, forward field, nullable path
        paths = {"": 0}
        joins = []
        for path in sorted(self.related, key=lambda p: p.count("__")):
            parent_path, _sep, name = path.rpartition("__")
            parent = paths[parent_path]
            parent_model, _p, _f, parent_nullable = tables[parent]
            field = parent_model._meta.get_field(name)
            if not (field.many_to_one or field.one_to_one) or not field.concrete:
                raise ValueError(f"{path}: not a forward to-one relation")
            nullable = parent_nullable or field.null
            paths[path] = len(tables)
            tables.append((field.related_model, parent, field, nullable))
            target = field.target_field
            joins.append(
                f"{'LEFT OUTER' if nullable else 'INNER'} JOIN {q(field.related_model._meta.db_table)} t{paths[path]}"
                f" ON t{paths[path]}.{q(target.column)} = t{parent}.{q(field.column)}"
            )
        columns, layout = [], []
        for index, (model, parent, field, _nullable) in enumerate(tables):
            fields = list(model._meta.concrete_fields)
            columns += [f"t{index}.{q(f.column)}" for f in fields]
            converters = []  # (position, column, converters) of the fields that have any
            for position, f in enumerate(fields):
                col = f.get_col(f"t{index}")
                funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if funcs:
                    converters.append((position, col, funcs))
            names = [f.attname for f in fields]
            layout.append((model, names, fields.index(model._meta.pk), converters, parent, field))
        where = self.model._meta.get_field(self.lookup)
        sql = (
            f"SELECT {', '.join(columns)} FROM {q(self.model._meta.db_table)} t0 {' '.join(joins)}"
            f" WHERE t0.{q(where.column)} = %s"
        )
        return sql, layout

    def get(self, value):
        """The row whose `lookup` field equals `value` (a unique field), or None."""
        sql, layout = self._plan
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        objects, start = [], 0
        for model, names, pk_position, converters, parent, field in layout:
            values = list(row[start : start + len(names)])
            start += len(names)
            for i, col, funcs in converters:
                for func in funcs:
                    values[i] = func(values[i], col, connection)
            obj = None if values[pk_position] is None else model.from_db(self.using, names, values)
            objects.append(obj)
            if parent is not None and objects[parent] is not None:
                field.set_cached_value(objects[parent], obj)
        return objects[0]
