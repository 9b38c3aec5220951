"""The whole benchmark suite at a tiny size, on a temporary SQLite file: every figure is there
and the counts agree. No timing assertions."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
PAGES = (
    "portfolio",
    "program",
    "registry_nik",
    "registry_name",
    "registry_region",
    "tracking",
    "budget_vs_actual",
)
KEYS = (
    "people",
    "database",
    "import.rows_per_s",
    "import.raw_rows_per_s",
    "import.die_rows_per_s",
    "import.peak_rss_mb",
    "scoring.seconds",
    "scoring.polars_seconds",
    "dedup.seconds",
    "dedup.f1",
    "dedup.splink_seconds",
    "dedup.splink_f1",
    "dedup.bakti.cpu_seconds",
    "dedup.splink.cpu_seconds",
    "reports.pdf_seconds",
    "reports.xlsx_seconds",
    *(f"pages.{page}.{key}" for page in PAGES for key in ("p95_ms", "queries", "floor_ms")),
)


def _get(data: dict, dotted: str):
    for part in dotted.split("."):
        assert isinstance(data, dict) and part in data, f"{dotted} is missing from the results"
        data = data[part]
    return data


def _bench(*args: str) -> subprocess.CompletedProcess:
    """``manage.py bench`` with ``args`` in a child process; it must succeed."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    done = _bench(
        "--people",
        "300",
        "--requests",
        "3",
        "--workdir",
        str(work / "run"),
        "--results-dir",
        str(work / "results"),
    )
    files = list((work / "results").glob("*-sqlite-*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text())
    data["_stdout"] = done.stdout
    data["_work"] = work
    return data


def test_every_figure_is_in_the_json(results):
    for key in KEYS:
        value = _get(results, key)
        assert value is not None, f"{key} is null: {results}"
    assert results["database"] == "sqlite"
    assert results["machine"]["cpu_count"] >= 1
    assert results["versions"]["Django"]


def test_counts_agree(results):
    generated = results["generated"]
    assert results["people"] == generated["rows"] >= 300
    imported = results["import"]
    assert imported["bakti"]["people_created"] == generated["rows"]
    assert imported["raw"]["rows"] == generated["rows"]
    assert imported["die"]["rows"] == generated["rows"]
    assert imported["die"]["imported"] == generated["rows"]
    assert results["fixtures"]["deliveries"] > 0
    assert results["fixtures"]["enrolments"] == generated["households"]


def test_scoring_baseline_computes_the_same_scores_and_deciles(results):
    polars = results["scoring"]["polars"]
    assert polars["households"] == results["scoring"]["households"]
    # End to end, the baseline also reads the rows and writes the same output.
    assert polars["end_to_end_seconds"] >= polars["seconds"]
    assert polars["same_score_share"] == 1.0
    assert polars["same_decile_share"] == 1.0


def test_dedup_quality_is_measured_against_the_planted_truth(results):
    dedup = results["dedup"]
    assert dedup["truth_rows_not_found"] == 0
    assert dedup["bakti"]["true_pairs"] >= results["generated"]["duplicates"] > 0
    for side in ("bakti", "splink"):
        figures = dedup[side]
        assert 0 <= figures["f1"] <= 1
        assert figures["true_positives"] <= figures["pairs_found"]
        if figures["precision"] + figures["recall"]:
            f1 = (
                2
                * figures["precision"]
                * figures["recall"]
                / (figures["precision"] + figures["recall"])
            )
            assert abs(f1 - figures["f1"]) < 0.01


def test_pages_and_reports_answer(results):
    for page in PAGES:
        figures = results["pages"][page]
        assert figures["status"] == 200
        assert figures["queries"] > 0
        assert figures["p50_ms"] <= figures["p95_ms"]
    reports = results["reports"]
    # Downloaded from a server started for them, and made in the bench process without it.
    assert reports["pdf_bytes"] > 1000 and reports["xlsx_bytes"] > 1000
    assert reports["pdf_seconds"] > 0 and reports["pdf_again_seconds"] > 0
    assert reports["in_process"]["pdf_bytes"] > 1000
    assert reports["pdf_cold_seconds"] == reports["in_process"]["pdf_seconds"]


def test_the_terminal_shows_the_table(results):
    assert "| measure | Bakti | baseline | ratio | goal | met |" in results["_stdout"]
    assert "| import, rows/s |" in results["_stdout"]


def test_a_second_run_measures_again_on_the_same_registry(results):
    """``--reuse`` migrates the earlier run's database and measures dedup, pages and reports
    again, without generating or importing (how a change is measured at 1,000,000 people)."""
    work = results["_work"]
    _bench(
        "--reuse",
        "--only",
        "dedup,pages,reports",
        "--requests",
        "2",
        "--workdir",
        str(work / "run"),
        "--results-dir",
        str(work / "again"),
    )
    (path,) = (work / "again").glob("*-sqlite-*.json")
    again = json.loads(path.read_text())
    assert again["people"] == results["people"]
    assert again["reused"]["fixtures"]["deliveries"] == results["fixtures"]["deliveries"]
    assert "import" not in again and "scoring" not in again
    # The same people and the same planted truth: the same pairs found.
    assert again["dedup"]["f1"] == results["dedup"]["f1"]
    # The planner's statistics brought up to date, as this commit's import would have.
    assert again["statistics_seconds"] >= 0
    for page in PAGES:
        assert again["pages"][page]["status"] == 200
        # The same registry: the same number of queries per page.
        assert again["pages"][page]["queries"] == results["pages"][page]["queries"]
    assert again["reports"]["pdf_bytes"] > 1000
