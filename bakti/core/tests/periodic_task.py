"""A task for the scheduler test (tasks must be importable module-level functions)."""

from django_tasks import task

RUNS: list[str] = []


@task()
def count_run() -> int:
    RUNS.append("run")
    return len(RUNS)
