import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from bakti.core import stale_jobs


class Command(BaseCommand):
    help = "Run background jobs (imports, scoring, reports, reminders) from the database queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", action="store_true", help="Stop when the queue is empty.")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--recover-every",
            type=float,
            default=60.0,
            help="Seconds between checks for jobs left running by a worker that died.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A job left RUNNING by a dead worker of this machine goes back in the queue, at start
        # and then regularly (bakti.core.stale_jobs).
        worker_id, lock = stale_jobs.register_worker()
        stale_jobs.requeue_orphaned_tasks()
        stop = threading.Event()

        def recover() -> None:
            while not stop.wait(options["recover_every"]):
                try:
                    stale_jobs.requeue_orphaned_tasks()
                finally:
                    connection.close()

        threading.Thread(target=recover, name="bakti-recover", daemon=True).start()
        extra = ["--batch"] if options["batch"] else []
        try:
            call_command(
                "db_worker",
                "--interval",
                str(options["interval"]),
                "--worker-id",
                worker_id,
                *extra,
            )
        finally:
            stop.set()
            lock.close()
            stale_jobs.forget_worker(worker_id)
