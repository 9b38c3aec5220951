from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bakti.reports.rollups import reach_rebuild


class Command(BaseCommand):
    help = (
        "Reports maintenance: bakti reports rebuild-rollups builds the pre-aggregated "
        "'people reached' rows again from all service deliveries (after a bulk load that "
        "bypassed the delivery services; safe to run at any time)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild-rollups"])

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        rows = reach_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"people reached: {rows} rollup rows rebuilt in {seconds:.1f} s.")
