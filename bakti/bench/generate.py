"""A synthetic registry for the benchmark suite, at a chosen size and seed.

:func:`write_registry` streams a CSV in the default Bakti import layout (one row per person, the
household columns repeated), with households of 1-8 people, valid NIKs consistent with the
kecamatan, sex and birth date, KK numbers unique per household, desil, and 2% of the rows
planted duplicates of an earlier person (a typo in the name, day and month swapped, the name
parts in another order, a dropped middle name; without a NIK or with a NIK one serial away),
each registered in another household of the same kabupaten. The truth (which row duplicates
which) goes to a separate CSV.

:func:`load_fixtures` then writes what page benchmarks need around an imported registry, set-based
and directly into the tables (fixture data, not the thing measured): housing variables and
disability answers, PPKS categories, enrolments in the demo programs and on average five service
deliveries per person.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import FIRST, LAST, MIDDLE, make_nik

DUPLICATE_RATE = 0.02
# Household sizes 1-8, weighted like Indonesian households (mostly 3-5 people).
SIZES = (1, 2, 3, 4, 5, 6, 7, 8)
SIZE_WEIGHTS = (8, 14, 22, 24, 16, 9, 4, 3)
# NIK serials of generated people start here, above those of the demo data set.
SERIAL_BASE = 5000
# KK numbers of generated households: the 6-digit kecamatan, then this offset plus a counter.
KK_BASE = 7_000_000_000
TRUTH_COLUMNS = [
    "row_a",
    "row_b",
    "nik_a",
    "nik_b",
    "kk_a",
    "kk_b",
    "name_a",
    "name_b",
    "birth_a",
    "birth_b",
    "kinds",
]
# Spelling variants seen in Indonesian registers (old and new spelling, sounds alike).
SPELLING = [
    ("y", "i"),
    ("i", "y"),
    ("j", "dj"),
    ("u", "oe"),
    ("c", "tj"),
    ("t", "d"),
    ("d", "t"),
    ("f", "p"),
    ("kh", "h"),
    ("a", "ah"),
    ("h", ""),
    ("w", "u"),
]


@dataclass
class Generated:
    rows: int = 0
    households: int = 0
    duplicates: int = 0
    desa: int = 0
    kinds: dict[str, int] = field(default_factory=dict)


@dataclass
class _Person:
    row: int
    nik: str
    kk: str
    name: str
    birth: dt.date
    sex: str
    desa: str
    middle: str


def _typo(name: str, rng: random.Random) -> str:
    """One realistic misspelling of one word of ``name``."""
    words = name.split()
    i = rng.randrange(len(words))
    word = words[i]
    lower = word.lower()
    for _attempt in range(4):
        old, new = rng.choice(SPELLING)
        at = lower.find(old, 1)
        if at > 0:
            changed = lower[:at] + new + lower[at + len(old) :]
            break
    else:
        # A keyboard slip: a letter doubled or two letters swapped.
        at = rng.randrange(1, len(lower)) if len(lower) > 1 else 0
        if rng.random() < 0.5 or len(lower) < 3:
            changed = lower[:at] + lower[at] + lower[at:]
        else:
            at = min(at, len(lower) - 2)
            changed = lower[:at] + lower[at + 1] + lower[at] + lower[at + 2 :]
    words[i] = changed.capitalize() if changed else word
    return " ".join(words)


def _duplicate_of(
    source: _Person, rng: random.Random, serial: int, today: dt.date
) -> tuple[str, dt.date, str, list[str]]:
    """The name, birth date, NIK and kinds of change of a second registration of ``source``."""
    kinds: list[str] = []
    name, birth = source.name, source.birth
    choice = rng.random()
    if choice < 0.4:
        name = _typo(name, rng)
        kinds.append("typo")
    elif choice < 0.6 and len(name.split()) > 1:
        words = name.split()
        name = " ".join(words[1:] + words[:1])
        kinds.append("name_order")
    elif choice < 0.75 and source.middle:
        name = " ".join(w for w in name.split() if w != source.middle) or name
        kinds.append("middle_dropped")
    if (rng.random() < 0.3 or not kinds) and birth.day <= 12 and birth.day != birth.month:
        birth = dt.date(birth.year, birth.day, birth.month)
        kinds.append("day_month_swapped")
    if not kinds:
        name = _typo(name, rng)
        kinds.append("typo")
    if "day_month_swapped" in kinds or rng.random() < 0.5:
        nik = ""  # registered again without the identity card at hand
        kinds.append("no_nik")
    else:
        nik = make_nik(source.desa, source.sex, birth, serial)
        kinds.append("nik_serial")
    return name, birth, nik, kinds


def registry_rows(
    people: int,
    desa: Sequence[str],
    *,
    seed: int = 1,
    today: dt.date | None = None,
    truth: list[list[str]] | None = None,
    summary: Generated | None = None,
) -> Iterator[list[str]]:
    """Rows (Bakti layout) for about ``people`` people (whole households, so a few more). The
    planted duplicates are appended to ``truth`` as :data:`TRUTH_COLUMNS` rows."""
    if not desa:
        raise ValueError("No desa codes to register people in.")
    rng = random.Random(seed)
    today = today or dt.date(2026, 1, 1)
    summary = summary if summary is not None else Generated()
    summary.desa = len(desa)
    serials: dict[str, int] = {}
    recent: dict[str, deque[_Person]] = {}
    row = 0
    household = 0
    while row < people:
        household += 1
        region = rng.choice(desa)
        kab = region[:5]
        kk = f"{region.replace('.', '')[:6]}{KK_BASE + household:010d}"
        size = rng.choices(SIZES, SIZE_WEIGHTS)[0]
        address = f"Dusun {rng.choice(LAST) or 'Krajan'} No. {rng.randint(1, 200)}"
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 8):03d}"
        desil = str(rng.choices(range(1, 11), (14, 13, 12, 11, 10, 10, 9, 8, 7, 6))[0])
        surname = rng.choice(LAST)
        pool = recent.setdefault(kab, deque(maxlen=5000))
        members: list[_Person] = []
        for m in range(size):
            row += 1
            if m == 0:
                relationship, age = "head", rng.randint(22, 85)
            elif m == 1:
                relationship, age = "spouse", rng.randint(20, 80)
            elif m < 6:
                relationship, age = "child", rng.randint(0, 30)
            else:
                relationship, age = rng.choice(["parent", "grandchild", "other_relative"]), 0
                age = rng.randint(60, 90) if relationship == "parent" else rng.randint(0, 40)
            duplicate = m > 0 and pool and rng.random() < DUPLICATE_RATE * size / (size - 1)
            if duplicate:
                source = pool[rng.randrange(len(pool))]
                prefix_key = None
                name, birth, nik, kinds = _duplicate_of(source, rng, 0, today)
                if nik:
                    prefix_key = nik[:12]
                    serials[prefix_key] = serials.get(prefix_key, SERIAL_BASE) + 1
                    nik = prefix_key + f"{serials[prefix_key] % 10000:04d}"
                sex, middle = source.sex, source.middle
                relationship = "other_relative"
                summary.duplicates += 1
                for kind in kinds:
                    summary.kinds[kind] = summary.kinds.get(kind, 0) + 1
                if truth is not None:
                    truth.append(
                        [
                            str(source.row),
                            str(row),
                            source.nik,
                            nik,
                            source.kk,
                            kk,
                            source.name,
                            name,
                            source.birth.isoformat(),
                            birth.isoformat(),
                            "+".join(kinds),
                        ]
                    )
            else:
                sex = rng.choice("MF")
                birth = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
                middle = rng.choice(MIDDLE)
                first = rng.choice(FIRST)
                last = surname if rng.random() < 0.6 else rng.choice(LAST)
                name = " ".join(part for part in (first, middle, last) if part)
                prefix = make_nik(region, sex, birth, 0)[:12]
                serials[prefix] = serials.get(prefix, SERIAL_BASE) + 1
                nik = prefix + f"{serials[prefix] % 10000:04d}"
                members.append(_Person(row, nik, kk, name, birth, sex, region, middle))
            values = {
                "no_kk": kk,
                "region_code": region,
                "address": address,
                "rt": rt,
                "rw": rw,
                "desil": desil,
                "nik": nik,
                "full_name": name,
                "sex": "L" if sex == "M" else "P",
                "birth_date": birth.strftime("%d-%m-%Y"),
                "birth_place": "Sleman",
                "relationship": relationship,
                "marital_status": "married" if m < 2 and age >= 20 else "single",
                "education": rng.choice(["none", "primary", "junior", "senior", "university"]),
                "occupation": rng.choice(["Petani", "Buruh", "Pedagang", "Nelayan", ""]),
                "phone": f"08{rng.randint(10**9, 10**10 - 1)}" if m == 0 else "",
            }
            yield [values[c] for c in BAKTI_COLUMNS]
        pool.extend(members)
    summary.rows = row
    summary.households = household


def write_registry(
    path: Path, truth_path: Path, *, people: int, desa: Sequence[str], seed: int = 1
) -> Generated:
    """Write the registry CSV and the truth CSV; return what was written."""
    summary = Generated()
    truth: list[list[str]] = []
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(BAKTI_COLUMNS)
        for values in registry_rows(people, desa, seed=seed, truth=truth, summary=summary):
            writer.writerow(values)
    with truth_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(TRUTH_COLUMNS)
        writer.writerows(truth)
    return summary


def read_truth(truth_path: Path) -> list[dict[str, str]]:
    with truth_path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# --- Fixture data after the import ----------------------------------------------------------

BATCH = 5000


def _batched(items: list[Any], size: int = BATCH) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_fixtures(
    *, after_household: int, after_person: int, seed: int = 1, deliveries_per_person: int = 5
) -> dict[str, int]:
    """Housing variables, disability answers, PPKS, enrolments and service deliveries for the
    generated households (ids above ``after_household``; people above ``after_person``), written
    set-based (``UPDATE`` per column, ``bulk_create`` in batches). Returns counts."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bakti.delivery.models import ServiceDelivery, ServiceType
    from bakti.programs.models import PPKSCategory, Program
    from bakti.registry.importing.inserting import insert_many
    from bakti.registry.models import Enrolment, EnrolmentStatus, Household, Person

    rng = random.Random(seed)
    counts = {"households": 0, "enrolments": 0, "deliveries": 0, "ppks": 0}
    generated = Household.objects.filter(pk__gt=after_household)
    floors = ["earth", "bamboo_wood", "cement", "tile"]
    walls = ["bamboo", "wood", "brick_unplastered", "brick_plastered"]
    waters = ["unprotected", "protected_well", "piped", "bottled"]
    sanitation = ["none", "shared", "own"]
    lighting = ["none", "non_pln", "pln_450", "pln_900", "pln_above_900"]
    fuel = ["wood", "kerosene", "lpg_3kg", "lpg_large"]
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        # Housing: one UPDATE per variable, values spread by the household id (set-based).
        table = quote(Household._meta.db_table)
        for column, values in (
            ("floor_material", floors),
            ("wall_material", walls),
            ("water_source", waters),
            ("sanitation", sanitation),
            ("lighting", lighting),
            ("cooking_fuel", fuel),
        ):
            cases = " ".join(f"WHEN {i} THEN '{value}'" for i, value in enumerate(values))
            step = rng.randint(3, 17)
            cursor.execute(
                f"UPDATE {table} SET {quote(column)} = CASE ((id * {step}) %% {len(values)}) "
                f"{cases} END WHERE id > %s",
                [after_household],
            )
        cursor.execute(
            f"UPDATE {table} SET has_motorcycle = ((id %% 3) <> 0), "
            "floor_area_m2 = 20 + (id %% 80), monthly_expenditure = 500000 + (id %% 40) * 50000 "
            "WHERE id > %s",
            [after_household],
        )
        person_table = quote(Person._meta.db_table)
        cursor.execute(
            f"UPDATE {person_table} SET wg_walking = 3, has_disability = %s "
            "WHERE id %% 37 = 0 AND id > %s",
            [True, after_person],
        )
    counts["households"] = generated.count()

    # PPKS categories for about one person in ten.
    categories = list(PPKSCategory.objects.values_list("pk", flat=True))
    through = Person.ppks.through
    if categories:
        ids = list(Person.objects.filter(household__in=generated).values_list("pk", flat=True))
        links = [
            through(person_id=pk, ppkscategory_id=rng.choice(categories))
            for pk in ids
            if rng.random() < 0.1
        ]
        for batch in _batched(links):
            through.objects.bulk_create(batch, ignore_conflicts=True)
        counts["ppks"] = len(links)

    # Enrolments: each generated household in one program, deliveries to its members.
    programs = list(Program.objects.order_by("pk"))
    service_types = {}
    for service in ServiceType.objects.filter(program__in=programs).order_by("pk"):
        service_types.setdefault(service.program_id, service)
    programs = [p for p in programs if p.pk in service_types]
    if not programs:
        return counts
    now = timezone.now()
    today = timezone.localdate()
    households = list(generated.values_list("pk", "region_id").order_by("pk"))
    members: dict[int, list[int]] = {}
    for pk, hh in Person.objects.filter(household__in=generated).values_list("pk", "household_id"):
        members.setdefault(hh, []).append(pk)
    for batch in _batched(households):
        enrolments = []
        for hh_id, region in batch:
            program = programs[hh_id % len(programs)]
            enrolments.append(
                Enrolment(
                    program=program,
                    household_id=hh_id,
                    region_id=region,
                    status=EnrolmentStatus.ENROLLED,
                    enrolled_on=program.start_date or today,
                    created_at=now,
                    updated_at=now,
                )
            )
        with transaction.atomic():
            insert_many(Enrolment, enrolments)
            deliveries = []
            for enrolment in enrolments:
                service = service_types[enrolment.program_id]
                start = enrolment.program.start_date or today - dt.timedelta(days=365)
                span = max(1, (min(today, enrolment.program.end_date or today) - start).days)
                for person_id in members.get(enrolment.household_id, []):
                    for _n in range(rng.randint(0, 2 * deliveries_per_person)):
                        deliveries.append(
                            ServiceDelivery(
                                program_id=enrolment.program_id,
                                service_type=service,
                                enrolment=enrolment,
                                household_id=enrolment.household_id,
                                person_id=person_id,
                                region_id=enrolment.region_id,
                                quantity=Decimal(1),
                                value=Decimal(rng.choice([50000, 100000, 150000, 200000])),
                                currency="IDR",
                                delivered_on=start + dt.timedelta(days=rng.randrange(span)),
                                created_at=now,
                                updated_at=now,
                            )
                        )
            insert_many(ServiceDelivery, deliveries)
        counts["enrolments"] += len(enrolments)
        counts["deliveries"] += len(deliveries)
    # The deliveries went in set-based, past the services: build the "people reached" rollup
    # the dashboards read, as after any bulk load (bakti reports rebuild-rollups).
    from django.apps import apps

    if apps.is_installed("bakti.reports"):
        from bakti.reports.rollups import reach_rebuild

        counts["reach_rows"] = reach_rebuild()
    return counts
