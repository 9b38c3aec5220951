"""Finding duplicate candidates over the whole registry without comparing every pair.

Each person is filed under a few blocking keys (see :func:`matching.blocking_keys`). The keys go
into a temporary table in the database, chunk by chunk, so memory stays flat however large the
registry is; the database then returns, sorted, only the keys shared by two or more people, and
the records in each such block are compared with each other. A block that is too large (a very
common name in a large kabupaten) is split by kecamatan before comparing.

The hot loop works on plain tuples: names are normalised once per distinct name (a registry
repeats names), the names of a whole block are compared at once in rapidfuzz's C loops
(``process.cdist``), and a :class:`PersonRecord` is built only for the pairs whose names are
close enough to be scored. A pair met again under another key is not scored again.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Sequence

import numpy as np
from django.db import connection
from django.db.models import Q
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from bakti.registry.importing.inserting import copy_rows
from bakti.registry.models import DuplicateCandidate, DuplicateStatus, Person

from .matching import (
    DATE_WEIGHT,
    DIFFERENT,
    NAME_WEIGHT,
    NIK_BONUS,
    REGION_WEIGHT,
    SUBSET,
    THRESHOLD,
    Match,
    PersonRecord,
    blocking_keys_of,
    compare,
    date_similarity,
    known_distinct,
    name_floor,
    name_parts,
    region_similarity,
)

MAX_BLOCK = 400
INSERT_BATCH = 5000
TABLE = "bakti_dedup_keys"
# Blocks of at least this many distinct names are compared on both processor cores.
PARALLEL_BLOCK = 50
# Blocks with at least this many pairs of close names have their best possible scores computed
# as arrays; fewer pairs, one by one.
MANY_PAIRS = 40

# (id, normalised name, ISO birth date or None, desa code, sex, NIK, household id)
Row = tuple[int, str, "str | None", str, str, "str | None", "int | None"]


def _people(kabupaten: Sequence[str] | None) -> Iterator[tuple[tuple[str, str, str, str], Row]]:
    """The name's parts (see :func:`matching.name_parts`) and the row of every person."""
    queryset = Person.objects.all()
    if kabupaten is not None:
        q = Q(pk__in=[])
        for code in kabupaten:
            q |= Q(region__pk__startswith=code + ".")
        queryset = queryset.filter(q)
    rows = queryset.values_list(
        "id", "full_name", "birth_date", "region_id", "sex", "nik", "household_id"
    ).order_by()
    # The query's SQL on a plain cursor: no per-row converters (the date stays text on SQLite).
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(INSERT_BATCH):
            for pk, name, birth, region, sex, nik, household in chunk:
                if birth is not None and not isinstance(birth, str):
                    birth = birth.isoformat()
                parts = name_parts(name)
                yield parts, (pk, parts[0], birth, region, sex or "", nik, household)


@functools.lru_cache(maxsize=65536)
def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _fill_keys(cursor, kabupaten: Sequence[str] | None, *, by_sex: bool = True) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {TABLE} (k VARCHAR(80), pid BIGINT, name VARCHAR(200),"
        " birth VARCHAR(10), region VARCHAR(20), sex VARCHAR(1), nik VARCHAR(16), hh BIGINT)"
    )
    write = _key_writer(cursor)
    batch: list[tuple] = []
    for parts, row in _people(kabupaten):
        _pk, _name, birth, region, sex, nik, _hh = row
        for key in blocking_keys_of(
            parts, _date(birth), region[:5], nik, (sex or "") if by_sex else None
        ):
            batch.append((key, *row))
        if len(batch) >= INSERT_BATCH:
            write(batch)
            batch = []
    if batch:
        write(batch)
    cursor.execute(f"CREATE INDEX {TABLE}_k ON {TABLE} (k)")


def _key_writer(cursor) -> Callable[[list[tuple]], None]:
    """How rows go into the keys table: ``COPY`` on PostgreSQL (``executemany`` sends each row
    as a statement of its own there, several million of them at a million people), a prepared
    ``INSERT`` run many times on SQLite."""
    if connection.vendor == "postgresql":
        return lambda rows: copy_rows(cursor, TABLE, rows)
    sql = f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    return lambda rows: cursor.executemany(sql, rows)


def _blocks(cursor) -> Iterator[list[Row]]:
    cursor.execute(
        f"SELECT k, pid, name, birth, region, sex, nik, hh FROM {TABLE} WHERE k IN"  # noqa: S608
        f" (SELECT k FROM {TABLE} GROUP BY k HAVING COUNT(*) > 1) ORDER BY k, pid"
    )
    current = None
    block: list[Row] = []
    while rows := cursor.fetchmany(INSERT_BATCH):
        for key, *row in rows:
            if key != current and block:
                yield block
                block = []
            current = key
            block.append(tuple(row))  # type: ignore[arg-type]
    if block:
        yield block


def _split(block: list[Row]) -> Iterator[list[Row]]:
    if len(block) <= MAX_BLOCK:
        yield block
        return
    by_kecamatan: dict[str, list[Row]] = {}
    for row in block:
        by_kecamatan.setdefault(row[3][:8], []).append(row)
    for part in by_kecamatan.values():
        if 1 < len(part) <= MAX_BLOCK:
            yield part


def close_pairs(names: list[str], floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs ``i < j`` of ``names`` similar enough to matter (as arrays of ``i``, of
    ``j`` and of the best of the measures :func:`matching.name_similarity` takes the best of,
    0-1, an upper bound of the name similarity): any of them reaches ``floor`` (0-100)."""
    if len(names) == 2:  # most blocks: three calls cost less than three matrices
        a, b = names
        pair = max(
            fuzz.token_sort_ratio(a, b),
            fuzz.ratio(a.replace(" ", ""), b.replace(" ", "")),
            SUBSET * fuzz.token_set_ratio(a, b),
        )
        if pair >= floor:
            return np.array([0]), np.array([1]), np.array([pair / 100])
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([])
    # Each distinct name once: a block of one sorted name holds the same name many times.
    distinct = list(dict.fromkeys(names))
    workers = 2 if len(distinct) >= PARALLEL_BLOCK else 1
    flat = [n.replace(" ", "") for n in distinct]
    best = None
    for scorer, texts, weight in (
        (fuzz.token_sort_ratio, distinct, 1.0),
        (fuzz.ratio, flat, 1.0),
        (fuzz.token_set_ratio, distinct, SUBSET),
    ):
        # Scores as float64, the type of the pair-by-pair scorers (a float32 rounding of a score
        # equal to the floor could tip it over); those below the cutoff come back as 0.
        scores = process.cdist(
            texts,
            texts,
            scorer=scorer,
            score_cutoff=floor / weight,
            workers=workers,
            dtype=np.float64,
        )
        if weight != 1.0:
            scores *= weight
        best = scores if best is None else np.maximum(best, scores)
    if len(distinct) < len(names):
        at = {name: k for k, name in enumerate(distinct)}
        index = np.array([at[name] for name in names])
        best = best[np.ix_(index, index)]
    rows, cols = np.nonzero(best >= floor)
    upper = rows < cols
    rows, cols = rows[upper], cols[upper]
    return rows, cols, best[rows, cols] / 100


@functools.lru_cache(maxsize=65536)
def _date_numbers(text: str | None) -> tuple[int, int, int, int]:
    """Day number, year, month and day of an ISO date (zeros when missing)."""
    if not text:
        return 0, 0, 0, 0
    day = dt.date.fromisoformat(text)
    return day.toordinal(), day.year, day.month, day.day


def _best_possible(part: list[Row], rows: np.ndarray, cols: np.ndarray, name: np.ndarray):
    """The most :func:`matching.compare` can give each pair (``rows[k]``, ``cols[k]``) of the
    block whose names are at most ``name[k]`` alike, for all pairs at once: most pairs of a
    large block fall short on the birth date or the region and need no full comparison (the
    full one only lowers the name and multiplies by penalties). The birth-date levels are
    those of :func:`matching.date_similarity`, the region levels those of
    :func:`matching.region_similarity`."""
    dates = np.array([_date_numbers(row[2]) for row in part], dtype=np.int64)
    regions = np.array([row[3] for row in part])
    nik = np.array([bool(row[5]) for row in part])
    (oa, ya, ma, da), (ob, yb, mb, db) = dates[rows].T, dates[cols].T
    date = np.select(
        [
            (oa == 0) | (ob == 0),
            oa == ob,
            (ya == yb) & (ma == db) & (da == mb),
            ((ma == mb) & (da == db) & (np.abs(ya - yb) == 1)) | ((ya == yb) & (ma == mb)),
            ya == yb,
            np.abs(oa - ob) <= 400,
        ],
        [0.3, 1.0, 0.9, 0.6, 0.35, 0.2],
        0.0,
    )
    ra, rb = regions[rows], regions[cols]
    kecamatan = np.array([r[:8] for r in regions])
    kabupaten = np.array([r[:5] for r in regions])
    region = np.select(
        [ra == rb, kecamatan[rows] == kecamatan[cols], kabupaten[rows] == kabupaten[cols]],
        [1.0, 0.7, 0.4],
        0.0,
    )
    bonus = np.where(nik[rows] & nik[cols], NIK_BONUS, 0.0)
    sex = np.array([row[4] for row in part])
    other_sex = (sex[rows] != sex[cols]) & (sex[rows] != "") & (sex[cols] != "")
    score = NAME_WEIGHT * name + DATE_WEIGHT * date + REGION_WEIGHT * region + bonus
    return np.where(other_sex, score * DIFFERENT, score)


def _pair_best_possible(name: float, a: Row, b: Row) -> float:
    """:func:`_best_possible` for one pair (cheaper than arrays for a few pairs)."""
    date = 1.0 if a[2] == b[2] and a[2] else date_similarity(_date(a[2]), _date(b[2]))[0]
    region = region_similarity(a[3], b[3])[0]
    score = NAME_WEIGHT * name + DATE_WEIGHT * date + REGION_WEIGHT * region
    if a[5] and b[5]:
        # NIKs more than two digits apart are never one NIK mistyped: "different NIKs".
        if Levenshtein.distance(a[5], b[5], score_cutoff=3) > 2:
            score *= DIFFERENT
        else:
            score += NIK_BONUS
    if a[4] and b[4] and a[4] != b[4]:
        score *= DIFFERENT
    return score


def _record(row: Row) -> PersonRecord:
    pk, name, birth, region, sex, nik, household = row
    return PersonRecord(
        id=pk,
        full_name=name,
        birth_date=_date(birth),
        region_id=region,
        sex=sex,
        nik=nik,
        household_id=household,
        norm_name=name,
    )


def find_pairs(
    *, kabupaten: Sequence[str] | None = None, threshold: float = THRESHOLD
) -> dict[tuple[int, int], Match]:
    """Pairs (lower id first) that score at least ``threshold``, with their match."""
    found: dict[tuple[int, int], Match] = {}
    seen: set[tuple[int, int]] = set()
    matched: dict[int, PersonRecord] = {}
    with connection.cursor() as cursor:
        try:
            # Different sex caps a score at DIFFERENT: above it, only one sex need meet.
            _fill_keys(cursor, kabupaten, by_sex=threshold > DIFFERENT)
            floor = name_floor(threshold) * 100
            for block in _blocks(cursor):
                for part in _split(block):
                    records: dict[int, PersonRecord] = {}
                    rows, cols, names = close_pairs([row[1] for row in part], floor)
                    if not len(rows):
                        continue
                    # compare rounds its score to 4 places: keep what could round up to it.
                    least = threshold - 0.0001
                    if len(rows) >= MANY_PAIRS:
                        keep = _best_possible(part, rows, cols, names) >= least
                        rows, cols, names = rows[keep], cols[keep], names[keep]
                    for i, j, name in zip(
                        rows.tolist(), cols.tolist(), names.tolist(), strict=True
                    ):
                        a, b = part[i], part[j]
                        pair = (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])
                        if pair in seen or _pair_best_possible(name, a, b) < least:
                            continue
                        seen.add(pair)
                        ra = records.get(i) or records.setdefault(i, _record(a))
                        rb = records.get(j) or records.setdefault(j, _record(b))
                        match = compare(ra, rb)
                        if match.score >= threshold:
                            found[pair] = match
                            matched[ra.id], matched[rb.id] = ra, rb
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
    # A pair a reviewer has already marked as two people does not hide another match.
    distinct = _decided_distinct(found)
    undecided = {pair: match for pair, match in found.items() if pair not in distinct}
    for pair in _weaker_of_two_people(undecided, matched):
        del found[pair]
    return found


def _decided_distinct(found: dict[tuple[int, int], Match]) -> set[tuple[int, int]]:
    firsts = sorted({a for a, _b in found})
    decided: set[tuple[int, int]] = set()
    for start in range(0, len(firsts), 500):
        decided.update(
            DuplicateCandidate.objects.filter(
                status=DuplicateStatus.DISTINCT, person_a_id__in=firsts[start : start + 500]
            ).values_list("person_a_id", "person_b_id")
        )
    return decided & found.keys()


def _weaker_of_two_people(
    found: dict[tuple[int, int], Match], records: dict[int, PersonRecord]
) -> set[tuple[int, int]]:
    """Pairs to drop: a record that matches two people whom their NIKs show to be two people
    (Siti Rahayu registered without a NIK, and two Siti Rahayus born the same day, each with
    their own NIK) is at most one of them: its better match is kept, the weaker dropped. In a
    large kabupaten a record without a NIK meets many people of the same name and birth date."""
    partners: dict[int, list[tuple[float, int]]] = {}
    for (a, b), match in found.items():
        partners.setdefault(a, []).append((match.score, b))
        partners.setdefault(b, []).append((match.score, a))
    drop: set[tuple[int, int]] = set()
    for person, scored in partners.items():
        if len(scored) < 2:
            continue
        kept: list[PersonRecord] = []
        for _score, other in sorted(scored, key=lambda s: (-s[0], s[1])):
            record = records[other]
            if any(known_distinct(record, k) for k in kept):
                drop.add((person, other) if person < other else (other, person))
            else:
                kept.append(record)
    return drop
