"""Backups: the database and the uploaded files in one archive, and their restore.

An archive is a ``.tar.gz`` holding ``manifest.json`` (Bakti version, database engine, time,
and for every table its row count and a checksum of its rows), the database (an SQLite copy
made with SQLite's online backup API, or a ``pg_dump`` custom-format dump) and ``media/``.
Restoring replaces the database and the media files, then recomputes every table's count and
checksum and refuses to report success unless they equal the manifest's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

import bakti

MANIFEST = "manifest.json"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.pgdump"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class TableState:
    rows: int
    checksum: str


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def table_states() -> dict[str, TableState]:
    """Row count and a checksum of the ordered rows of every table in the database."""
    states = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            order = ", ".join(quote(c) for c in columns)
            cursor.execute(f"SELECT {order} FROM {quote(table)} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(tuple(_canonical(v) for v in row)).encode())
                count += 1
            states[table] = TableState(rows=count, checksum=digest.hexdigest())
    return states


def _canonical(value: Any) -> Any:
    """The same value whatever the driver returned it as (JSON text vs dict, memoryview…)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.dumps(json.loads(value), sort_keys=True)
        except ValueError:
            return value
    return value


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_args() -> list[str]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise BackupError(f"{name} is not installed: install the PostgreSQL client tools.")


def create_backup(out: Path) -> dict[str, Any]:
    """Write a backup archive to ``out`` and return its manifest."""
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        connection.ensure_connection()
        if vendor == "sqlite":
            target = sqlite3.connect(work / SQLITE_NAME)
            with target:
                connection.connection.backup(target)
            target.close()
            db_file = SQLITE_NAME
        else:
            db_file = PG_NAME
            subprocess.run(
                [
                    _pg_tool("pg_dump"),
                    *_pg_args(),
                    "-Fc",
                    "--no-owner",
                    "-f",
                    str(work / PG_NAME),
                    connection.settings_dict["NAME"],
                ],
                check=True,
                env=_pg_env(),
                capture_output=True,
            )
        states = table_states()
        manifest = {
            "bakti_version": bakti.__version__,
            "engine": vendor,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "database_file": db_file,
            "tables": {name: vars(state) for name, state in states.items()},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2))
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:gz") as archive:
            archive.add(work / MANIFEST, arcname=MANIFEST)
            archive.add(work / db_file, arcname=db_file)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for member in archive.getmembers():
        name = Path(member.name)
        if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
            raise BackupError(f"The archive holds an unsafe path: {member.name}")
        members.append(member)
    return members


def _pg_restore(dump: Path) -> None:
    """Replace every table with the dump's, in one transaction.

    ``pg_restore --clean`` drops only what the dump holds, so a table added since the backup
    (by an upgrade's migration) that references one of them blocks the restore, exactly when a
    failed upgrade is rolled back. Instead every current table is dropped (CASCADE) and the dump
    replayed through psql in a single transaction: all or nothing."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    statements = []
    if tables:
        names = ", ".join(connection.ops.quote_name(name) for name in tables)
        statements += ["-c", f"DROP TABLE IF EXISTS {names} CASCADE"]
    connection.close()  # our own session must not hold locks on what is dropped
    env = _pg_env()
    dump_sql = subprocess.Popen(
        [_pg_tool("pg_restore"), "--no-owner", "-f", "-", str(dump)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    replay = subprocess.run(
        [
            _pg_tool("psql"),
            *_pg_args(),
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "--single-transaction",
            *statements,
            "-f",
            "-",
            "-d",
            connection.settings_dict["NAME"],
        ],
        stdin=dump_sql.stdout,
        capture_output=True,
        env=env,
    )
    assert dump_sql.stdout is not None
    dump_sql.stdout.close()
    dump_error = dump_sql.stderr.read() if dump_sql.stderr else b""
    if dump_sql.wait() != 0 or replay.returncode != 0:
        detail = (dump_error + replay.stderr).decode(errors="replace").strip()
        raise BackupError(f"The database could not be restored; nothing was changed.\n{detail}")


def restore_backup(archive_path: Path) -> dict[str, Any]:
    """Replace the database and media with the archive's; verify every table afterwards."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            members = _safe_members(archive)
            if hasattr(tarfile, "data_filter"):
                archive.extractall(work, members=members, filter="data")
            else:  # Python before 3.11.4 (Debian 12 ships 3.11.2): members are checked above
                archive.extractall(work, members=members)  # noqa: S202
        manifest = json.loads((work / MANIFEST).read_text())
        vendor = connection.vendor
        if manifest["engine"] != vendor:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this Bakti uses {vendor}."
            )
        connection.ensure_connection()
        if vendor == "sqlite":
            source = sqlite3.connect(work / SQLITE_NAME)
            with source:
                source.backup(connection.connection)
            source.close()
        else:
            _pg_restore(work / PG_NAME)
        media_src = work / "media"
        media = Path(settings.MEDIA_ROOT)
        if media_src.exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(media_src, media)
        verify(manifest)
    return manifest


def verify(manifest: dict[str, Any]) -> None:
    expected = {name: TableState(**state) for name, state in manifest["tables"].items()}
    actual = table_states()
    wrong = sorted(name for name in expected if actual.get(name) != expected[name])
    if wrong:
        raise BackupError("These tables differ from the backup after restore: " + ", ".join(wrong))
