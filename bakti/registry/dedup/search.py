"""Finding duplicate candidates over the whole registry without comparing every pair.

Each person is filed under a few blocking keys (see :func:`matching.blocking_keys`). The keys go
into a temporary table in the database, chunk by chunk, so memory stays flat however large the
registry is; the database then returns, sorted, only the keys shared by two or more people, and
the records in each such block are compared with each other. A block that is too large (a very
common name in a large kabupaten) is split by kecamatan before comparing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from django.db import connection
from django.db.models import Q
from rapidfuzz import fuzz, process

from bakti.registry.models import Person

from .matching import (
    THRESHOLD,
    Match,
    PersonRecord,
    blocking_keys,
    compare,
    name_floor,
    normalise_name,
)

MAX_BLOCK = 400
INSERT_BATCH = 5000
TABLE = "bakti_dedup_keys"


def _people(kabupaten: Sequence[str] | None) -> Iterator[PersonRecord]:
    queryset = Person.objects.all()
    if kabupaten is not None:
        q = Q(pk__in=[])
        for code in kabupaten:
            q |= Q(region__pk__startswith=code + ".")
        queryset = queryset.filter(q)
    rows = queryset.values_list(
        "id", "full_name", "birth_date", "region_id", "sex", "nik", "household_id"
    ).order_by()
    for pk, name, birth, region, sex, nik, household in rows.iterator(chunk_size=INSERT_BATCH):
        yield PersonRecord(
            id=pk,
            full_name=name,
            birth_date=birth,
            region_id=region,
            sex=sex,
            nik=nik,
            household_id=household,
            norm_name=normalise_name(name),
        )


def _fill_keys(cursor, kabupaten: Sequence[str] | None) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TABLE} (k VARCHAR(80), pid BIGINT, name VARCHAR(200),"
        " birth VARCHAR(10), region VARCHAR(20), sex VARCHAR(1), nik VARCHAR(16), hh BIGINT)"
    )
    batch: list[tuple] = []
    sql = f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    for person in _people(kabupaten):
        birth = person.birth_date.isoformat() if person.birth_date else None
        for key in blocking_keys(person):
            batch.append(
                (
                    key,
                    person.id,
                    person.norm_name,
                    birth,
                    person.region_id,
                    person.sex,
                    person.nik,
                    person.household_id,
                )
            )
        if len(batch) >= INSERT_BATCH:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)
    cursor.execute(f"CREATE INDEX {TABLE}_k ON {TABLE} (k)")


def _blocks(cursor) -> Iterator[list[PersonRecord]]:
    cursor.execute(
        f"SELECT k, pid, name, birth, region, sex, nik, hh FROM {TABLE} WHERE k IN"  # noqa: S608
        f" (SELECT k FROM {TABLE} GROUP BY k HAVING COUNT(*) > 1) ORDER BY k, pid"
    )
    current = None
    block: list[PersonRecord] = []
    while rows := cursor.fetchmany(INSERT_BATCH):
        for key, pid, name, birth, region, sex, nik, hh in rows:
            if key != current and block:
                yield block
                block = []
            current = key
            block.append(
                PersonRecord(
                    id=pid,
                    full_name=name,
                    birth_date=dt.date.fromisoformat(birth) if birth else None,
                    region_id=region,
                    sex=sex or "",
                    nik=nik,
                    household_id=hh,
                    norm_name=name,
                )
            )
    if block:
        yield block


def _split(block: list[PersonRecord]) -> Iterator[list[PersonRecord]]:
    if len(block) <= MAX_BLOCK:
        yield block
        return
    by_kecamatan: dict[str, list[PersonRecord]] = {}
    for person in block:
        by_kecamatan.setdefault(person.region_id[:8], []).append(person)
    for part in by_kecamatan.values():
        if 1 < len(part) <= MAX_BLOCK:
            yield part


def _close_names(
    part: list[PersonRecord], floor: float
) -> Iterator[tuple[PersonRecord, PersonRecord]]:
    """Pairs of the block whose names are similar enough to matter, found with rapidfuzz's
    C loops (each of the measures :func:`matching.name_similarity` takes the best of), so the
    slower full comparison runs only on those."""
    names = [p.norm_name for p in part]
    flat = [n.replace(" ", "") for n in names]
    measures = (
        (fuzz.token_sort_ratio, names, floor),
        (fuzz.ratio, flat, floor),
        (fuzz.token_set_ratio, names, floor / 0.9),
    )
    for i in range(len(part) - 1):
        close: set[int] = set()
        for scorer, texts, cutoff in measures:
            for _text, _score, j in process.extract(
                texts[i], texts[i + 1 :], scorer=scorer, score_cutoff=cutoff, limit=None
            ):
                close.add(i + 1 + j)
        for j in sorted(close):
            yield part[i], part[j]


def find_pairs(
    *, kabupaten: Sequence[str] | None = None, threshold: float = THRESHOLD
) -> dict[tuple[int, int], Match]:
    """Pairs (lower id first) that score at least ``threshold``, with their match."""
    found: dict[tuple[int, int], Match] = {}
    with connection.cursor() as cursor:
        try:
            _fill_keys(cursor, kabupaten)
            floor = name_floor(threshold) * 100
            for block in _blocks(cursor):
                for part in _split(block):
                    for a, b in _close_names(part, floor):
                        pair = (a.id, b.id) if a.id < b.id else (b.id, a.id)
                        if pair in found:
                            continue
                        match = compare(a, b)
                        if match.score >= threshold:
                            found[pair] = match
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    return found
