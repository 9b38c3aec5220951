"""``bakti bench``: run the benchmark suite on a fresh database of its own.

The run happens in a child process (:mod:`bakti.bench.runner`) whose ``BAKTI_VAR_DIR`` (SQLite,
under ``var/bench/`` by default) or ``BAKTI_DATABASE_URL`` (``--database``) points at the bench
database, so the database Bakti normally uses is never touched.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.bench.runner import PARTS, ROOT


class Command(BaseCommand):
    help = (
        "Measure Bakti against the physical limit and the usual alternatives on a synthetic "
        "registry: bakti bench [--people N] [--database URL] [--seed S] "
        "[--only import,scoring,dedup,pages,reports]. Prints a table and writes JSON under "
        "bench/results/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--database",
            help="An empty PostgreSQL database URL to use (default: a new SQLite file under "
            "var/bench/). Two more databases named <name>_raw and <name>_die are created "
            "beside it for the baselines.",
        )
        parser.add_argument("--only", default=",".join(PARTS))
        parser.add_argument("--workdir", help="Directory for the database, files and logs.")
        parser.add_argument("--results-dir", default=str(ROOT / "bench" / "results"))
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--die-rows", type=int, default=50_000)
        parser.add_argument("--region", default="34.04")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Measure scoring, dedup, pages and reports again on the registry an earlier run "
            "left in --workdir (migrated to this commit first), without generating it again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["people"] < 50:
            raise CommandError("--people must be at least 50.")
        if options["requests"] < 1:
            raise CommandError("--requests must be at least 1.")
        label = "postgresql" if options["database"] else "sqlite"
        workdir = Path(
            options["workdir"] or Path(settings.VAR_DIR) / "bench" / f"{label}-{options['people']}"
        ).resolve()
        if options["reuse"]:
            if not (workdir / "partial.json").exists():
                raise CommandError(f"--reuse: no earlier run in {workdir}.")
        else:
            if workdir.exists():
                shutil.rmtree(workdir)
            (workdir / "db").mkdir(parents=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bakti.settings",
            "PYTHONPATH": str(ROOT),
            "BAKTI_VAR_DIR": str(workdir / "db"),
            # Loopback only: plain HTTP, no redirect to HTTPS.
            "BAKTI_INSECURE_HTTP": "1",
            "BAKTI_STATIC_ROOT": os.environ.get(
                "BAKTI_STATIC_ROOT", str(Path(settings.VAR_DIR) / "bench" / "static")
            ),
        }
        env.pop("BAKTI_DATABASE_URL", None)
        if options["database"]:
            env["BAKTI_DATABASE_URL"] = options["database"]
        command = [sys.executable, "-m", "bakti.bench.runner", "--workdir", str(workdir)]
        for name in ("people", "seed", "database", "only", "results_dir", "requests"):
            if options[name] is not None:
                command += [f"--{name.replace('_', '-')}", str(options[name])]
        command += ["--die-rows", str(options["die_rows"]), "--region", options["region"]]
        if options["reuse"]:
            command.append("--reuse")
        done = subprocess.run(command, env=env, cwd=ROOT)
        if done.returncode:
            raise CommandError(f"The benchmark failed (exit status {done.returncode}).")
