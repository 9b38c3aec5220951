import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from bakti.accounts.models import User
from bakti.core.static_files import collect_if_changed
from bakti.regions.models import Region


class Command(BaseCommand):
    help = "Prepare the database (migrate, regions, demo data) and serve Bakti on this machine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("BAKTI_PORT", "8000"))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")
        parser.add_argument("--prepare-only", action="store_true", help="Do not serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not Region.objects.exists():
            self.stdout.write("Loading regions…")
            call_command("regions", "load", verbosity=0)
        if not options["no_demo"] and not User.objects.exists():
            self.stdout.write("Loading demo data…")
            call_command("demo", verbosity=0)
        collect_if_changed()
        if options["prepare_only"]:
            return
        url = f"http://127.0.0.1:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"\nBakti is at {url}"))
        if User.objects.filter(username="kadis").exists():
            self.stdout.write(
                f"Demo accounts (password: {settings.BAKTI_DEMO_PASSWORD}): kadis, manajer, "
                "staf, petugas.a, petugas.b, keuangan, monev, mitra, auditor, admin\n"
            )
        worker = subprocess.Popen([sys.executable, "-m", "bakti.cli", "worker"])
        scheduler = subprocess.Popen([sys.executable, "-m", "bakti.cli", "scheduler"])
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "bakti.wsgi",
                    "--bind",
                    f"127.0.0.1:{options['port']}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--access-logfile",
                    "-",
                ],
                check=False,
            )
        except KeyboardInterrupt:
            pass
        finally:
            for process in (worker, scheduler):
                process.terminate()
                process.wait(timeout=10)
