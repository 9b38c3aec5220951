"""A small job whose every run can be seen: it adds a row to a plain table (no unique key, so a
second run of the same job shows as a second row rather than an error)."""

import os
import time

from django.db import connection
from django_tasks import task

TABLE = "reliability_job_run"


def create_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (job_key varchar(40) NOT NULL, pid integer)"
        )


@task()
def record_run(job_key: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (job_key, pid) VALUES (%s, %s)",  # noqa: S608 - a constant
            [job_key, os.getpid()],
        )
    time.sleep(0.05)  # long enough for the two workers to take turns
