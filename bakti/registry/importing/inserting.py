"""Inserting many rows at once with one multi-row ``INSERT … RETURNING`` per batch.

Django's ``bulk_create`` prepares every value of every row through each field's full save
path, which costs more than the database itself for a wide table such as Person. Here each
field gets its converter once per batch (most need none), values are taken from the unsaved
instances as they are, and the new primary keys come back from ``RETURNING`` (SQLite 3.35+,
PostgreSQL) in the order of the rows, as ``bulk_create`` itself relies on. Other databases fall
back to ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

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


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    if field.get_internal_type() in _PLAIN:
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def insert_many(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """Insert ``objs`` (unsaved instances of ``model``) and set their primary keys."""
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(objs, batch_size=500)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    timestamps = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for field in timestamps:
            setattr(obj, field.attname, now)
    converters = [(f.attname, _converter(f)) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_batch = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_batch):
            batch = objs[start : start + per_batch]
            params: list[Any] = []
            for obj in batch:
                for attname, convert in converters:
                    value = getattr(obj, attname)
                    params.append(value if convert is None else convert(value))
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
                + ", ".join([row_sql] * len(batch))
                + f" RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, params)
            for obj, (pk,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
