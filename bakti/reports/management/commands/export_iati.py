from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.reports.iati import iati_activities


class Command(BaseCommand):
    help = (
        "Write the IATI 2.03 iati-activities XML of one program or all programs: "
        "bakti export_iati [--program CODE] -o FILE.xml"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--program", help="Only the program with this code.")
        parser.add_argument("-o", "--output", required=True, help="The XML file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        Program = apps.get_model("programs", "Program")
        programs = Program.objects.order_by("code")
        if options["program"]:
            programs = programs.filter(code=options["program"])
            if not programs.exists():
                raise CommandError(f"There is no program with the code {options['program']!r}.")
        content = iati_activities(list(programs))
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{options['output']}: {programs.count()} activities.")
