"""Two edits of the same record racing, on SQLite (a temporary file database, WAL) and on
PostgreSQL: one wins, the other gets StaleEdit, no update is lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

import conftest

from .race import race
from .subjects import BUILDERS

ROOT = Path(__file__).resolve().parents[2]
KINDS = sorted(BUILDERS)


def check(result: dict) -> None:
    assert result["outcomes"] == ["saved", "stale"], result
    assert result["saved"] == result["expected"], result  # the winner's change, not lost
    assert result["version_after"] == result["version_before"] + 1, result


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", KINDS)
def test_two_edits_race_on_this_database(kind):
    if _in_memory_sqlite():
        pytest.skip(
            "The test database is SQLite in memory, which two connections cannot share; "
            "test_two_edits_race_on_a_file_backed_sqlite covers SQLite, and this test runs "
            "on PostgreSQL when BAKTI_DATABASE_URL is set (CI)."
        )
    check(race(kind, conftest.make_cast()))


@pytest.mark.django_db(transaction=True)
def test_without_the_row_lock_the_race_test_sees_the_lost_update():
    """A control on PostgreSQL: with ``select_for_update`` taken away, both saves pass the
    version check and the later one overwrites the earlier, which ``check`` must catch."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "The control needs row locks to take away: PostgreSQL (CI). SQLite serialises "
            "writing transactions anyway (BEGIN IMMEDIATE)."
        )
    result = race("household", conftest.make_cast(), lock=False)
    assert result["outcomes"] == ["saved", "saved"], result
    with pytest.raises(AssertionError):
        check(result)


def test_two_edits_race_on_a_file_backed_sqlite(tmp_path):
    """Always runs: a child process with a temporary SQLite file (WAL, IMMEDIATE transactions,
    as in production), whatever the test database is."""
    env = {
        **os.environ,
        "BAKTI_DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "BAKTI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bakti.settings",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.reliability.race", *KINDS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [r["kind"] for r in results] == KINDS, done.stdout[-2000:]
    journal = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1])"
            ".execute('pragma journal_mode').fetchone()[0])",
            str(tmp_path / "race.sqlite3"),
        ],
        capture_output=True,
        text=True,
    )
    assert journal.stdout.strip() == "wal"
    for result in results:
        check(result)
