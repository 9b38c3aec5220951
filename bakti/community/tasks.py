"""Background jobs for complaints: the escalation of tickets past their SLA (safe to run twice)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from . import services


@task()
def escalate_overdue_tickets(today: str | None = None) -> int:
    day = dt.date.fromisoformat(today) if today else None
    return len(services.tickets_escalate_overdue(today=day))
