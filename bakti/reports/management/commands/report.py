from __future__ import annotations

from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bakti.reports import documents
from bakti.reports.data import parse_quarter


class Command(BaseCommand):
    help = (
        "Write a report for scheduled jobs: bakti report program CODE --format pdf|xlsx -o FILE, "
        "or bakti report portfolio --format pdf|xlsx -o FILE [--quarter 2026-Q3]."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["program", "portfolio"])
        parser.add_argument("code", nargs="?", help="The program code (for a program report).")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")
        parser.add_argument("--quarter", help="The quarter, e.g. 2026-Q3 (default: this one).")

    def handle(self, *args: Any, **options: Any) -> None:
        period = parse_quarter(options["quarter"], timezone.localdate())
        if options["quarter"] and period.label.replace(" ", "-") != options["quarter"].upper():
            raise CommandError(f"Not a quarter: {options['quarter']!r} (write it as 2026-Q3).")
        Program = apps.get_model("programs", "Program")
        if options["kind"] == "program":
            if not options["code"]:
                raise CommandError("Give the program code: bakti report program CODE ...")
            program = Program.objects.filter(code=options["code"]).first()
            if program is None:
                raise CommandError(f"There is no program with the code {options['code']!r}.")
            report = documents.program_report(program, period)
            if options["format"] == "pdf":
                content = documents.render_pdf(
                    "reports/program_report_pdf.html", {"report": report}
                )
            else:
                content = documents.program_report_xlsx(report)
        else:
            programs = list(Program.objects.select_related("manager").order_by("code"))
            report = documents.portfolio_report(programs, period)
            if options["format"] == "pdf":
                content = documents.render_pdf("reports/portfolio_pdf.html", {"report": report})
            else:
                content = documents.portfolio_report_xlsx(report)
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"{options['output']}: {len(content)} bytes ({period.label}).")
