"""Killing ``bakti worker`` in the middle of a registry import and starting it again neither
loses nor duplicates rows: the restarted worker puts the job left running back in the queue and
the import resumes after its last committed chunk, with correct counts."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from .workers import database, environment, helper, server_url, start_worker, wait_for

CHUNK = 200  # worker_settings.BAKTI_IMPORT_CHUNK_ROWS
HOUSEHOLDS = 1200  # about 4,200 rows, some twenty chunks
BAD_EVERY = 37


def _kinds() -> list:
    return [
        "sqlite",
        pytest.param(
            "postgres",
            marks=pytest.mark.skipif(
                server_url() is None,
                reason="PostgreSQL variant: runs when BAKTI_DATABASE_URL points to PostgreSQL "
                "(CI); the SQLite variant runs everywhere.",
            ),
        ),
    ]


@pytest.mark.parametrize("kind", _kinds())
def test_a_worker_killed_mid_import_resumes_without_losing_or_duplicating_rows(tmp_path, kind):
    with database(tmp_path, kind) as db:
        env = environment(tmp_path, db)
        expected = helper(env, "import", str(HOUSEHOLDS), str(BAD_EVERY), str(tmp_path / "in.csv"))
        job = expected["job"]
        assert expected["rows"] > 10 * CHUNK
        progress = "SELECT status, processed_rows FROM registry_importjob WHERE id = %s"

        worker = start_worker(env, tmp_path / "worker-1.log")
        try:
            # Kill it once a few chunks are committed and well before the end.
            wait_for(
                lambda: db.rows(progress, (job,))[0][1] >= 3 * CHUNK,
                timeout=600,
                what="three committed chunks",
                poll=0.02,
            )
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        status, processed = db.rows(progress, (job,))[0]
        log = Path(tmp_path / "worker-1.log").read_text(errors="replace")
        assert status == "running", log[-3000:]
        assert 3 * CHUNK <= processed < expected["rows"], "the import ended before the kill"
        assert (
            db.value(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
            )
            == 1
        )
        # Everything committed so far is whole: as many people as the saved counts say.
        assert db.value("SELECT count(*) FROM registry_person") == db.value(
            "SELECT created_people FROM registry_importjob WHERE id = %s", (job,)
        )

        again = start_worker(env, tmp_path / "worker-2.log", "--batch")
        try:
            again.wait(timeout=900)
        finally:
            if again.poll() is None:
                again.kill()
                again.wait()
        log = Path(tmp_path / "worker-2.log").read_text(errors="replace")
        assert again.returncode == 0, log[-3000:]

        (status, processed, created_hh, updated_hh, created_p, updated_p, rejected) = db.rows(
            "SELECT status, processed_rows, created_households, updated_households,"
            " created_people, updated_people, rejected_rows FROM registry_importjob"
            " WHERE id = %s",
            (job,),
        )[0]
        assert status == "done", log[-3000:]
        assert processed == expected["rows"]
        assert rejected == expected["rejected"]
        assert created_p == expected["valid"]
        assert created_hh == expected["households"]
        assert updated_hh == updated_p == 0  # nothing written twice
        # Every valid row exactly once.
        assert db.value("SELECT count(*) FROM registry_person") == expected["valid"]
        assert db.value("SELECT count(DISTINCT nik) FROM registry_person") == expected["valid"]
        assert db.value("SELECT count(*) FROM registry_household") == expected["households"]
        assert db.value("SELECT count(*) FROM registry_householdmembership") == expected["valid"]
        assert (
            db.value(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'SUCCESSFUL'"
            )
            == 1
        )
        assert "left running by worker" in log
        # The error report lists every rejected row once, those before the kill included.
        report = db.value("SELECT error_report FROM registry_importjob WHERE id = %s", (job,))
        lines = (tmp_path / "media" / report).read_text(encoding="utf-8-sig").splitlines()
        numbers = [line.split(",", 1)[0] for line in lines[1:]]
        assert len(numbers) == len(set(numbers)) == expected["rejected"]
