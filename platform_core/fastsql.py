"""Prepared single-table statements for the few write paths that run on every engine step.

Why: a workflow step writes to six tables. Through the ORM each ``save``/``bulk_create``/
``filter().update()`` spends most of its time compiling SQL in Python (see
``tests/bench/bench_engine.py``); the statements themselves are trivial. A
:class:`Table` builds its SQL text once per model and column list and adapts each value
with the model field's own ``get_db_prep_save`` — the same conversion the ORM applies
(JSON encoding, timezone handling of datetimes, ``Jsonb`` on PostgreSQL) — so rows
written here read back through the ORM exactly like rows the ORM wrote.

Rules for using it: only for plain inserts and primary-key updates of models whose
``save()`` does nothing special (no signals are sent, no ``auto_now`` is applied: pass
those values yourself), always inside the caller's transaction, and only where a
benchmark shows the ORM's cost. Everywhere else, use the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.db.models import Field, Model

# Fields whose get_db_prep_save returns a str/int/bool value unchanged (ForeignKey included:
# it defers to an integer primary key).
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)
_PLAIN_TYPES = (str, int, bool)
_MISSING = object()
_moments: dict[tuple[str, datetime], Any] = {}  # (field type, aware datetime) -> adapted value
CHUNK = 500  # rows per INSERT: far below SQLite's and PostgreSQL's limits on parameters


class Table:
    """Statements over one model's table; column names are the model's field names."""

    def __init__(self, model: type[Model]) -> None:
        meta = model._meta
        self.model = model
        self.quoted = connection.ops.quote_name(meta.db_table)
        self._fields: dict[str, Field[Any, Any]] = {f.name: f for f in meta.concrete_fields}
        self._fields.update({f.attname: f for f in meta.concrete_fields})
        self._insert_sql: dict[tuple[tuple[str, ...], int, bool, bool], str] = {}
        self._update_sql: dict[tuple[tuple[str, ...], int], str] = {}
        self._adapter_cache: dict[tuple[str, ...], list[tuple[Field[Any, Any], bool]]] = {}
        self._update_in_sql: dict[tuple[Any, ...], str] = {}

    def _field(self, name: str) -> Field[Any, Any]:
        try:
            return self._fields[name]
        except KeyError:
            raise ValueError(f"{self.model.__name__} has no column {name!r}") from None

    def _column(self, name: str) -> str:
        return connection.ops.quote_name(self._field(name).column)

    def _adapters(self, names: tuple[str, ...]) -> list[tuple[Field[Any, Any], bool]]:
        """Per column: (field, whether values of the plain Python types pass through unchanged)."""
        adapters = self._adapter_cache.get(names)
        if adapters is None:
            adapters = self._adapter_cache[names] = [
                (self._field(n), isinstance(self._field(n), PLAIN_FIELDS)) for n in names
            ]
        return adapters

    def adapt(self, names: Sequence[str], row: Sequence[Any]) -> list[Any]:
        """Convert one row's values the way the ORM does before writing them.

        Text, integer and boolean columns holding values of exactly those Python types go
        through unchanged (their ``get_db_prep_save`` returns them as they are); every other
        value goes through its field's ``get_db_prep_save``.
        """
        out = []
        for (field, plain), value in zip(self._adapters(tuple(names)), row, strict=True):
            if value is None or (plain and type(value) in _PLAIN_TYPES):
                out.append(value)
            elif type(value) is datetime:
                # A step stamps most rows with the same moment: convert each moment once.
                key = (field.get_internal_type(), value)
                adapted = _moments.get(key, _MISSING)
                if adapted is _MISSING:
                    if len(_moments) > 256:
                        _moments.clear()
                    adapted = _moments[key] = field.get_db_prep_save(value, connection)
                out.append(adapted)
            else:
                out.append(field.get_db_prep_save(value, connection))
        return out

    def insert(self, names: Sequence[str], rows: Iterable[Sequence[Any]], *, ignore_conflicts: bool = False,
               returning_id: bool = False) -> list[int]:
        """INSERT the rows (one statement per ``CHUNK`` rows); ``returning_id`` returns the id of a single row."""
        rows = list(rows)
        if not rows:
            return []
        if returning_id and len(rows) != 1:
            raise ValueError("returning_id needs exactly one row (databases do not promise the order of several)")
        if len(rows) > CHUNK:
            for start in range(0, len(rows), CHUNK):
                self.insert(names, rows[start:start + CHUNK], ignore_conflicts=ignore_conflicts)
            return []
        names = tuple(names)
        key = (names, len(rows), ignore_conflicts, returning_id)
        sql = self._insert_sql.get(key)
        if sql is None:
            sql = self._build_insert(names, len(rows), ignore_conflicts=ignore_conflicts, returning_id=returning_id)
            if len(self._insert_sql) < 256:
                self._insert_sql[key] = sql
        params: list[Any] = []
        for row in rows:
            params.extend(self.adapt(names, row))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returning_id:
                return [r[0] for r in cursor.fetchall()]
        return []

    def _build_insert(self, names: tuple[str, ...], count: int, *, ignore_conflicts: bool,
                      returning_id: bool) -> str:
        columns = ", ".join(self._column(n) for n in names)
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        values = ", ".join([one] * count)
        verb = "INSERT"
        tail = ""
        if ignore_conflicts:
            if connection.vendor == "sqlite":
                verb = "INSERT OR IGNORE"
            else:
                tail = " ON CONFLICT DO NOTHING"
        if returning_id:
            tail += " RETURNING " + connection.ops.quote_name(self.model._meta.pk.column)
        return f"{verb} INTO {self.quoted} ({columns}) VALUES {values}{tail}"

    def update(self, pks: Sequence[Any], names: Sequence[str], values: Sequence[Any]) -> int:
        """UPDATE the named columns of the rows with these primary keys to the same values."""
        if not pks:
            return 0
        names = tuple(names)
        key = (names, len(pks))
        sql = self._update_sql.get(key)
        if sql is None:
            sets = ", ".join(f"{self._column(n)} = %s" for n in names)
            marks = ", ".join(["%s"] * len(pks))
            pk = connection.ops.quote_name(self.model._meta.pk.column)
            sql = f"UPDATE {self.quoted} SET {sets} WHERE {pk} IN ({marks})"
            if len(self._update_sql) < 256:
                self._update_sql[key] = sql
        with connection.cursor() as cursor:
            cursor.execute(sql, [*self.adapt(names, values), *pks])
            return int(cursor.rowcount)

    # --- reads -------------------------------------------------------------------------------

    def _reader(self) -> tuple[str, list[str], list[tuple[Any, list[Any]]]]:
        """(select list, attnames, (column expression, converters) per field) for whole rows."""
        cached = getattr(self, "_read_plan", None)
        if cached is None:
            fields = list(self.model._meta.concrete_fields)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            plan = []
            for f in fields:
                col = f.get_col(self.model._meta.db_table)
                plan.append((col, connection.ops.get_db_converters(col) + f.get_db_converters(connection)))
            cached = self._read_plan = (columns, [f.attname for f in fields], plan)
        return cached

    def get(self, pk: Any, *, for_update: bool = False) -> Model | None:
        """The row with this primary key as a model instance (locked when ``for_update``), or None.

        Values go through the same converters the ORM applies, so the instance equals what
        ``Model.objects.get(pk=pk)`` returns. ``for_update`` adds ``FOR UPDATE`` where the
        database has it; SQLite's write transaction (``BEGIN IMMEDIATE``) already excludes
        other writers.
        """
        return self.get_with(pk, (), for_update=for_update)[0]

    def get_with(self, pk: Any, extra: Sequence[str], *,
                 for_update: bool = False) -> tuple[Model | None, tuple[Any, ...]]:
        """Like :meth:`get`, plus the raw values of ``extra`` SQL expressions read in the same statement.

        ``extra`` are constant expressions written in code (e.g. a scalar subquery on another
        table), never built from input; their values come back unconverted.
        """
        columns, attnames, plan = self._reader()
        pk_column = connection.ops.quote_name(self.model._meta.pk.column)
        lock = " FOR UPDATE" if for_update and connection.features.has_select_for_update else ""
        select = ", ".join([columns, *extra])
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} FROM {self.quoted} WHERE {pk_column} = %s{lock}", [pk])
            row = cursor.fetchone()
        if row is None:
            return None, ()
        values = []
        for value, (col, converters) in zip(row, plan, strict=False):
            for converter in converters:
                value = converter(value, col, connection)
            values.append(value)
        return self.model.from_db(connection.alias, attnames, values), tuple(row[len(plan):])

    def update_in(self, equal: tuple[str, Any], column: str, keys: Sequence[Any], names: Sequence[str],
                  values: Sequence[Any]) -> int:
        """UPDATE ... SET names = values WHERE equal[0] = equal[1] AND column IN keys."""
        if not keys:
            return 0
        names = tuple(names)
        cache_key = (names, len(keys), equal[0], column)
        sql = self._update_in_sql.get(cache_key)
        if sql is None:
            sets = ", ".join(f"{self._column(n)} = %s" for n in names)
            marks = ", ".join(["%s"] * len(keys))
            sql = (f"UPDATE {self.quoted} SET {sets} WHERE {self._column(equal[0])} = %s "
                   f"AND {self._column(column)} IN ({marks})")
            if len(self._update_in_sql) < 256:
                self._update_in_sql[cache_key] = sql
        params = [*self.adapt(names, values), *self.adapt((equal[0],), (equal[1],)),
                  *self.adapt((column,) * len(keys), keys)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)
