"""Inserting many rows at once: ``COPY`` on PostgreSQL, a multi-row ``INSERT … RETURNING`` per
batch on SQLite.

Django's ``bulk_create`` prepares every value of every row through each field's full save
path, which costs more than the database itself for a wide table such as Person. Here each
field gets its converter once per batch (most need none) and values are taken from the unsaved
instances as they are.

- **SQLite** (3.35+): the new primary keys come back from ``RETURNING`` in the order of the
  rows, as ``bulk_create`` itself relies on.
- **PostgreSQL**: psycopg binds parameters on the client, and for a statement of thousands of
  ``%s`` marks it splits the text with a regular expression on every execution: at 50,000
  people that took longer than the database's own work. The keys are therefore taken from the
  table's sequence first (one query for the whole batch) and the rows, keys included, are
  streamed with ``COPY``, the database's bulk-load path, with no statement to parse.

Other databases fall back to ``bulk_create``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone

M = TypeVar("M", bound=models.Model)

# Keep well under SQLite's limit of 32,766 parameters per statement.
MAX_PARAMETERS = 30_000
_PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


@functools.cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], tuple[tuple[str, Any], ...]]:
    """Every concrete field's default: (the fixed ones by attname, the ones to call)."""
    fixed: dict[str, Any] = {}
    called = []
    for field in model._meta.concrete_fields:
        if field.has_default() and callable(field.default):
            called.append((field.attname, field.default))
        else:
            fixed[field.attname] = field.get_default()
    return fixed, tuple(called)


def build(model: type[M], values: dict[str, Any]) -> M:
    """An unsaved instance of ``model`` with ``values`` (by attname, e.g. ``household_id``)
    and every other field at its default: what ``model(**values)`` makes, without the
    per-keyword work of ``Model.__init__``, which dominated an import's time. For plain
    rows only: no validation happens here (the import has checked every value)."""
    fixed, called = _defaults(model)
    obj = model.__new__(model)
    obj._state = ModelState()
    data = obj.__dict__
    data.update(fixed)
    for attname, default in called:
        data[attname] = default()
    data.update(values)
    return obj


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind in _PLAIN:
        return None
    if kind == "JSONField":
        # Most rows hold an empty list or object (no flags): the same text every time.
        prepare = field.get_db_prep_save
        empty = {
            "[]": prepare([], connection),
            "{}": prepare({}, connection),
        }
        return lambda value: (
            empty["[]"]
            if value == []
            else empty["{}"]
            if value == {}
            else prepare(value, connection)
        )
    if kind == "DateField":
        # The database adapter's own conversion, without the field's full save path.
        adapt = connection.ops.adapt_datefield_value
        return lambda value: None if value is None else adapt(value)
    if kind == "DecimalField":
        # Mostly empty in an import (coordinates, expenditure): None needs no conversion.
        prepare_decimal = field.get_db_prep_save
        return lambda value: None if value is None else prepare_decimal(value, connection)
    return lambda value: field.get_db_prep_save(value, connection)


def insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (unsaved instances of ``model``) and set their primary keys."""
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    now = timezone.now()
    stamped = _stamped(model)
    for obj in objs:
        for attname in stamped:
            setattr(obj, attname, now)
    pks = _insert(model, [obj.__dict__ for obj in objs], now)
    pk_attname = model._meta.pk.attname
    alias = connection.alias  # read once: each read of the proxy looks up the connection
    for obj, pk in zip(objs, pks, strict=True):
        obj.__dict__[pk_attname] = pk
        state = obj._state
        state.adding = False
        state.db = alias


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> list[Any]:
    """Insert plain rows, each a dict of values by attname with every other field at its
    default (the row :func:`build` would make, without making the instance); return the new
    primary keys in the order of the rows. For rows that need no instance afterwards (new
    people and their memberships in an import)."""
    if not rows:
        return []
    if not connection.features.can_return_rows_from_bulk_insert:
        objs = [build(model, row) for row in rows]
        insert_many(model, objs)
        return [obj.pk for obj in objs]
    fixed, called = _defaults(model)
    if called:
        full = []
        for row in rows:
            values = {**fixed, **row}
            for attname, default in called:
                if attname not in row:
                    values[attname] = default()
            full.append(values)
    else:
        full = [{**fixed, **row} for row in rows]
    return _insert(model, full, timezone.now())


def _stamped(model: type[models.Model]) -> set[str]:
    return {
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    }


def _insert(model: type[models.Model], rows: Sequence[dict[str, Any]], now: Any) -> list[Any]:
    """Insert ``rows`` (dicts holding every concrete field by attname; the timestamps are set
    to ``now``): ``COPY`` on PostgreSQL, one multi-row ``INSERT … RETURNING`` per batch
    elsewhere. The new keys, in the order of the rows."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = _stamped(model)
    # Every row gets the same timestamp: convert it once, not once per row.
    stamp = connection.ops.adapt_datetimefield_value(now)
    take = operator.itemgetter(*[f.attname for f in fields])
    convert = [
        (i, c) for i, f in enumerate(fields) if (c := _converter(f)) and f.attname not in stamped
    ]
    stamp_at = [i for i, f in enumerate(fields) if f.attname in stamped]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        return _copy(
            model, fields, [_row(values, take, convert, stamp_at, stamp) for values in rows]
        )
    columns = ", ".join(quote(f.column) for f in fields)
    mark = "?" if _direct(connection) else "%s"
    row_sql = "(" + ", ".join([mark] * len(fields)) + ")"
    per_batch = max(1, MAX_PARAMETERS // len(fields))
    pks: list[Any] = []
    with connection.cursor() as cursor:
        execute = _executor(cursor, mark)
        for start in range(0, len(rows), per_batch):
            batch = rows[start : start + per_batch]
            params: list[Any] = []
            for values in batch:
                params.extend(_row(values, take, convert, stamp_at, stamp))
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_sql] * len(batch))
                + f" RETURNING {quote(meta.pk.column)}"
            )
            execute(sql, params)
            returned = cursor.fetchall()
            if len(returned) != len(batch):
                raise RuntimeError(f"{len(batch)} rows inserted, {len(returned)} keys returned")
            pks.extend(pk for (pk,) in returned)
    return pks


def _row(
    values: dict[str, Any],
    take: Callable[[dict[str, Any]], tuple[Any, ...]],
    convert: list[tuple[int, Callable[[Any], Any]]],
    stamp_at: list[int],
    stamp: Any,
) -> list[Any]:
    """One row's values in column order, converted for the database."""
    row = list(take(values))
    for i, conv in convert:
        row[i] = conv(row[i])
    for i in stamp_at:
        row[i] = stamp
    return row


def _copy(
    model: type[models.Model], fields: list[models.Field], rows: list[list[Any]]
) -> list[Any]:
    """PostgreSQL: keys from the table's sequence, then every row through one ``COPY``."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [quote(meta.db_table), meta.pk.column, len(rows)],
        )
        pks = [pk for (pk,) in cursor.fetchall()]
        copy_rows(
            cursor,
            f"{quote(meta.db_table)} ({columns})",
            ((pk, *row) for pk, row in zip(pks, rows, strict=True)),
        )
    return pks


def copy_rows(cursor: Any, target: str, rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: stream ``rows`` into ``target`` (a table, with its columns in parentheses
    when not all of them) with ``COPY``, in the cursor's connection and transaction. Django's
    cursor wrapper has no COPY; the driver's cursor under it does."""
    with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _direct(conn: Any) -> bool:
    """Whether statements may go to SQLite's own cursor with ``?`` marks. Django's SQLite
    cursor rewrites every ``%s`` of a statement into ``?`` with a regular expression, which
    for a multi-row insert of thousands of values costs more than the insert; when nothing
    records or wraps the queries (a test counting them does), the statement is written with
    ``?`` and given to the driver directly, still inside Django's connection, transaction
    and error translation."""
    return conn.vendor == "sqlite" and not conn.queries_logged and not conn.execute_wrappers


def _executor(cursor: Any, mark: str) -> Callable[[str, list[Any]], Any]:
    if mark == "%s":
        return cursor.execute
    import sqlite3

    driver_cursor = cursor.cursor  # Django's SQLiteCursorWrapper, a sqlite3.Cursor
    errors = connection.wrap_database_errors

    def execute(sql: str, params: list[Any]) -> Any:
        with errors:
            return sqlite3.Cursor.execute(driver_cursor, sql, params)

    return execute


def set_column(model: type[models.Model], column: str, pairs: Sequence[tuple[Any, Any]]) -> None:
    """``UPDATE table SET column = value WHERE pk = id`` for many ``(id, value)`` pairs
    (``bulk_update`` builds a large CASE per batch instead, which costs more than the update
    itself): on PostgreSQL one statement joining two arrays, elsewhere one prepared statement
    run many times."""
    if not pairs:
        return
    quote = connection.ops.quote_name
    meta = model._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            pk_type = meta.pk.rel_db_type(connection)
            value_type = meta.get_field(column).db_type(connection)
            cursor.execute(
                f"UPDATE {table} SET {quote(column)} = pairs.value "  # noqa: S608
                f"FROM unnest(%s::{pk_type}[], %s::{value_type}[]) AS pairs(id, value) "
                f"WHERE {table}.{pk} = pairs.id",
                [[pk for pk, _value in pairs], [value for _pk, value in pairs]],
            )
            return
        cursor.executemany(
            f"UPDATE {table} SET {quote(column)} = %s WHERE {pk} = %s",  # noqa: S608
            [(value, pk) for pk, value in pairs],
        )
