"""Periodic jobs: agreement reminders, complaint escalation, nightly indicator computation.

An app declares its periodic jobs on its AppConfig::

    schedule = ({"name": "community.escalate", "task": "bakti.community.tasks.x",
                 "every": timedelta(hours=1)},)

``bakti scheduler`` (started by ``bakti run``; one per site in production, though more are
harmless) wakes every minute and puts each job that is due on the queue, where ``bakti worker``
runs it. The jobs themselves are safe to run twice; the lock on ``ScheduledJob`` only keeps the
queue from filling with copies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledJob


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every: dt.timedelta


def periodic_jobs() -> list[Periodic]:
    jobs = []
    for config in apps.get_app_configs():
        for entry in getattr(config, "schedule", ()):
            jobs.append(Periodic(entry["name"], entry["task"], entry["every"]))
    return jobs


def enqueue_due(now: dt.datetime | None = None, jobs: list[Periodic] | None = None) -> list[str]:
    """Enqueue every job whose interval has passed since it was last enqueued; return names."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs() if jobs is None else jobs:
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=job.name)
            row = ScheduledJob.objects.select_for_update().get(name=job.name)
            if row.last_enqueued_at is not None and now - row.last_enqueued_at < job.every:
                continue
            row.last_enqueued_at = now
            row.save(update_fields=["last_enqueued_at"])
            task = import_string(job.task)
            transaction.on_commit(task.enqueue)
            enqueued.append(job.name)
    return enqueued
