from typing import Any

from django.core.management.base import BaseCommand

from bakti.community.tasks import escalate_overdue_tickets


class Command(BaseCommand):
    help = "Queue the escalation of complaints past their deadlines (run daily or hourly)."

    def handle(self, *args: Any, **options: Any) -> None:
        escalate_overdue_tickets.enqueue()
        self.stdout.write("Ticket escalation queued.")
