from __future__ import annotations

from django_tasks import task

from . import services
from .models import ReportJob


@task()
def run_report_job(job_id: int) -> str:
    job = ReportJob.objects.select_related("program", "requested_by").filter(pk=job_id).first()
    if job is None:
        return "missing"
    return services.report_job_run(job=job).status


@task()
def rebuild_rollups() -> int:
    """Nightly: build the people-reached rollup and tally again from the deliveries, in case a
    write ever bypassed the services (they keep both exact in between)."""
    from .rollups import reach_rebuild

    return reach_rebuild()
