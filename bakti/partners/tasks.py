"""Background jobs for partners: the daily agreement reminders (safe to run twice)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def send_agreement_reminders(today: str | None = None) -> int:
    """Remind owners 90/30/7 days before their agreements end; mark ended ones expired."""
    day = dt.date.fromisoformat(today) if today else None
    services.agreements_mark_expired(today=day)
    return len(services.agreements_send_reminders(today=day))
