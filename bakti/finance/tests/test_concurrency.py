"""The balance rule under concurrent approvals: one wins, the other is refused."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

import conftest

from .race import run_race

ROOT = Path(__file__).resolve().parents[3]


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_balance_in_this_database():
    if _in_memory_sqlite():
        pytest.skip(
            "The test database is SQLite in memory, which threads cannot share as separate "
            "connections; the file-backed SQLite test below covers SQLite, and this one runs "
            "on PostgreSQL (BAKTI_DATABASE_URL) in CI."
        )
    result = run_race(conftest.make_cast())
    assert result["outcomes"] == ["approved", "refused"]
    assert result["approved"] == 1
    assert result["realised"] == "600000.00"


def test_two_approvals_racing_for_the_last_balance_on_a_file_backed_sqlite(tmp_path):
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("This variant is for SQLite; the in-process race covers this database.")
    env = {
        **os.environ,
        "BAKTI_DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "BAKTI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "bakti.settings",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bakti.finance.tests.race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["outcomes"] == ["approved", "refused"], result
    assert result["approved"] == 1
    assert Decimal(result["realised"]) == Decimal("600000")
