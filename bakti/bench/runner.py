"""The benchmark run, in a process of its own whose settings point at the bench database.

``bakti bench`` (:mod:`bakti.bench.management.commands.bench`) starts this module with
``BAKTI_VAR_DIR`` (SQLite) or ``BAKTI_DATABASE_URL`` (PostgreSQL) set to the bench database, so
nothing here touches the database Bakti normally runs on. Steps: migrate, load the regions, keep
empty copies of the schema for the baselines, load the demo data set (users, programs,
indicators, budgets, a scoring scheme), generate the registry, import it, write the fixture data,
then measure import, scoring, dedup, pages and reports, print a table and write the JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PARTS = ("import", "scoring", "dedup", "pages", "reports")
# The parts that read the fixture data (programs, enrolments, deliveries) written after import.
FIXTURE_PARTS = ("scoring", "pages", "reports")
REUSABLE = (*FIXTURE_PARTS, "dedup")
SHARED_REGIONS = ROOT.parent / "shared" / "data" / "regions" / "wilayah-kemendagri-2025.csv"

# Goals of issue 9 (at 1,000,000 people; shown beside every run's figures).
GOAL_IMPORT_RAW_RATIO = 0.40
GOAL_IMPORT_DIE_RATIO = 30
GOAL_IMPORT_RSS_MB = 500
GOAL_SCORING_RATIO = 1.5
GOAL_DEDUP_F1 = 0.95
GOAL_PAGE_P95_MS = 150
GOAL_REPORT_SECONDS = 3


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bakti bench")
    p.add_argument("--people", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--database", help="PostgreSQL URL (default: a SQLite file under var/bench/)")
    p.add_argument("--only", default=",".join(PARTS), help="Comma-separated: " + ",".join(PARTS))
    p.add_argument("--workdir", help="Where the database, files and logs go.")
    p.add_argument("--results-dir", default=str(ROOT / "bench" / "results"))
    p.add_argument("--requests", type=int, default=50, help="Requests per page (at least 50).")
    p.add_argument("--die-rows", type=int, default=50_000)
    p.add_argument("--region", default="34.04", help="Kabupaten/kota the registry is in.")
    p.add_argument(
        "--reuse",
        action="store_true",
        help="Measure again on the registry an earlier run left in --workdir (migrated first; "
        "for " + ",".join(REUSABLE) + " only): a code change is measured at 1,000,000 people "
        "without generating and importing them again.",
    )
    return p


class Run:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.only = {p.strip() for p in options.only.split(",") if p.strip()}
        unknown = self.only - set(PARTS)
        if unknown:
            raise SystemExit(f"Unknown part(s) for --only: {', '.join(sorted(unknown))}")
        self.workdir = Path(options.workdir)
        self.reuse = bool(getattr(options, "reuse", False))
        if self.reuse and not self.only <= set(REUSABLE):
            raise SystemExit(f"--reuse measures only {', '.join(REUSABLE)}.")
        self.started = time.perf_counter()
        self.result: dict[str, Any] = {}

    def say(self, text: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[{elapsed:7.1f} s] {text}", flush=True)

    # --- databases ------------------------------------------------------------------------

    def env_for(self, copy: str | None = None) -> dict[str, str]:
        env = dict(os.environ)
        if copy is None:
            return env
        if self.options.database:
            env["BAKTI_DATABASE_URL"] = self._pg_url(copy)
        else:
            env["BAKTI_VAR_DIR"] = str(self.workdir / copy)
        return env

    def _pg_url(self, copy: str) -> str:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.options.database)
        name = parts.path.lstrip("/") + "_" + copy
        return urlunsplit(parts._replace(path="/" + name))

    def copy_empty_schema(self, copy: str) -> dict[str, Any]:
        """An empty copy of the migrated schema (with the regions) for a baseline."""
        from django.db import connection

        if connection.vendor == "sqlite":
            import sqlite3

            target = self.workdir / copy
            target.mkdir(parents=True, exist_ok=True)
            path = target / "bakti.sqlite3"
            path.unlink(missing_ok=True)
            source = sqlite3.connect(connection.settings_dict["NAME"])
            dest = sqlite3.connect(path)
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=WAL")
            dest.close()
            source.close()
            key = Path(connection.settings_dict["NAME"]).with_name("secret_key")
            if key.exists():
                (target / "secret_key").write_text(key.read_text())
            return {**connection.settings_dict, "NAME": str(path)}
        import psycopg

        name = connection.settings_dict["NAME"]
        connection.close()
        settings = connection.settings_dict
        admin = psycopg.connect(
            dbname="postgres",
            user=settings.get("USER") or None,
            password=settings.get("PASSWORD") or None,
            host=settings.get("HOST") or None,
            port=settings.get("PORT") or None,
            autocommit=True,
        )
        with admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_{copy}"')
            admin.execute(f'CREATE DATABASE "{name}_{copy}" TEMPLATE "{name}"')
        return {**settings, "NAME": f"{name}_{copy}"}

    # --- steps ----------------------------------------------------------------------------

    def prepare(self) -> None:
        from django.core.management import call_command

        self.say("migrate, collectstatic")
        call_command("migrate", verbosity=0, interactive=False)
        from django.conf import settings

        if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
            # Served as in production: hashed, compressed files (kept between runs).
            call_command("collectstatic", verbosity=0, interactive=False)
        self.say("regions")
        if SHARED_REGIONS.exists():
            call_command("regions", "load", str(SHARED_REGIONS), verbosity=0)
        else:
            call_command("regions", "load", verbosity=0)
        self.raw_db = self.copy_empty_schema("raw")
        self.die_db = self.copy_empty_schema("die") if "import" in self.only else None
        self.say("demo data set (users, programs, indicators, budgets, scoring scheme)")
        call_command("demo", verbosity=0, stdout=io.StringIO())

    def generate(self) -> None:
        from bakti.regions.models import Region

        from .generate import write_registry

        desa = list(
            Region.objects.filter(level=4, code__startswith=self.options.region + ".")
            .order_by("code")
            .values_list("code", flat=True)
        )
        if not desa:
            raise SystemExit(f"No desa under {self.options.region} were loaded.")
        self.csv_path = self.workdir / "registry.csv"
        self.truth_path = self.workdir / "truth.csv"
        self.say(f"generate {self.options.people} people in {len(desa)} desa")
        summary = write_registry(
            self.csv_path,
            self.truth_path,
            people=self.options.people,
            desa=desa,
            seed=self.options.seed,
        )
        self.generated = summary
        self.result["generated"] = {
            "rows": summary.rows,
            "households": summary.households,
            "duplicates": summary.duplicates,
            "duplicate_kinds": summary.kinds,
            "desa": summary.desa,
            "region": self.options.region,
            "file_mb": round(self.csv_path.stat().st_size / 1e6, 2),
        }

    def import_registry(self) -> None:
        from django.db import connection
        from django.db.models import Max

        from bakti.registry.models import Household, Person

        from . import importing

        self.first_household = Household.objects.aggregate(m=Max("pk"))["m"] or 0
        self.first_person = Person.objects.aggregate(m=Max("pk"))["m"] or 0
        rows = self.generated.rows
        connection.close()
        self.say(f"import: Bakti's importer, {rows} rows")
        bakti = importing.bakti_import(
            self.csv_path, self.env_for(), rows, self.workdir / "import.log"
        )
        created = Person.objects.filter(pk__gt=self.first_person).count()
        bakti["people_created"] = created
        figures: dict[str, Any] = {
            "rows_per_s": bakti["rows_per_s"],
            "peak_rss_mb": bakti["peak_rss_mb"],
            "seconds": bakti["seconds"],
            "bakti": bakti,
        }
        if created != rows:
            raise RuntimeError(f"The import created {created} people of {rows} rows.")
        if "import" in self.only:
            self.say("import: raw inserts into an empty copy of the schema")
            raw = importing.raw_insert(self.csv_path, self.raw_db, rows)
            figures["raw"] = raw
            figures["raw_rows_per_s"] = raw["rows_per_s"]
            figures["ratio_to_raw"] = round(bakti["rows_per_s"] / raw["rows_per_s"], 4)
            figures["die_rows_per_s"] = None
            try:
                import import_export  # noqa: F401
            except ImportError:
                figures["die"] = {"reason": "django-import-export is not installed (.[bench])"}
            else:
                limit = min(self.options.die_rows, rows)
                self.say(f"import: django-import-export, {limit} rows")
                die = importing.die_import(
                    self.csv_path, self.env_for("die"), limit, self.workdir / "die.log"
                )
                figures["die"] = die
                figures["die_rows_per_s"] = die["rows_per_s"]
                figures["ratio_to_die"] = round(bakti["rows_per_s"] / die["rows_per_s"], 2)
        self.result["import"] = figures

    def fixtures(self) -> None:
        from .generate import load_fixtures

        self.say("fixture data: housing, PPKS, enrolments, service deliveries")
        start = time.perf_counter()
        counts = load_fixtures(
            after_household=self.first_household,
            after_person=self.first_person,
            seed=self.options.seed,
        )
        counts["seconds"] = round(time.perf_counter() - start, 2)
        self.result["fixtures"] = counts
        self.refresh_statistics()

    def refresh_statistics(self) -> None:
        """The fixtures went straight into the tables, so the planner's statistics are brought
        up to date as the nightly job would (timed apart; not part of any figure)."""
        from bakti.core.statistics import refresh_statistics

        start = time.perf_counter()
        refresh_statistics()
        self.result["statistics_seconds"] = round(time.perf_counter() - start, 2)

    def scoring(self) -> None:
        from bakti.registry.models import ScoringScheme

        from . import scoring

        scheme = ScoringScheme.objects.order_by("pk").first()
        if scheme is None:
            raise RuntimeError("The demo data set has no scoring scheme.")
        self.say(f"scoring: {scheme.name} through the scoring service")
        bakti, run = scoring.bakti_scoring(scheme)
        self.say("scoring: polars")
        polars = scoring.polars_scoring(scheme, run)
        figures = {
            "scheme": scheme.name,
            "households": bakti["households"],
            "seconds": bakti["seconds"],
            "polars_seconds": polars.get("seconds"),
            "polars": polars,
        }
        if polars.get("seconds"):
            figures["ratio_to_polars"] = round(bakti["seconds"] / polars["seconds"], 2)
        if polars.get("end_to_end_seconds"):
            figures["polars_end_to_end_seconds"] = polars["end_to_end_seconds"]
            figures["ratio_to_polars_end_to_end"] = round(
                bakti["seconds"] / polars["end_to_end_seconds"], 2
            )
        self.result["scoring"] = figures

    def dedup(self) -> None:
        from .dedup import bakti_dedup, splink_dedup, truth_pairs
        from .generate import read_truth

        truth, missing = truth_pairs(read_truth(self.truth_path))
        self.say(f"dedup: Bakti's candidate search ({len(truth)} true pairs)")
        bakti = bakti_dedup(truth, self.first_person)
        self.say("dedup: splink (DuckDB)")
        try:
            splink = splink_dedup(truth, self.first_person, seed=self.options.seed)
        except Exception as error:  # recorded, not hidden: the figure is null with the reason
            splink = {"seconds": None, "f1": None, "reason": f"{type(error).__name__}: {error}"}
        self.result["dedup"] = {
            "seconds": bakti["seconds"],
            "f1": bakti["f1"],
            "precision": bakti["precision"],
            "recall": bakti["recall"],
            "splink_seconds": splink.get("seconds"),
            "splink_f1": splink.get("f1"),
            "truth_rows_not_found": missing,
            "bakti": bakti,
            "splink": splink,
        }

    def pages(self) -> None:
        from django.db.models import Count

        from bakti.accounts.models import User
        from bakti.programs.models import Program
        from bakti.registry.models import Person

        from .pages import measure_pages, pages_for

        user = User.objects.get(username="manajer")
        program = Program.objects.annotate(n=Count("enrolments")).order_by("-n", "pk").first()
        sample = (
            Person.objects.filter(pk__gt=self.first_person, nik__isnull=False)
            .order_by("pk")
            .values_list("nik", "full_name", "region_id")[self.generated.rows // 2]
        )
        nik, name, desa = sample
        name = " ".join(name.split()[:1] + name.split()[-1:])
        year = dt.date.today().year
        pages = pages_for(program, nik, name, desa, year)
        self.say(f"pages: {len(pages)} pages, {self.options.requests} requests each")
        self.result["pages"] = measure_pages(
            pages,
            user,
            self.env_for(),
            self.workdir / "gunicorn.log",
            requests=self.options.requests,
            say=self.say,
        )

    def reports(self) -> None:
        from django.db.models import Count

        from bakti.accounts.models import User
        from bakti.programs.models import Program

        from .pages import Server, logged_in
        from .reports import measure_downloads, measure_reports

        program = Program.objects.annotate(n=Count("enrolments")).order_by("-n", "pk").first()
        self.say(f"reports: program report {program.code}, PDF and XLSX")
        in_process = measure_reports(program)
        _client, cookie = logged_in(User.objects.get(username="manajer"))
        server = Server(self.env_for(), self.workdir / "gunicorn-reports.log", workers=1)
        try:
            server.wait_until_serving()
            downloads = measure_downloads(server, cookie, program)
        finally:
            server.stop()
        self.result["reports"] = {
            "program": program.code,
            **downloads,
            "pdf_cold_seconds": in_process["pdf_seconds"],
            "in_process": in_process,
        }

    # --- output ---------------------------------------------------------------------------

    def goals(self) -> dict[str, Any]:
        r = self.result
        imp, sc, dd = r.get("import", {}), r.get("scoring", {}), r.get("dedup", {})

        def check(value: Any, ok: Any) -> dict[str, Any]:
            return {"value": value, "met": None if value is None else bool(ok(value))}

        goals: dict[str, Any] = {}
        if "ratio_to_raw" in imp:
            goals["import_vs_raw"] = check(imp["ratio_to_raw"], lambda v: v >= 0.40)
        if imp.get("ratio_to_die") is not None:
            goals["import_vs_die"] = check(imp["ratio_to_die"], lambda v: v >= 30)
        if "peak_rss_mb" in imp:
            goals["import_peak_rss"] = check(imp["peak_rss_mb"], lambda v: v <= 500)
        if sc.get("ratio_to_polars") is not None:
            goals["scoring_vs_polars"] = check(sc["ratio_to_polars"], lambda v: v <= 1.5)
        if "f1" in dd:
            goals["dedup_f1"] = check(dd["f1"], lambda v: v >= 0.95)
        if dd.get("splink_seconds") is not None:
            goals["dedup_vs_splink"] = check(
                round(dd["seconds"] / dd["splink_seconds"], 2), lambda v: v <= 1.0
            )
        for name, page in r.get("pages", {}).items():
            goals[f"page_{name}_p95"] = check(page.get("p95_ms"), lambda v: v <= 150)
        rep = r.get("reports", {})
        for key in ("pdf_seconds", "xlsx_seconds"):
            if key in rep:
                goals[f"report_{key}"] = check(rep[key], lambda v: v <= 3)
        return goals

    def finish(self) -> Path:
        from .machine import commit, database_info, load_average, versions

        db = database_info()
        self.result = {
            "people": self.generated.rows,
            "people_requested": self.options.people,
            "database": db["vendor"],
            "database_version": db["version"],
            "seed": self.options.seed,
            "commit": commit(),
            "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "machine": {**self.machine, "load_average_end": load_average()},
            "versions": versions(),
            "parts": sorted(self.only),
            **self.result,
            "total_seconds": round(time.perf_counter() - self.started, 1),
        }
        self.result["goals"] = self.goals()
        out_dir = Path(self.options.results_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        # Date and time (UTC) in the name: two runs of a day never overwrite each other.
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H%M")
        name = f"{stamp}-{db['vendor']}-{self.generated.rows}.json"
        path = out_dir / name
        path.write_text(json.dumps(self.result, indent=2, default=str) + "\n")
        print(table(self.result))
        print(f"Results: {path}")
        return path

    def prepare_reuse(self) -> None:
        """Take up the registry of an earlier run in the same workdir: its database (migrated
        to this commit, which also builds any new rollup from its deliveries), files and the
        summary of what it generated, imported and loaded."""
        from types import SimpleNamespace

        from django.core.management import call_command
        from django.db.models import Max

        from bakti.registry.models import Household, Person

        earlier = json.loads((self.workdir / "partial.json").read_text())
        self.say("reuse: migrate the earlier run's database (rollups rebuilt if new)")
        call_command("migrate", verbosity=0, interactive=False)
        # As the import and the nightly job of this commit would have left them.
        self.refresh_statistics()
        from django.conf import settings

        if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
            call_command("collectstatic", verbosity=0, interactive=False)
        rows = earlier["generated"]["rows"]
        self.generated = SimpleNamespace(rows=rows)
        self.csv_path = self.workdir / "registry.csv"
        self.truth_path = self.workdir / "truth.csv"
        # The import wrote the generated people and households last, with consecutive ids.
        self.first_person = Person.objects.aggregate(m=Max("pk"))["m"] - rows
        households = earlier["generated"]["households"]
        self.first_household = Household.objects.aggregate(m=Max("pk"))["m"] - households
        self.result["generated"] = earlier["generated"]
        self.result["reused"] = {
            "workdir": str(self.workdir),
            "fixtures": earlier.get("fixtures"),
            "import_commit": earlier.get("commit"),
        }
        if not earlier.get("fixtures") and self.only & set(FIXTURE_PARTS):
            # An import/dedup-only run skipped the fixture data the pages and reports read.
            self.fixtures()

    def run(self) -> Path:
        from .machine import machine

        self.machine = machine()
        from .machine import commit

        if self.reuse:
            self.prepare_reuse()
            for step in ("scoring", "dedup", "pages", "reports"):
                if step in self.only:
                    getattr(self, step)()
            return self.finish()
        self.prepare()
        self.generate()
        for step in ("import_registry", "fixtures", "scoring", "dedup", "pages", "reports"):
            # Fixture data only for the parts that read it (an import/dedup run skips it).
            needed = step == "fixtures" and bool(self.only & set(FIXTURE_PARTS))
            if step == "import_registry" or needed or step in self.only:
                getattr(self, step)()
                # What is measured so far, in case a long run is stopped.
                partial = self.workdir / "partial.json"
                marked = {"commit": commit(), **self.result}
                partial.write_text(json.dumps(marked, indent=2, default=str) + "\n")
        return self.finish()


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        text = f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    else:
        text = f"{value:,}" if isinstance(value, int) else str(value)
    return text + unit


def table(result: dict[str, Any]) -> str:
    """The figures beside their baselines and goals, as a Markdown table."""
    lines = [
        f"Bakti benchmark: {result['people']:,} people on {result['database']} "
        f"{result['database_version']}, {result['machine']['cpu_count']} CPU, "
        f"load {result['machine'].get('load_average_start')}",
        "",
        "| measure | Bakti | baseline | ratio | goal | met |",
        "|---|---|---|---|---|---|",
    ]
    goals = result.get("goals", {})

    def met(key: str) -> str:
        goal = goals.get(key)
        if not goal or goal["met"] is None:
            return "n/a"
        return "yes" if goal["met"] else "no"

    imp = result.get("import")
    if imp:
        lines.append(
            f"| import, rows/s | {_fmt(imp['rows_per_s'])} | raw "
            f"{_fmt(imp.get('raw_rows_per_s'))} | {_fmt(imp.get('ratio_to_raw'))} "
            f"| ≥ {GOAL_IMPORT_RAW_RATIO} × raw | {met('import_vs_raw')} |"
        )
        lines.append(
            f"| import, rows/s | {_fmt(imp['rows_per_s'])} | django-import-export "
            f"{_fmt(imp.get('die_rows_per_s'))} | {_fmt(imp.get('ratio_to_die'))} "
            f"| ≥ {GOAL_IMPORT_DIE_RATIO} × d-i-e | {met('import_vs_die')} |"
        )
        lines.append(
            f"| import, peak memory | {_fmt(imp['peak_rss_mb'], ' MB')} | | | "
            f"≤ {GOAL_IMPORT_RSS_MB} MB | {met('import_peak_rss')} |"
        )
    sc = result.get("scoring")
    if sc:
        lines.append(
            f"| scoring + deciles, {sc['households']:,} households | {_fmt(sc['seconds'], ' s')} "
            f"| polars {_fmt(sc.get('polars_seconds'), ' s')} | {_fmt(sc.get('ratio_to_polars'))} "
            f"| ≤ {GOAL_SCORING_RATIO} × polars | {met('scoring_vs_polars')} |"
        )
    dd = result.get("dedup")
    if dd:
        ratio = goals.get("dedup_vs_splink", {}).get("value")
        lines.append(
            f"| dedup, time | {_fmt(dd['seconds'], ' s')} | splink "
            f"{_fmt(dd.get('splink_seconds'), ' s')} | {_fmt(ratio)} | ≤ 1 × splink "
            f"| {met('dedup_vs_splink')} |"
        )
        lines.append(
            f"| dedup, F1 (P / R) | {_fmt(dd['f1'])} ({_fmt(dd['precision'])} / "
            f"{_fmt(dd['recall'])}) | splink {_fmt(dd.get('splink_f1'))} | | "
            f"≥ {GOAL_DEDUP_F1} | {met('dedup_f1')} |"
        )
    for name, page in result.get("pages", {}).items():
        lines.append(
            f"| page {name}: p50 / p95, queries | {_fmt(page.get('p50_ms'))} / "
            f"{_fmt(page.get('p95_ms'), ' ms')}, {page['queries']} q | floor "
            f"{_fmt(page.get('floor_ms'), ' ms')} | | p95 ≤ {GOAL_PAGE_P95_MS} ms "
            f"| {met(f'page_{name}_p95')} |"
        )
    rep = result.get("reports")
    if rep:
        for key, label, baseline in (
            (
                "pdf_seconds",
                "PDF",
                f"again {_fmt(rep.get('pdf_again_seconds'), ' s')}, "
                f"cold process {_fmt(rep.get('pdf_cold_seconds'), ' s')}",
            ),
            ("xlsx_seconds", "XLSX", ""),
        ):
            lines.append(
                f"| program report {label} | {_fmt(rep.get(key), ' s')} | {baseline} | | "
                f"≤ {GOAL_REPORT_SECONDS} s | {met(f'report_{key}')} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    options = parser().parse_args(argv)
    import django

    django.setup()
    path = Run(options).run()
    print(f"RESULT {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
