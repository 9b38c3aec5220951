"""Background jobs of the import module: they take ids and call the service."""

from django_tasks import task

from .services import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id=job_id)
