"""Scoring figures: a scheme run through the registry's scoring service versus polars.

The polars baseline reads the same rows (households and their members) from the database into
data frames (not timed), then computes, timed: the member variables (counts of living members,
under 6, under 18, 60 and over, with a disability; the head's sex and education), the scheme's
points or PMT formula, and the decile ranking with the same tie rule as
:func:`bakti.registry.scoring.assign_deciles`. The two results are compared household by
household.

``seconds`` is that computation alone (the issue's baseline). Bakti's figure includes reading
the rows and writing the scores, so the baseline is also given end to end
(``end_to_end_seconds``): the same read, the computation, and the same output written (one row
per household with its score and decile, into the same table with the same indexes, by
``COPY`` on PostgreSQL and one ``executemany`` on SQLite, under a scratch run that is deleted
afterwards).
"""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone


def bakti_scoring(scheme: Any) -> tuple[dict[str, Any], Any]:
    from bakti.registry.models import JobStatus
    from bakti.registry.scoring import scoring_run_start

    start = time.perf_counter()
    run = scoring_run_start(actor=None, scheme=scheme, run_now=True)
    seconds = time.perf_counter() - start
    if run.status != JobStatus.DONE:
        raise RuntimeError(f"scoring run failed: {run.message}")
    return {"seconds": round(seconds, 3), "households": run.total}, run


def _frame(sql: str, params: list[Any], columns: list[str]) -> Any:
    import polars as pl

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)


def _band_expr(spec: dict[str, Any]) -> Any:
    import polars as pl

    column = pl.col(spec["variable"])
    expr = None
    for band in spec["bands"]:
        if "value" in band:
            value = band["value"]
            matched = (
                column == value if isinstance(value, bool) else column.cast(pl.Utf8) == str(value)
            )
        else:
            matched = pl.lit(True)
            if "min" in band:
                matched = matched & (column.cast(pl.Float64) >= float(band["min"]))
            if "max" in band:
                matched = matched & (column.cast(pl.Float64) < float(band["max"]))
        points = pl.lit(float(band["points"]))
        expr = pl.when(matched).then(points) if expr is None else expr.when(matched).then(points)
    if expr is None:
        return pl.lit(0.0)
    return expr.otherwise(0.0).fill_null(0.0)


def _pmt_expr(spec: dict[str, Any]) -> Any:
    import polars as pl

    column = pl.col(spec["variable"])
    if "weights" in spec:
        mapping = {str(k): float(v) for k, v in spec["weights"].items()}
        return column.cast(pl.Utf8).replace_strict(mapping, default=0.0, return_dtype=pl.Float64)
    return (column.cast(pl.Float64) * float(spec["weight"])).fill_null(0.0)


def polars_scoring(scheme: Any, run: Any, today: dt.date | None = None) -> dict[str, Any]:
    try:
        import polars as pl
    except ImportError:
        return {"seconds": None, "reason": "polars is not installed (pip install -e .[bench])"}
    from bakti.registry.models import Formula, Household, HouseholdScore, Person
    from bakti.registry.scoring import HOUSEHOLD_COLUMNS, households_of
    from bakti.registry.services import birth_date_cutoff

    today = today or timezone.localdate()
    read_start = time.perf_counter()
    hh_table = Household._meta.db_table
    person_table = Person._meta.db_table
    prefix = f"{scheme.scope_region_id}." if scheme.scope_region_id else ""
    columns = ["id", "region_id", "status", "head_id", *HOUSEHOLD_COLUMNS]
    households = _frame(
        f"SELECT {', '.join(columns)} FROM {hh_table} WHERE region_id LIKE %s",
        [prefix + "%"],
        columns,
    )
    people_columns = ["id", "household_id", "birth_date", "deceased", "has_disability"]
    people_columns += ["sex", "education"]
    people = _frame(
        f"SELECT {', '.join(people_columns)} FROM {person_table} "
        "WHERE household_id IS NOT NULL AND region_id LIKE %s",
        [prefix + "%"],
        people_columns,
    )
    people = people.with_columns(
        pl.col("birth_date").cast(pl.Utf8).str.to_date(strict=False),
        pl.col("deceased").cast(pl.Boolean),
        pl.col("has_disability").cast(pl.Boolean),
    )
    households = households.with_columns(
        *(pl.col(c).cast(pl.Boolean) for c in ("has_motorcycle", "has_car", "has_refrigerator"))
    )
    # The same households as the service: its own selection (active, in the scheme's region, less
    # those that objected to automated scoring under UU PDP), read with the data.
    covered = pl.Series("id", list(households_of(scheme).values_list("pk", flat=True)))
    households = households.filter(pl.col("id").is_in(covered.implode()))
    read_seconds = time.perf_counter() - read_start

    start = time.perf_counter()
    cut6, cut18, cut60 = (birth_date_cutoff(y, today) for y in (6, 18, 60))
    alive = people.filter(~pl.col("deceased"))
    members = alive.group_by("household_id").agg(
        pl.len().alias("member_count"),
        (pl.col("birth_date") > cut6).sum().alias("children_under_6"),
        (pl.col("birth_date") > cut18).sum().alias("children_under_18"),
        (pl.col("birth_date") <= cut60).sum().alias("elderly_60"),
        pl.col("has_disability").sum().alias("disabled_count"),
    )
    heads = people.select(
        pl.col("id").alias("head_id"),
        (pl.col("sex") == "F").alias("head_female"),
        pl.col("education").alias("head_education"),
    )
    frame = (
        households.filter(pl.col("status") == "active")
        .join(members, left_on="id", right_on="household_id", how="left")
        .join(heads, on="head_id", how="left")
        .with_columns(
            *(
                pl.col(c).fill_null(0)
                for c in (
                    "member_count",
                    "children_under_6",
                    "children_under_18",
                    "elderly_60",
                    "disabled_count",
                )
            )
        )
        .with_columns(
            pl.when((pl.col("floor_area_m2") > 0) & (pl.col("member_count") > 0))
            .then((pl.col("floor_area_m2") / pl.col("member_count")).round(2))
            .otherwise(None)
            .alias("floor_area_per_person")
        )
    )
    if scheme.formula == Formula.POINTS:
        parts = [_band_expr(spec) for spec in scheme.variables]
        score = pl.sum_horizontal(parts) if parts else pl.lit(0.0)
    else:
        parts = [_pmt_expr(spec) for spec in scheme.variables]
        score = pl.lit(float(scheme.intercept)) + (pl.sum_horizontal(parts) if parts else 0.0)
    n = frame.height
    scored = frame.select(pl.col("id"), score.alias("score")).with_columns(
        ((pl.col("score").rank(method="min", descending=scheme.higher_is_poorer) - 1) * 10 // n + 1)
        .cast(pl.Int64)
        .alias("decile")
    )
    seconds = time.perf_counter() - start
    write_seconds = _write(scheme, frame.select("id", "region_id"), scored)

    # Same figures as the service? (not timed)
    stored = dict(
        (hh, (score, decile))
        for hh, score, decile in HouseholdScore.objects.filter(run=run).values_list(
            "household_id", "score", "decile"
        )
    )
    same_score = same_decile = 0
    for hh, score_value, decile in scored.iter_rows():
        mine = stored.get(hh)
        if mine is None:
            continue
        if Decimal(str(round(score_value, 4))) == Decimal(mine[0]).quantize(Decimal("0.0001")):
            same_score += 1
        if decile == mine[1]:
            same_decile += 1
    return {
        "seconds": round(seconds, 4),
        "read_seconds": round(read_seconds, 4),
        "write_seconds": round(write_seconds, 4),
        "end_to_end_seconds": round(read_seconds + seconds + write_seconds, 4),
        "households": n,
        "same_score_share": round(same_score / n, 4) if n else None,
        "same_decile_share": round(same_decile / n, 4) if n else None,
    }


def _write(scheme: Any, regions: Any, scored: Any) -> float:
    """Write polars' scores and deciles as the service stores them, the fastest way each
    database takes rows from a client (``COPY`` on PostgreSQL, ``executemany`` on SQLite); the
    time it took."""
    from bakti.registry.importing.inserting import copy_rows
    from bakti.registry.models import HouseholdScore, JobStatus, ScoringRun

    run = ScoringRun.objects.create(scheme=scheme, status=JobStatus.DONE)
    rows = scored.join(regions, on="id", how="left").select("id", "score", "decile", "region_id")
    copying = connection.vendor == "postgresql"
    stamp = timezone.now() if copying else connection.ops.adapt_datetimefield_value(timezone.now())
    table = HouseholdScore._meta.db_table
    columns = "run_id, scheme_id, household_id, region_id, score, decile, computed_at"
    values = [
        (run.pk, scheme.pk, hh, region, str(round(score, 4)), decile, stamp)
        for hh, score, decile, region in rows.iter_rows()
    ]
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if copying:
            copy_rows(cursor, f"{table} ({columns})", values)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", values
            )
    seconds = time.perf_counter() - start
    run.delete()
    return seconds
