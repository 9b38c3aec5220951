"""The import engine: stream rows, check them, write whole households in large set-based chunks.

Rows are read one by one and grouped into households by KK (an export, and DTKS extracts, keep a
household's rows together; a KK that comes back later in the file updates the household then).
Groups are collected into chunks of about ``chunk_rows`` rows. Each chunk is checked, looked up
with one ``IN`` query per kind (households by KK, people by NIK, members without NIK of the
households found), and written in one transaction with ``bulk_create`` / ``bulk_update``: a
chunk is all or nothing, so a crash never leaves half a household. One audit event records each
chunk. Rows that fail a check are never written; they go to the error report.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.core import statistics
from bakti.core.row_errors import RowError
from bakti.core.scoping import Scope
from bakti.privacy.audit import record_bulk
from bakti.privacy.models import AuditAction
from bakti.regions.models import Region
from bakti.registry.models import (
    Household,
    HouseholdMembership,
    MembershipEnd,
    MembershipStart,
    Person,
    Relationship,
)
from bakti.registry.services import reach_people_changed

from .checking import CleanRow, ColumnPlan, RowChecker, kk_or_none
from .inserting import build, insert_many, insert_rows, set_column
from .layouts import FIELDS

CHUNK_ROWS = 2000
LOOKUP_BATCH = 500  # parameters per IN query, well under every database's limit

HOUSEHOLD_FIELDS = [n for n, f in FIELDS.items() if f.level == "household" and n != "no_kk"]
PERSON_FIELDS = [n for n, f in FIELDS.items() if f.level == "person"]


@dataclass
class Counts:
    rows: int = 0
    created_households: int = 0
    updated_households: int = 0
    created_people: int = 0
    updated_people: int = 0
    rejected_rows: int = 0
    warning_rows: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ImportContext:
    checker: RowChecker
    actor: Any
    job_id: int | None = None
    today: dt.date = field(default_factory=lambda: timezone.localdate())
    # Desa codes written to, so duplicate search afterwards can look only there.
    regions: set[str] = field(default_factory=set)


def region_codes(level: int) -> frozenset[str]:
    """Every region code of a level, in one query (about 84,000 desa for all of Indonesia)."""
    return frozenset(Region.objects.filter(level=level).values_list("code", flat=True))


class RegionCodes:
    """The region codes of one level, for ``code in codes``. The codes of a kabupaten are
    loaded the first time a code of that kabupaten is asked about (one query), so an import no
    longer loads all 84,000 desa before its first row; a file that names more than
    :data:`KABUPATEN_QUERIES` kabupaten loads the whole level at once instead, as before."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.known: set[str] = set()
        self.loaded: set[str] = set()
        self.complete = False

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code in self.known:
            return True
        kabupaten = code[:5]  # "34.04"
        if self.complete or kabupaten in self.loaded:
            return False
        codes = Region.objects.filter(level=self.level)
        if len(self.loaded) < KABUPATEN_QUERIES:
            self.loaded.add(kabupaten)
            codes = codes.filter(code__startswith=kabupaten + ".")
        else:
            self.complete = True
        self.known.update(codes.values_list("code", flat=True))
        return code in self.known


KABUPATEN_QUERIES = 20


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def _in_batches(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), LOOKUP_BATCH):
        yield values[start : start + LOOKUP_BATCH]


def _existing(model: type[Any], column: str, values: list[str]) -> list[str]:
    """The ``values`` that ``column`` of ``model``'s table holds, with one plain ``IN`` query
    per :data:`LOOKUP_BATCH` values. The ORM prepares every value of an ``IN`` list on its own,
    which for a chunk of new rows cost more than the queries; the rows found are then loaded
    through the ORM."""
    found: list[str] = []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    name = quote(model._meta.get_field(column).column)
    with connection.cursor() as cursor:
        for batch in _in_batches(values):
            if connection.vendor == "postgresql":
                # One array parameter: psycopg would split a statement of thousands of
                # marks with a regular expression on every execution.
                where, params = f"{name} = ANY(%s)", [batch]
            else:
                where, params = f"{name} IN ({', '.join(['%s'] * len(batch))})", batch
            cursor.execute(f"SELECT {name} FROM {table} WHERE {where}", params)  # noqa: S608
            found.extend(value for (value,) in cursor.fetchall())
    return found


def group_households(
    rows: Iterable[tuple[int, list[Any]]], checker: RowChecker
) -> Iterator[list[tuple[int, list[Any]]]]:
    """Consecutive rows with the same KK cell, as lists."""
    group: list[tuple[int, list[Any]]] = []
    current: str | None = None
    for number, cells in rows:
        kk = checker.kk_of(cells)
        if group and kk != current:
            yield group
            group = []
        current = kk
        group.append((number, cells))
    if group:
        yield group


def chunks(
    groups: Iterable[list[tuple[int, list[Any]]]], chunk_rows: int
) -> Iterator[list[list[tuple[int, list[Any]]]]]:
    chunk: list[list[tuple[int, list[Any]]]] = []
    size = 0
    for group in groups:
        chunk.append(group)
        size += len(group)
        if size >= chunk_rows:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def import_chunk(
    groups: list[list[tuple[int, list[Any]]]],
    ctx: ImportContext,
    errors: list[RowError],
    warnings: list[RowError],
) -> Counts:
    """Check and write one chunk of whole households, atomically. Rejected rows are appended to
    ``errors``; rows saved with a warning to ``warnings``."""
    counts = Counts()
    checker = ctx.checker
    scope: Scope = checker.scope
    # 1. Check every row on its own.
    households: dict[str, list[CleanRow]] = {}
    check = checker.check
    for group in groups:
        counts.rows += len(group)
        for number, cells in group:
            row, row_errors = check(number, cells)
            if row is None:
                errors.extend(row_errors)
                counts.rejected_rows += 1
                continue
            households.setdefault(row.household["no_kk"], []).append(row)

    # 2. Look up what exists already: one query per kind.
    # Which KK and NIK exist is asked first with plain queries; only those found are loaded.
    existing_hh: dict[str, Household] = {}
    for batch in _in_batches(_existing(Household, "no_kk", list(households))):
        for hh in Household.objects.filter(no_kk__in=batch):
            existing_hh[hh.no_kk] = hh
    niks = [r.person["nik"] for rows in households.values() for r in rows if "nik" in r.person]
    by_nik: dict[str, Person] = {}
    for batch in _in_batches(_existing(Person, "nik", niks)):
        for person in Person.objects.filter(nik__in=batch):
            by_nik[person.nik] = person  # type: ignore[index]
    without_nik: dict[tuple[int, str, dt.date | None], Person] = {}
    hh_ids = [hh.pk for hh in existing_hh.values()]
    for batch in _in_batches(hh_ids):
        for person in Person.objects.filter(household_id__in=batch, nik__isnull=True):
            without_nik[(person.household_id, name_key(person.full_name), person.birth_date)] = (  # type: ignore[index]
                person
            )
    open_memberships: dict[int, HouseholdMembership] = {}
    known_ids = [p.pk for p in by_nik.values()] + [p.pk for p in without_nik.values()]
    for batch in _in_batches(known_ids):
        for membership in HouseholdMembership.objects.filter(
            person_id__in=batch, end_date__isnull=True
        ):
            open_memberships[membership.person_id] = membership

    # 3. Checks that need the database: scope of what exists, one region per household.
    def reject(row: CleanRow, column: str, value: str, reason: str) -> None:
        errors.append(
            RowError(
                row=row.number, column=checker.plan.header_of(column), value=value, reason=reason
            )
        )
        counts.rejected_rows += 1

    accepted: dict[str, list[CleanRow]] = {}
    for kk, rows in households.items():
        hh = existing_hh.get(kk)
        if hh is not None and not scope.contains_region(hh.region_id):
            for row in rows:
                reject(
                    row,
                    "no_kk",
                    kk,
                    _("This KK is registered in a region outside the ones you may import for."),
                )
            continue
        region = rows[0].household["region_id"]
        kept: list[CleanRow] = []
        for row in rows:
            if row.household["region_id"] != region:
                reject(
                    row,
                    "region_code",
                    row.household["region_id"],
                    _("Another row of this KK (row %(row)s) gives a different desa/kelurahan.")
                    % {"row": rows[0].number},
                )
                continue
            person = by_nik.get(row.person.get("nik", ""))
            if person is not None and not scope.contains_region(person.region_id):
                reject(
                    row,
                    "nik",
                    row.person["nik"],
                    _("A person with this NIK is registered in a region outside your scope."),
                )
                continue
            kept.append(row)
        if kept:
            accepted[kk] = kept

    # 4. Write the chunk: all or nothing.
    now = timezone.now()
    with transaction.atomic():
        new_households: list[Household] = []
        changed_households: dict[int, Household] = {}
        changed_hh_fields: set[str] = set()
        for kk, rows in accepted.items():
            values = rows[0].household
            ctx.regions.add(values["region_id"])
            hh = existing_hh.get(kk)
            if hh is None:
                hh = build(Household, {**values, "no_kk": kk})
                new_households.append(hh)
                existing_hh[kk] = hh
                continue
            changes = _changes(hh, {k: v for k, v in values.items() if k != "no_kk"})
            if changes:
                changed_households[hh.pk] = hh
                changed_hh_fields.update(changes)
        insert_many(Household, new_households)
        counts.created_households = len(new_households)
        new_hh_ids = {hh.pk for hh in new_households}

        # New people are plain rows (values by attname), written without making instances.
        new_people: list[dict[str, Any]] = []
        changed_people: dict[int, Person] = {}
        changed_person_fields: set[str] = set()
        moves: list[tuple[Person, CleanRow, Household]] = []
        relationship_changes: list[HouseholdMembership] = []
        # Per household (by id()), its head: an index into new_people, or a Person.
        heads: dict[int, int | Person] = {}
        head = Relationship.HEAD
        for kk, rows in accepted.items():
            hh = existing_hh[kk]
            hh_id = hh.pk
            known_household = hh_id not in new_hh_ids
            for row in rows:
                values = dict(row.person)
                person = None
                if "nik" in values:
                    person = by_nik.get(values["nik"])
                elif known_household:
                    person = without_nik.get(
                        (hh_id, name_key(values["full_name"]), values.get("birth_date"))
                    )
                if row.nik_flags or (person is not None and person.nik_flags):
                    values["nik_flags"] = row.nik_flags
                if row.warnings:
                    warnings.extend(row.warnings)
                    counts.warning_rows += 1
                values["household_id"] = hh_id
                values["region_id"] = hh.region_id
                if person is None:
                    if values.get("relationship") == head:
                        heads[id(hh)] = len(new_people)
                    new_people.append(values)
                    continue
                moved = person.household_id != hh_id
                changes = _changes(person, values)
                if changes:
                    changed_people[person.pk] = person
                    changed_person_fields.update(changes)
                if moved:
                    moves.append((person, row, hh))
                elif "relationship" in changes:
                    membership = open_memberships.get(person.pk)
                    if membership is not None:
                        membership.relationship = person.relationship
                        relationship_changes.append(membership)
                if values.get("relationship") == head:
                    heads[id(hh)] = person
        if changed_households:
            for hh in changed_households.values():
                hh.version += 1
                hh.updated_at = now
            Household.objects.bulk_update(
                list(changed_households.values()),
                [*sorted(changed_hh_fields), "version", "updated_at"],
                batch_size=LOOKUP_BATCH,
            )
        counts.updated_households = len(changed_households)
        new_ids = insert_rows(Person, new_people)
        counts.created_people = len(new_people)
        if changed_people:
            for person in changed_people.values():
                person.version += 1
                person.updated_at = now
            Person.objects.bulk_update(
                list(changed_people.values()),
                [*sorted(changed_person_fields), "version", "updated_at"],
                batch_size=LOOKUP_BATCH,
            )
        counts.updated_people = len(changed_people)

        # Memberships: new people join; people found in another household move (the old
        # membership ends today, a new one starts); a changed relationship follows.
        ended = []
        for person, _row, _hh in moves:
            old = open_memberships.get(person.pk)
            if old is not None:
                old.end_date = max(ctx.today, old.start_date)
                old.end_reason = MembershipEnd.MOVED_OUT
                ended.append(old)
        HouseholdMembership.objects.bulk_update(
            ended, ["end_date", "end_reason"], batch_size=LOOKUP_BATCH
        )
        HouseholdMembership.objects.bulk_update(
            relationship_changes, ["relationship"], batch_size=LOOKUP_BATCH
        )
        no_relationship = Person._meta.get_field("relationship").get_default()
        registered = MembershipStart.REGISTERED
        insert_rows(
            HouseholdMembership,
            [
                {
                    "household_id": values["household_id"],
                    "person_id": person_id,
                    "relationship": values.get("relationship", no_relationship),
                    "start_date": ctx.today,
                    "start_reason": registered,
                }
                for values, person_id in zip(new_people, new_ids, strict=True)
            ],
        )
        insert_many(
            HouseholdMembership,
            [
                HouseholdMembership(
                    household=hh,
                    person=person,
                    relationship=person.relationship,
                    start_date=ctx.today,
                    start_reason=MembershipStart.MOVED_IN,
                )
                for person, _row, hh in moves
            ],
        )

        # Heads of household, now that every person has an id.
        head_updates = []
        for kk in accepted:
            hh = existing_hh[kk]
            found = heads.get(id(hh))
            if found is None:
                continue
            head_id = new_ids[found] if isinstance(found, int) else found.pk
            if hh.head_id != head_id:
                hh.head_id = head_id
                head_updates.append(hh)
        set_column(Household, "head_id", [(hh.pk, hh.head_id) for hh in head_updates])
        # The "people reached" rollup follows corrected, moved and newly joined people (new
        # people in new households cannot have been reached yet).
        reach_people_changed(
            [*changed_people, *(p.pk for p, _r, _h in moves)]
            + [
                pk
                for pk, values in zip(new_ids, new_people, strict=True)
                if values["household_id"] not in new_hh_ids
            ]
        )

        if counts.created_households or counts.updated_households or new_people or changed_people:
            record_bulk(
                actor=ctx.actor,
                object_type="registry.household",
                action=AuditAction.IMPORT,
                summary={
                    "import_job": ctx.job_id,
                    "rows": [groups[0][0][0], groups[-1][-1][0]],
                    "households_created": counts.created_households,
                    "households_updated": counts.updated_households,
                    "people_created": counts.created_people,
                    "people_updated": counts.updated_people,
                    "rows_rejected": counts.rejected_rows,
                },
                reason=_("Bulk import"),
            )
    return counts


def _changes(instance: Any, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``instance``; return the names of the fields that changed. Empty cells
    never reach here (they are left out), so an import does not erase what is recorded."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def run(
    sheet_rows: Iterable[tuple[int, list[Any]]],
    ctx: ImportContext,
    *,
    chunk_rows: int = CHUNK_ROWS,
    on_chunk: Any = None,
    error_out: IO[str] | None = None,
    resume: Counts | None = None,
) -> Counts:
    """Import every row; call ``on_chunk(counts_so_far, errors, warnings)`` for each chunk, in
    the chunk's transaction (so the progress the caller saves there is committed with the chunk,
    or not at all).

    ``resume`` continues an import interrupted after ``resume.rows`` rows (a worker killed
    half-way): those rows were written by committed chunks, which end on household boundaries,
    so they are only checked again (which restores the file-wide checks, such as a NIK seen
    twice, and the regions written) and their check errors and warnings are passed to
    ``on_chunk`` once, with the saved counts; writing starts at the next row."""
    # The objects that exist before the import (Django's apps, models, URL patterns: about
    # 90,000) are set aside from the garbage collector while it runs, so that its full
    # collections do not go through them again and again (a sixth of the import's CPU on a
    # 20,000-row file). They are handed back at the end, however the import ends. A process
    # that froze its objects itself (a server before forking) is left as it is.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        total = _run(sheet_rows, ctx, chunk_rows=chunk_rows, on_chunk=on_chunk, resume=resume)
    finally:
        if freeze:
            gc.unfreeze()
    if total.created_people + total.updated_people >= statistics.AFTER_ROWS:
        # The registry's tables changed size a lot: the planner's picture of them too.
        statistics.refresh_statistics()
    return total


def _run(
    sheet_rows: Iterable[tuple[int, list[Any]]],
    ctx: ImportContext,
    *,
    chunk_rows: int,
    on_chunk: Any,
    resume: Counts | None,
) -> Counts:
    total = Counts()
    rows = iter(sheet_rows)
    if resume is not None and resume.rows:
        errors: list[RowError] = []
        warnings: list[RowError] = []
        for number, cells in itertools.islice(rows, resume.rows):
            row, row_errors = ctx.checker.check(number, cells)
            if row is None:
                errors.extend(row_errors)
            else:
                ctx.regions.add(row.household["region_id"])
                warnings.extend(row.warnings)
        total.add(resume)
        if on_chunk is not None:
            on_chunk(total, errors, warnings)
    for chunk in chunks(group_households(rows, ctx.checker), chunk_rows):
        errors = []
        warnings = []
        with transaction.atomic():
            counts = import_chunk(chunk, ctx, errors, warnings)
            total.add(counts)
            if on_chunk is not None:
                on_chunk(total, errors, warnings)
    return total


__all__ = [
    "CHUNK_ROWS",
    "ColumnPlan",
    "Counts",
    "ImportContext",
    "RegionCodes",
    "kk_or_none",
    "region_codes",
    "run",
]
