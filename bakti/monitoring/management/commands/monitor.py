from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.monitoring import services, tasks


class Command(BaseCommand):
    help = (
        "Compute the computed indicators and assess the health of running programs, alerting "
        "their managers (for a nightly schedule): bakti monitor [--program CODE] [--queue]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", help="Only the program with this code.")
        parser.add_argument(
            "--queue", action="store_true", help="Put the work on the job queue instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        Program = apps.get_model("programs", "Program")
        programs = Program.objects.filter(status__in=["approved", "active"]).order_by("code")
        if options["program"]:
            programs = Program.objects.filter(code=options["program"])
            if not programs.exists():
                raise CommandError(f"There is no program with the code {options['program']!r}.")
        for program in programs:
            if options["queue"]:
                tasks.compute_program.enqueue(program.pk)
                self.stdout.write(f"{program.code}: queued")
                continue
            count = services.program_compute_all(actor=None, program=program)
            check = services.program_health_assess(actor=None, program=program)
            self.stdout.write(f"{program.code}: {count} computed values, health {check.status}")
