"""Deduplication figures: Bakti's candidate search and splink, against the planted truth.

Both look at every person of the registry. Precision, recall and F1 count only pairs of people
the generator wrote (the demo data set has duplicates of its own); a true pair is any two rows
of the same person (two later registrations of one person are a true pair too).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import Any

from django.db import connection

from bakti.registry.models import Person


def truth_pairs(truth: list[dict[str, str]]) -> tuple[set[tuple[int, int]], int]:
    """The planted pairs as person ids (via KK, name and birth date); and how many truth rows
    could not be found (should be 0)."""
    wanted: set[tuple[str, str, str]] = set()
    for row in truth:
        wanted.add((row["kk_a"], row["name_a"], row["birth_a"]))
        wanted.add((row["kk_b"], row["name_b"], row["birth_b"]))
    kks = sorted({k for k, _n, _b in wanted})
    ids: dict[tuple[str, str, str], int] = {}
    for start in range(0, len(kks), 500):
        for kk, name, birth, pk in Person.objects.filter(
            household__no_kk__in=kks[start : start + 500]
        ).values_list("household__no_kk", "full_name", "birth_date", "pk"):
            ids[(kk, name, birth.isoformat() if birth else "")] = pk
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    missing = 0
    for row in truth:
        a = ids.get((row["kk_a"], row["name_a"], row["birth_a"]))
        b = ids.get((row["kk_b"], row["name_b"], row["birth_b"]))
        if a is None or b is None:
            missing += 1
            continue
        parent[find(a)] = find(b)
    clusters: dict[int, list[int]] = {}
    for x in list(parent):
        clusters.setdefault(find(x), []).append(x)
    pairs = set()
    for members in clusters.values():
        for a, b in itertools.combinations(sorted(members), 2):
            pairs.add((a, b))
    return pairs, missing


def quality(found: Iterable[tuple[int, int]], truth: set[tuple[int, int]], first: int) -> dict:
    """Precision, recall, F1 over pairs of generated people (ids above ``first``)."""
    predicted = {(min(a, b), max(a, b)) for a, b in found if a > first and b > first}
    hits = len(predicted & truth)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_found": len(predicted),
        "true_pairs": len(truth),
        "true_positives": hits,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def bakti_dedup(truth: set[tuple[int, int]], first: int) -> dict[str, Any]:
    from bakti.registry.dedup.matching import THRESHOLD
    from bakti.registry.dedup.search import find_pairs

    start, cpu = time.perf_counter(), time.process_time()
    pairs = find_pairs(kabupaten=None, threshold=THRESHOLD)
    seconds = time.perf_counter() - start
    return {
        "seconds": round(seconds, 3),
        # Processor time of the process (all its threads): steadier than wall time on a
        # loaded machine.
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "threshold": THRESHOLD,
        **quality(pairs, truth, first),
    }


SPLINK_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99)


def _people_table() -> Any:
    import pyarrow as pa

    from bakti.registry.dedup.matching import normalise_name

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, full_name, birth_date, region_id, sex, nik FROM {Person._meta.db_table}"
        )
        rows = cursor.fetchall()
    columns: dict[str, list[Any]] = {
        k: []
        for k in (
            "unique_id",
            "full_name",
            "name_sorted",
            "birth_date",
            "birth_year",
            "dm_low",
            "dm_high",
            "desa",
            "kab",
            "sex",
            "nik",
        )
    }
    for pk, name, birth, region, sex, nik in rows:
        birth = str(birth) if birth else None
        tokens = normalise_name(name).split()
        columns["unique_id"].append(pk)
        columns["full_name"].append(" ".join(tokens))
        columns["name_sorted"].append(" ".join(sorted(tokens)))
        columns["birth_date"].append(birth)
        year, month, day = birth.split("-") if birth else (None, None, None)
        columns["birth_year"].append(year)
        low, high = sorted((month, day)) if birth else (None, None)
        columns["dm_low"].append(low)
        columns["dm_high"].append(high)
        columns["desa"].append(region)
        columns["kab"].append(region[:5])
        columns["sex"].append(sex or None)
        columns["nik"].append(nik or None)
    return pa.table(columns)


def splink_dedup(truth: set[tuple[int, int]], first: int, seed: int = 1) -> dict[str, Any]:
    """splink 4/5 on DuckDB: blocking on kabupaten with birth date, with the birth date in
    either day/month order, and with the sorted name; comparisons of the name (Jaro-Winkler),
    the birth date (Levenshtein on the ISO text), desa, sex and NIK; u by random sampling, m by
    expectation maximisation, pairs with match probability >= 0.5."""
    try:
        import splink.comparison_library as cl
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return {"seconds": None, "f1": None, "reason": "splink is not installed (.[bench])"}
    table = _people_table()
    rows = table.num_rows
    start, cpu = time.perf_counter(), time.process_time()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("kab", "birth_date"),
            block_on("kab", "birth_year", "dm_low", "dm_high"),
            block_on("kab", "name_sorted"),
        ],
        comparisons=[
            cl.JaroWinklerAtThresholds("name_sorted", [0.95, 0.9, 0.8]),
            cl.LevenshteinAtThresholds("birth_date", [1, 2]),
            cl.ExactMatch("desa"),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("nik", [2]),
        ],
        retain_matching_columns=False,
    )
    frame = db_api.register(table)
    linker = Linker(frame, settings, log_level="ERROR")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name_sorted", "birth_date", "kab")], recall=0.5
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(2e6, max(1e5, rows * 5)), seed=seed
    )
    # m by EM: on blocks of the same sorted name (trains birth date, desa, sex, NIK) and of
    # the same birth date in either day/month order (trains the name).
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("kab", "name_sorted")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("kab", "birth_year", "dm_low", "dm_high")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    found = (
        predictions.as_duckdbpyrelation()
        .select("unique_id_l, unique_id_r, match_probability")
        .fetchall()
    )
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    # The best F1 over a few probability thresholds: the baseline at its best, not a strawman.
    by_threshold = {
        str(t): quality([(a, b) for a, b, p in found if p >= t], truth, first)
        for t in SPLINK_THRESHOLDS
    }
    best = max(by_threshold, key=lambda t: by_threshold[t]["f1"])
    return {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "threshold": float(best),
        **by_threshold[best],
        "by_threshold": by_threshold,
    }
