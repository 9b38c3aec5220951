"""Child-process helpers for the durability tests (``python -m tests.reliability.jobs ...``),
run against the database in ``BAKTI_DATABASE_URL`` with the database task backend:

- ``import N BAD_EVERY FILE``: migrate, write a registry file of N households (every
  BAD_EVERY-th row invalid), queue its import; print the job id and what must come out of it.
- ``enqueue N``: migrate, make the job-run table, queue N ``record_run`` jobs.
"""

from __future__ import annotations

import json
import sys


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def queue_import(households: int, bad_every: int, path: str) -> dict:
    from django.core.files import File

    import conftest
    from bakti.registry.importing import services
    from bakti.registry.importing.layouts import BAKTI_COLUMNS
    from bakti.registry.importing.sample import sample_rows, write_sample

    conftest.make_regions()
    desa = [conftest.DESA_A, conftest.DESA_A2, conftest.DESA_B]
    with open(path, "w", encoding="utf-8", newline="") as out:
        rows = write_sample(out, households, desa, bad_every=bad_every)
    kk = BAKTI_COLUMNS.index("no_kk")
    valid = [
        row
        for number, row in enumerate(sample_rows(households, desa, bad_every=bad_every), 1)
        if number % bad_every
    ]
    with open(path, "rb") as handle:
        job = services.import_job_create(
            actor=None, upload=File(handle, name="kill-test.csv"), start=True
        )
    return {
        "job": job.pk,
        "rows": rows,
        "valid": len(valid),
        "rejected": rows - len(valid),
        "households": len({row[kk] for row in valid}),
    }


def queue_runs(count: int) -> dict:
    from .tasks import create_table, record_run

    create_table()
    for n in range(count):
        record_run.enqueue(f"job-{n:04d}")
    return {"queued": count}


def main() -> None:
    setup()
    command, *args = sys.argv[1:]
    if command == "import":
        result = queue_import(int(args[0]), int(args[1]), args[2])
    elif command == "enqueue":
        result = queue_runs(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
