import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bakti.core.schedule import enqueue_due, periodic_jobs


class Command(BaseCommand):
    help = "Put periodic jobs (reminders, escalation, nightly computation) on the queue when due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and stop.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between checks.")

    def handle(self, *args: Any, **options: Any) -> None:
        names = ", ".join(job.name for job in periodic_jobs())
        self.stdout.write(f"Scheduler for: {names}")
        while True:
            for name in enqueue_due():
                self.stdout.write(f"enqueued {name}")
            if options["once"]:
                return
            time.sleep(options["interval"])
