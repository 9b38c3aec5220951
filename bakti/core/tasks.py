from __future__ import annotations

from django_tasks import task

from .statistics import refresh_statistics


@task()
def refresh_planner_statistics() -> str:
    """Nightly: the query planner's statistics (see :mod:`bakti.core.statistics`)."""
    refresh_statistics()
    return "done"
