"""Periodic jobs are put on the queue when due, once per interval, and really run."""

import datetime as dt

import pytest
from django.utils import timezone

from bakti.core.models import ScheduledJob
from bakti.core.schedule import Periodic, enqueue_due, periodic_jobs


def test_every_app_job_names_an_importable_task() -> None:
    from django.utils.module_loading import import_string

    names = {job.name for job in periodic_jobs()}
    assert {
        "community.escalate_overdue_tickets",
        "partners.agreement_reminders",
        "monitoring.compute_all_programs",
    } <= names
    for job in periodic_jobs():
        assert hasattr(import_string(job.task), "enqueue"), job.task


@pytest.mark.django_db(transaction=True)
def test_a_due_job_is_enqueued_once_per_interval() -> None:
    job = Periodic("test.count", "bakti.core.tests.periodic_task.count_run", dt.timedelta(hours=1))
    start = timezone.now()
    from bakti.core.tests import periodic_task

    periodic_task.RUNS.clear()
    assert enqueue_due(start, [job]) == ["test.count"]
    assert enqueue_due(start + dt.timedelta(minutes=59), [job]) == []
    assert enqueue_due(start + dt.timedelta(minutes=61), [job]) == ["test.count"]
    # The test settings run jobs at once, so the task really ran each time it was enqueued.
    assert len(periodic_task.RUNS) == 2
    assert ScheduledJob.objects.get(name="test.count").last_enqueued_at == start + dt.timedelta(
        minutes=61
    )
