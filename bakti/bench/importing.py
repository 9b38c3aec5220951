"""Import figures: Bakti's importer, the raw insert limit and django-import-export.

* Bakti: ``bakti import registry FILE --no-duplicate-search`` in a child process (full
  validation, lookup by NIK/KK, audit; the fuzzy search is measured on its own), timed from
  start to exit; its peak memory is the child's own peak resident size (VmHWM, read from /proc
  while it runs).
* Raw: the same rows, already valid and converted, inserted into the same tables of an empty
  copy of the schema (same indexes and constraints) with ``executemany`` on SQLite or ``COPY``
  on PostgreSQL, ids assigned up front. Only the database calls and the commit are timed.
* django-import-export: :mod:`bakti.bench.die` in a child process on a third empty copy, on the
  first ``die_rows`` rows (whole file when smaller).
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import models

ROOT = Path(__file__).resolve().parents[2]
RAW_BATCH = 10_000


def _peak_rss_mb(pid: int) -> float | None:
    """The process's own peak resident size so far (VmHWM), in MB."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_child(
    args: list[str], env: dict[str, str], *, log: Path | None = None
) -> tuple[int, float, float | None, str]:
    """Run ``args``; return (exit status, seconds, peak RSS in MB of that child, stdout).

    The peak is the child's ``VmHWM`` read from /proc while it runs (the last reading before
    it exits). ``ru_maxrss`` from ``wait4`` would not do: Linux carries the parent's resident
    size at fork over into the child's figure, so a large runner would be counted."""
    start = time.perf_counter()
    out_path = log or Path(os.devnull)
    peak: list[float] = []
    with out_path.open("w") as err, tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=out, stderr=err, text=True)
        while process.poll() is None:
            reading = _peak_rss_mb(process.pid)
            if reading is not None:
                peak.append(reading)
            time.sleep(0.1)
        out.seek(0)
        stdout = out.read()
    seconds = time.perf_counter() - start
    return process.returncode, seconds, (max(peak) if peak else None), stdout


def bakti_import(path: Path, env: dict[str, str], rows: int, log: Path) -> dict[str, Any]:
    # Matching by NIK and KK is part of the import; the fuzzy duplicate search after it is
    # measured on its own (dedup), as the raw baseline does no such search.
    args = [sys.executable, str(ROOT / "manage.py"), "import", "registry", str(path)]
    args.append("--no-duplicate-search")
    status, seconds, rss, stdout = run_child(args, env, log=log)
    if status not in (0, 1):
        raise RuntimeError(f"bakti import registry failed ({status}); see {log}")
    return {
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds, 1),
        "peak_rss_mb": None if rss is None else round(rss, 1),
        "exit_status": status,
        "summary": stdout.strip(),
    }


# --- Raw insert -------------------------------------------------------------------------------


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def _defaults(fields: list[models.Field], now: dt.datetime) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            values[f.column] = now
        elif f.has_default():
            default = f.get_default()
            values[f.column] = json.dumps(default) if isinstance(f, models.JSONField) else default
        else:
            values[f.column] = None if f.null else ""
    return values


def raw_rows(path: Path, today: dt.date) -> Iterator[tuple[dict, dict, dict]]:
    """(household, person, membership) column values per CSV row, converted as the importer
    would (the file is valid). Household values come only on a household's first row."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        current = None
        for row in reader:
            household = None
            if row["no_kk"] != current:
                current = row["no_kk"]
                household = {
                    "no_kk": row["no_kk"],
                    "region_id": row["region_code"],
                    "address": row["address"],
                    "rt": row["rt"],
                    "rw": row["rw"],
                    "desil": int(row["desil"]) if row["desil"] else None,
                }
            day, month, year = row["birth_date"].split("-")
            person = {
                "nik": row["nik"] or None,
                "full_name": row["full_name"],
                "sex": "M" if row["sex"] == "L" else "F",
                "birth_date": f"{year}-{month}-{day}",
                "birth_place": row["birth_place"],
                "relationship": row["relationship"],
                "marital_status": row["marital_status"],
                "education": row["education"],
                "occupation": row["occupation"],
                "phone": row["phone"],
            }
            membership = {
                "relationship": row["relationship"],
                "start_date": today.isoformat(),
                "start_reason": "registered",
            }
            yield household, person, membership


def raw_insert(path: Path, database: dict[str, Any], rows: int) -> dict[str, Any]:
    """Insert the file's rows with the database's fastest plain path; time the writes only."""
    from bakti.registry.models import Household, HouseholdMembership, Person

    now = dt.datetime.now(dt.UTC)
    today = dt.date.today()
    tables = []
    for model in (Household, Person, HouseholdMembership):
        fields = _columns(model)
        tables.append((model._meta.db_table, [f.column for f in fields], _defaults(fields, now)))
    (hh_table, hh_cols, hh_def), (p_table, p_cols, p_def), (m_table, m_cols, m_def) = tables
    connect, writer = _raw_backend(database)
    conn = connect()
    timed = 0.0
    hh_id = person_id = membership_id = 0
    head_of: dict[int, int] = {}
    region = ""
    source = raw_rows(path, today)
    try:
        while True:
            batch = list(itertools.islice(source, RAW_BATCH))
            if not batch:
                break
            households, people, memberships = [], [], []
            for household, person, membership in batch:
                if household is not None:
                    hh_id += 1
                    region = household["region_id"]
                    households.append({**hh_def, **household, "id": hh_id, "head_id": None})
                person_id += 1
                membership_id += 1
                if person["relationship"] == "head":
                    head_of[hh_id] = person_id
                people.append(
                    {
                        **p_def,
                        **person,
                        "id": person_id,
                        "household_id": hh_id,
                        "region_id": region,
                    }
                )
                memberships.append(
                    {
                        **m_def,
                        **membership,
                        "id": membership_id,
                        "household_id": hh_id,
                        "person_id": person_id,
                    }
                )
            for values in households:
                values["head_id"] = head_of.get(values["id"])
            start = time.perf_counter()
            writer(conn, hh_table, hh_cols, [tuple(v[c] for c in hh_cols) for v in households])
            writer(conn, p_table, p_cols, [tuple(v[c] for c in p_cols) for v in people])
            writer(conn, m_table, m_cols, [tuple(v[c] for c in m_cols) for v in memberships])
            timed += time.perf_counter() - start
        start = time.perf_counter()
        conn.commit()
        timed += time.perf_counter() - start
    finally:
        conn.close()
    return {
        "rows": rows,
        "seconds": round(timed, 3),
        "rows_per_s": round(rows / timed, 1),
        "method": "executemany" if database["ENGINE"].endswith("sqlite3") else "COPY",
    }


def _raw_backend(database: dict[str, Any]) -> tuple[Any, Any]:
    if database["ENGINE"].endswith("sqlite3"):
        import sqlite3

        def connect() -> Any:
            conn = sqlite3.connect(database["NAME"], isolation_level=None)
            for pragma in (
                "journal_mode=WAL",
                "synchronous=NORMAL",
                "cache_size=-64000",
                "temp_store=MEMORY",
                "foreign_keys=ON",
            ):
                conn.execute(f"PRAGMA {pragma}")
            conn.execute("BEGIN IMMEDIATE")
            return conn

        def write(conn: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
            if not rows:
                return
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)

        return connect, write

    import psycopg

    def connect_pg() -> Any:
        conn = psycopg.connect(
            dbname=database["NAME"],
            user=database.get("USER") or None,
            password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None,
            port=database.get("PORT") or None,
        )
        conn.execute("SET CONSTRAINTS ALL DEFERRED")
        return conn

    def write_pg(conn: Any, table: str, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        with conn.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)

    return connect_pg, write_pg


# --- django-import-export ------------------------------------------------------------------------


def die_import(path: Path, env: dict[str, str], limit: int, log: Path) -> dict[str, Any]:
    subset = path.with_name(f"die-{path.name}")
    rows = 0
    with path.open(newline="", encoding="utf-8") as source, subset.open("w", newline="") as out:
        writer = csv.writer(out)
        reader = csv.reader(source)
        writer.writerow(next(reader))
        for row in reader:
            if rows >= limit:
                break
            writer.writerow(row)
            rows += 1
    status, _seconds, rss, stdout = run_child(
        [sys.executable, "-m", "bakti.bench.die", str(subset)], env, log=log
    )
    if status != 0:
        raise RuntimeError(f"django-import-export run failed ({status}); see {log}")
    result = json.loads(stdout.strip().splitlines()[-1])
    return {
        "rows": result["rows"],
        "imported": result["imported"],
        "errors": result["errors"],
        "seconds": round(result["seconds"], 3),
        "rows_per_s": round(result["rows"] / result["seconds"], 1),
        "peak_rss_mb": None if rss is None else round(rss, 1),
    }
