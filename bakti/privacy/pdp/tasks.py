from django_tasks import task

from . import services


@task()
def send_deadline_alerts() -> int:
    """Hourly: alerts for requests due within 24 hours or overdue, and late breach notices."""
    return services.deadline_alerts_send()


@task()
def apply_retention() -> int:
    """Daily: anonymise people past the retention period (safe to run twice)."""
    return services.retention_apply(actor=None).pk
