"""Two ``bakti worker`` processes on PostgreSQL drain one queue: every job runs exactly once,
none is lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from .workers import database, environment, helper, server_url, start_worker

JOBS = 200


@pytest.mark.skipif(
    server_url() is None,
    reason="Two workers sharing a queue is a PostgreSQL deployment (row locks with SKIP LOCKED); "
    "runs when BAKTI_DATABASE_URL points to PostgreSQL (CI).",
)
def test_two_workers_drain_one_queue_with_no_job_run_twice_and_none_lost(tmp_path):
    with database(tmp_path, "postgres") as db:
        env = environment(tmp_path, db)
        assert helper(env, "enqueue", str(JOBS)) == {"queued": JOBS}
        workers = [
            start_worker(env, tmp_path / f"worker-{n}.log", "--batch", "--interval", "0.05")
            for n in (1, 2)
        ]
        try:
            for worker in workers:
                worker.wait(timeout=600)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait()
        logs = [Path(tmp_path / f"worker-{n}.log").read_text(errors="replace") for n in (1, 2)]
        assert [w.returncode for w in workers] == [0, 0], logs

        runs = db.rows("SELECT job_key, count(*) FROM reliability_job_run GROUP BY job_key")
        assert len(runs) == JOBS  # none lost
        assert {count for _key, count in runs} == {1}  # none run twice
        assert (
            db.value(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status = 'SUCCESSFUL'"
            )
            == JOBS
        )
        # Both workers took part, so the queue really was shared.
        assert db.value("SELECT count(DISTINCT pid) FROM reliability_job_run") == 2, logs
