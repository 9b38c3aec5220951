import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bakti.core.static_files import collect_if_changed


class Command(BaseCommand):
    help = "Serve Bakti in production with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("BAKTI_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", default=os.environ.get("BAKTI_WEB_WORKERS", "3"))
        parser.add_argument("--threads", default=os.environ.get("BAKTI_WEB_THREADS", "4"))
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Start at once: the static files were collected beforehand (compressing them "
            "all again takes minutes on a small server).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_collectstatic"]:
            collect_if_changed()
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "bakti.wsgi",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replace this process with gunicorn
