import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.regions.loading import default_regions_file, load_population, load_regions


class Command(BaseCommand):
    help = "Load regions from a code,name CSV (dots separate levels), or their population."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="Create or update regions from a code,name CSV.")
        load.add_argument("file", nargs="?", help="CSV file; the built-in list when omitted.")
        population = sub.add_parser("population", help="Load code,name,male,female,total.")
        population.add_argument("file")
        population.add_argument("--year", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["action"] == "load":
            source = options["file"] or default_regions_file()
            result = load_regions(source)
        else:
            result = load_population(options["file"], year=options["year"])
        for error in result.errors[:50]:
            self.stderr.write(str(error))
        if len(result.errors) > 50:
            self.stderr.write(f"… {len(result.errors) - 50} more")
        self.stdout.write(
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}, "
            f"rejected {len(result.errors)} in {time.perf_counter() - started:.1f} s"
        )
        if result.errors:
            raise CommandError(f"{len(result.errors)} rows were rejected")
