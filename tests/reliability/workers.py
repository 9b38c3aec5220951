"""Run ``bakti worker`` processes against a database of their own (a temporary SQLite file,
or a fresh database on the PostgreSQL server of BAKTI_DATABASE_URL) and read that database
directly, without Django, while they run."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
BAKTI = Path(sys.executable).parent / "bakti"


def server_url() -> str | None:
    """The PostgreSQL server the test suite runs on, if any."""
    url = os.environ.get("BAKTI_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


class Database:
    def __init__(self, url: str):
        self.url = url

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with contextlib.closing(sqlite3.connect(self.url.split(":///", 1)[1])) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def value(self, sql: str, params: tuple = ()) -> Any:
        return self.rows(sql, params)[0][0]


@contextlib.contextmanager
def database(tmp_path: Path, kind: str) -> Iterator[Database]:
    """A new, empty database: ``sqlite`` (a file in ``tmp_path``) or ``postgres`` (created on
    the server of BAKTI_DATABASE_URL, dropped afterwards)."""
    if kind == "sqlite":
        yield Database(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
        return
    import psycopg

    server = server_url()
    assert server is not None
    name = f"bakti_jobs_{secrets.token_hex(4)}"
    parts = urlsplit(server)
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(urlunsplit(parts._replace(path=f"/{name}")))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def environment(tmp_path: Path, db: Database) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTEST_VERSION", "PYTEST_CURRENT_TEST", "BAKTI_TESTING"}
    }
    env.update(
        BAKTI_DATABASE_URL=db.url,
        BAKTI_VAR_DIR=str(tmp_path / "var"),
        BAKTI_MEDIA_ROOT=str(tmp_path / "media"),
        BAKTI_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        BAKTI_SECRET_KEY="durability-test-" + secrets.token_hex(16),
        DJANGO_SETTINGS_MODULE="tests.reliability.worker_settings",
        PYTHONPATH=str(ROOT),
        BAKTI_DB_CONN_MAX_AGE="0",
    )
    return env


def helper(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``python -m tests.reliability.jobs ARGS``; its last line of output, as JSON."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.jobs", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def start_worker(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(
        [str(BAKTI), "worker", "--interval", "0.2", *args],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition: Any, timeout: float, what: str, poll: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(poll)
    raise AssertionError(f"gave up waiting for {what} after {timeout:.0f} s")
