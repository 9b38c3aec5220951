from typing import Any

from django.core.management.base import BaseCommand

from bakti.partners.tasks import send_agreement_reminders


class Command(BaseCommand):
    help = "Queue the daily agreement renewal reminders (run once a day from cron or a timer)."

    def handle(self, *args: Any, **options: Any) -> None:
        send_agreement_reminders.enqueue()
        self.stdout.write("Agreement reminders queued.")
