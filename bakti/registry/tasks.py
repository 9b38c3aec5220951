"""Background jobs of the registry. Each takes ids, calls a service and is safe to run twice."""

from django_tasks import task


@task()
def score_households(run_id: int) -> str:
    from .scoring import scoring_run_execute

    return scoring_run_execute(run_id=run_id).status
