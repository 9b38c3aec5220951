"""Demo registry: about 2,000 households and 8,000 people in the desa of kecamatan A (Gamping)
and B (Godean), with NIKs consistent with region, sex and birth date, desil, housing, PPKS,
disability, consents, enrolments in the demo programs, a scoring scheme already run and a
targeting scheme for PKH. A few people are registered twice, with a typo in the name or the day
and month of birth swapped, for the duplicate review queue to find.

Written through the bulk services (one audit event per batch) so it loads in seconds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bakti.core.demo import KECAMATAN_A, KECAMATAN_B, DemoContext
from bakti.programs.models import PPKSCategory
from bakti.regions.models import Region

from . import scoring, services, targeting
from .identity import compose_nik
from .models import (
    Consent,
    ConsentPurpose,
    CookingFuel,
    Education,
    Enrolment,
    EnrolmentStatus,
    FloorMaterial,
    Household,
    HouseOwnership,
    JobStatus,
    LegalBasis,
    Lighting,
    MaritalStatus,
    Person,
    Relationship,
    Sanitation,
    WallMaterial,
    WaterSource,
)

HOUSEHOLDS = 2000
DUPLICATES = 40
OCCUPATIONS = [
    "Petani",
    "Buruh tani",
    "Buruh harian lepas",
    "Pedagang",
    "Wiraswasta",
    "Karyawan swasta",
    "Pengemudi ojek",
    "Ibu rumah tangga",
    "Tidak bekerja",
]

POINTS_SCHEME = [
    {
        "variable": "floor_material",
        "bands": [{"value": "earth", "points": 12}, {"value": "bamboo_wood", "points": 8}],
    },
    {
        "variable": "wall_material",
        "bands": [{"value": "bamboo", "points": 10}, {"value": "wood", "points": 5}],
    },
    {"variable": "water_source", "bands": [{"value": "unprotected", "points": 8}]},
    {
        "variable": "sanitation",
        "bands": [{"value": "none", "points": 10}, {"value": "shared", "points": 5}],
    },
    {
        "variable": "lighting",
        "bands": [{"value": "none", "points": 10}, {"value": "pln_450", "points": 5}],
    },
    {"variable": "cooking_fuel", "bands": [{"value": "wood", "points": 8}]},
    {"variable": "has_motorcycle", "bands": [{"value": False, "points": 5}]},
    {
        "variable": "member_count",
        "bands": [{"min": 6, "points": 8}, {"min": 4, "max": 6, "points": 4}],
    },
    {"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]},
    {"variable": "elderly_60", "bands": [{"min": 1, "points": 4}]},
    {"variable": "disabled_count", "bands": [{"min": 1, "points": 6}]},
    {"variable": "head_female", "bands": [{"value": True, "points": 4}]},
]


def _pick(ctx: DemoContext, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return ctx.rng.choices(values, weights=weights)[0]


def _birth(ctx: DemoContext, today: dt.date, age_low: int, age_high: int) -> dt.date:
    age = ctx.rng.randint(age_low, age_high)
    return today - dt.timedelta(days=age * 365 + ctx.rng.randint(0, 364))


class _Numbers:
    """Unique NIK and KK serials per prefix."""

    def __init__(self) -> None:
        self.serials: Counter[str] = Counter()

    def nik(self, kecamatan: str, sex: str, born: dt.date) -> str:
        prefix = compose_nik(kecamatan, sex, born, 1)[:12]
        self.serials[prefix] += 1
        return prefix + f"{self.serials[prefix]:04d}"

    def kk(self, kecamatan: str, issued: dt.date) -> str:
        prefix = kecamatan.replace(".", "") + issued.strftime("%d%m%y")
        self.serials["kk" + prefix] += 1
        return prefix + f"{self.serials['kk' + prefix]:04d}"


def _housing(ctx: DemoContext, desil: int) -> dict[str, Any]:
    poor = desil <= 3
    rng = ctx.rng
    return {
        "floor_material": _pick(
            ctx,
            [
                (FloorMaterial.EARTH, 5 if poor else 1),
                (FloorMaterial.BAMBOO_WOOD, 3 if poor else 1),
                (FloorMaterial.CEMENT, 5),
                (FloorMaterial.TILE, 1 if poor else 6),
            ],
        ),
        "wall_material": _pick(
            ctx,
            [
                (WallMaterial.BAMBOO, 4 if poor else 1),
                (WallMaterial.WOOD, 3),
                (WallMaterial.BRICK_UNPLASTERED, 4),
                (WallMaterial.BRICK_PLASTERED, 2 if poor else 8),
            ],
        ),
        "water_source": _pick(
            ctx,
            [
                (WaterSource.UNPROTECTED, 3 if poor else 1),
                (WaterSource.PROTECTED_WELL, 6),
                (WaterSource.PIPED, 2 if poor else 4),
                (WaterSource.BOTTLED, 1 if poor else 3),
            ],
        ),
        "sanitation": _pick(
            ctx,
            [(Sanitation.NONE, 3 if poor else 0), (Sanitation.SHARED, 3), (Sanitation.OWN, 6)],
        ),
        "lighting": _pick(
            ctx,
            [
                (Lighting.NONE, 1 if poor else 0),
                (Lighting.PLN_450, 6 if poor else 2),
                (Lighting.PLN_900, 3),
                (Lighting.PLN_ABOVE_900, 0 if poor else 4),
            ],
        ),
        "cooking_fuel": _pick(
            ctx,
            [
                (CookingFuel.WOOD, 4 if poor else 1),
                (CookingFuel.LPG_3KG, 8),
                (CookingFuel.LPG_LARGE, 0 if poor else 3),
            ],
        ),
        "house_ownership": _pick(
            ctx, [(HouseOwnership.OWN, 7), (HouseOwnership.RENT, 2), (HouseOwnership.FREE, 2)]
        ),
        "floor_area_m2": rng.randint(18, 45) if poor else rng.randint(30, 120),
        "has_motorcycle": rng.random() < (0.45 if poor else 0.85),
        "has_car": (not poor) and rng.random() < 0.15,
        "has_refrigerator": rng.random() < (0.2 if poor else 0.7),
        "has_land": rng.random() < 0.3,
        "monthly_expenditure": Decimal(
            rng.randint(8, 25) * 100000 if poor else rng.randint(20, 80) * 100000
        ),
    }


def _first_name(fake: Any, sex: str) -> str:
    return fake.first_name_female() if sex == "F" else fake.first_name_male()


def _typo(ctx: DemoContext, name: str) -> str:
    letters = list(name)
    i = ctx.rng.randrange(1, max(2, len(letters) - 2))
    if letters[i] != " " and letters[i + 1] != " ":
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters.insert(i, letters[i - 1])
    return "".join(letters)


def load(ctx: DemoContext, *, households_wanted: int = HOUSEHOLDS) -> None:
    today = timezone.localdate()
    desa = list(
        Region.objects.filter(level=4).filter(code__startswith=KECAMATAN_A + ".").order_by("code")
    ) + list(
        Region.objects.filter(level=4).filter(code__startswith=KECAMATAN_B + ".").order_by("code")
    )
    if not desa:
        ctx.say("registry: no desa in the demo kecamatan; load regions first")
        return
    ppks = {c.code: c for c in PPKSCategory.objects.all()}
    numbers = _Numbers()
    fake = ctx.fake
    households: list[Household] = []
    people: list[Person] = []
    ppks_links: list[tuple[int, Any]] = []

    def add_person(home: Household, kecamatan: str, **fields: Any) -> int:
        person = Person(household=home, region=home.region, **fields)
        if ctx.rng.random() > 0.03:  # a few have no NIK on record
            person.nik = numbers.nik(kecamatan, person.sex, person.birth_date)
        if ctx.rng.random() < 0.05:
            domain = ctx.rng.choice(["wg_seeing", "wg_hearing", "wg_walking", "wg_cognition"])
            setattr(person, domain, ctx.rng.choice([3, 3, 4]))
            person.wg_self_care = ctx.rng.choice([1, 2, 3])
        people.append(person)
        return len(people) - 1

    for n in range(households_wanted):
        region = desa[n % len(desa)]
        kecamatan = region.code.rsplit(".", 1)[0]
        desil = _pick(
            ctx,
            [(1, 12), (2, 14), (3, 14), (4, 13), (5, 11), (6, 10), (7, 8), (8, 7), (9, 6), (10, 5)],
        )
        issued = _birth(ctx, today, 1, 15)
        home = Household(
            no_kk=numbers.kk(kecamatan, issued),
            region=region,
            address=f"{fake.street_name()} No. {ctx.rng.randint(1, 120)}",
            rt=f"{ctx.rng.randint(1, 12):03d}",
            rw=f"{ctx.rng.randint(1, 8):03d}",
            desil=desil,
            desil_source="DTSEN",
            desil_date=dt.date(2025, 9, 1),
            **_housing(ctx, desil),
        )
        households.append(home)
        family = fake.last_name()
        female_head = ctx.rng.random() < 0.15
        head_sex = "F" if female_head else "M"
        head_born = _birth(ctx, today, 24, 78)
        head = add_person(
            home,
            kecamatan,
            full_name=f"{_first_name(fake, head_sex)} {family}",
            sex=head_sex,
            birth_date=head_born,
            birth_place="Sleman",
            relationship=Relationship.HEAD,
            marital_status=MaritalStatus.WIDOWED if female_head else MaritalStatus.MARRIED,
            education=_pick(
                ctx,
                [
                    (Education.PRIMARY, 4),
                    (Education.JUNIOR, 3),
                    (Education.SENIOR, 3),
                    (Education.NONE, 1),
                    (Education.UNIVERSITY, 1),
                ],
            ),
            occupation=ctx.rng.choice(OCCUPATIONS),
            phone=f"08{ctx.rng.randint(1100000000, 9999999999)}" if ctx.rng.random() < 0.6 else "",
        )
        if desil <= 3 and ctx.rng.random() < 0.4:
            ppks_links.append((head, ppks["24"]))
        if female_head and desil <= 4 and ctx.rng.random() < 0.5:
            ppks_links.append((head, ppks["23"]))
        head_age = (today - head_born).days // 365
        if not female_head:
            add_person(
                home,
                kecamatan,
                full_name=f"{fake.first_name_female()} {fake.last_name()}",
                sex="F",
                birth_date=head_born + dt.timedelta(days=ctx.rng.randint(0, 6 * 365)),
                relationship=Relationship.SPOUSE,
                marital_status=MaritalStatus.MARRIED,
                education=_pick(
                    ctx, [(Education.PRIMARY, 4), (Education.JUNIOR, 3), (Education.SENIOR, 3)]
                ),
                occupation="Ibu rumah tangga",
            )
        children = (
            ctx.rng.choice([1, 1, 2, 2, 2, 3, 3, 3, 4, 5])
            if head_age < 65
            else ctx.rng.choice([0, 0, 1])
        )
        for _ in range(children):
            youngest = max(0, head_age - 45)
            oldest = max(youngest, min(head_age - 20, 30))
            sex = ctx.rng.choice(["M", "F"])
            child_born = _birth(ctx, today, youngest, oldest)
            child = add_person(
                home,
                kecamatan,
                full_name=f"{_first_name(fake, sex)} {family}",
                sex=sex,
                birth_date=child_born,
                relationship=Relationship.CHILD,
                marital_status=MaritalStatus.SINGLE,
            )
            if desil <= 2 and (today - child_born).days < 18 * 365 and ctx.rng.random() < 0.06:
                ppks_links.append((child, ppks["02"]))
        if head_age < 55 and ctx.rng.random() < 0.2:
            elder = add_person(
                home,
                kecamatan,
                full_name=f"{fake.first_name_female()} {fake.last_name()}",
                sex="F",
                birth_date=_birth(ctx, today, 66, 90),
                relationship=Relationship.PARENT,
                marital_status=MaritalStatus.WIDOWED,
            )
            if desil <= 4 and ctx.rng.random() < 0.3:
                ppks_links.append((elder, ppks["08"]))

    # People registered twice: a second household card for the same person, without NIK, with a
    # typo in the name or the birth day and month swapped.
    for k in range(min(DUPLICATES, households_wanted // 10)):
        original = people[(k * 97) % len(people)]
        region = original.region
        kecamatan = region.code.rsplit(".", 1)[0]
        born = original.birth_date
        if k % 2 and born.day <= 12 and born.day != born.month:
            born = born.replace(day=born.month, month=born.day)
        home = Household(
            no_kk=numbers.kk(kecamatan, _birth(ctx, today, 1, 10)),
            region=region,
            address=f"{fake.street_name()} No. {ctx.rng.randint(1, 120)}",
            desil=_pick(ctx, [(2, 1), (3, 1), (4, 1)]),
            desil_source="Musdes",
            **_housing(ctx, 3),
        )
        households.append(home)
        people.append(
            Person(
                household=home,
                region=region,
                full_name=_typo(ctx, original.full_name) if k % 2 == 0 else original.full_name,
                sex=original.sex,
                birth_date=born,
                relationship=Relationship.HEAD,
            )
        )

    # Disability PPKS for those with a lot of difficulty (computed again by the bulk service).
    for index, person in enumerate(people):
        if any(
            (getattr(person, d) or 0) >= 3
            for d in ("wg_seeing", "wg_hearing", "wg_walking", "wg_cognition")
        ):
            age = (today - person.birth_date).days // 365
            ppks_links.append((index, ppks["05"] if age < 18 else ppks["09"]))

    # Consent / legal basis: the department registers on a legal basis (public task); program
    # enrolment consent from the head of most households.
    consents: list[Consent] = []
    heads = [p for p in people if p.relationship == Relationship.HEAD]
    for person in heads:
        consents.append(
            Consent(
                person=person,
                purpose=ConsentPurpose.REGISTRATION,
                legal_basis=LegalBasis.PUBLIC_TASK,
                channel="n/a",
                given_on=dt.date(2025, 9, 1),
            )
        )
        if ctx.rng.random() < 0.85:
            consents.append(
                Consent(
                    person=person,
                    purpose=ConsentPurpose.ENROLMENT,
                    legal_basis=LegalBasis.CONSENT,
                    channel=ctx.rng.choice(["paper", "thumbprint"]),
                    given_on=today - dt.timedelta(days=ctx.rng.randint(30, 400)),
                )
            )
    # Load in chunks of 500 households, each with its people, PPKS links and consents.
    chunk_of = {id(h): i // 500 for i, h in enumerate(households)}
    chunks: dict[int, dict[str, list[Any]]] = {}
    local_index: dict[int, int] = {}
    for index, person in enumerate(people):
        part = chunks.setdefault(
            chunk_of[id(person.household)], {"people": [], "links": [], "consents": []}
        )
        local_index[index] = len(part["people"])
        part["people"].append(person)
    for index, category in ppks_links:
        part = chunks[chunk_of[id(people[index].household)]]
        part["links"].append((local_index[index], category))
    for consent in consents:
        chunks[chunk_of[id(consent.person.household)]]["consents"].append(consent)
    for number, part in sorted(chunks.items()):
        services.registry_bulk_load(
            actor=None,
            households=households[number * 500 : (number + 1) * 500],
            people=part["people"],
            ppks_links=part["links"],
            consents=part["consents"],
            reason="demo data",
        )
    _enrolments(ctx, heads, people, consents, today)
    _scoring_and_targeting(ctx, today)
    ctx.shared["registry_households"] = len(households)
    ctx.say(
        f"registry: {len(households)} households, {len(people)} people, "
        f"{min(DUPLICATES, households_wanted // 10)} planted duplicates"
    )


def _enrolments(
    ctx: DemoContext,
    heads: list[Person],
    people: list[Person],
    consents: list[Consent],
    today: dt.date,
) -> None:
    programs = ctx.shared.get("programs") or {}
    basis = {c.person_id: c for c in consents if c.purpose == ConsentPurpose.ENROLMENT}
    rows: list[Enrolment] = []
    children_under_6 = {
        p.household_id for p in people if p.birth_date and (today - p.birth_date).days < 6 * 365
    }

    def household_enrolment(program: Any, head: Person, status: str, **extra: Any) -> None:
        consent = basis.get(head.pk)
        if consent is None:
            status = EnrolmentStatus.PROPOSED
        enrolled_on = dt.date(2026, 2, 1) if status != EnrolmentStatus.PROPOSED else None
        rows.append(
            Enrolment(
                program=program,
                household=head.household,
                status=status,
                consent=consent if status != EnrolmentStatus.PROPOSED else None,
                enrolled_on=enrolled_on,
                approved_at=timezone.now() if enrolled_on else None,
                approved_by=ctx.users.get("manajer") if enrolled_on else None,
                **extra,
            )
        )

    pkh = programs.get("PKH-2026")
    if pkh is not None:
        chosen = [
            h
            for h in heads
            if h.household.desil and h.household.desil <= 3 and h.household_id in children_under_6
        ]
        for i, head in enumerate(chosen[:320]):
            if i % 25 == 0:
                household_enrolment(
                    pkh,
                    head,
                    EnrolmentStatus.SUSPENDED,
                    suspended_on=dt.date(2026, 8, 1),
                    status_reason="Tidak hadir di posyandu tiga bulan berturut-turut",
                )
            elif i % 40 == 1:
                household_enrolment(
                    pkh,
                    head,
                    EnrolmentStatus.EXITED,
                    exited_on=dt.date(2026, 9, 30),
                    status_reason="Graduasi mandiri",
                )
            elif i >= 300:
                household_enrolment(pkh, head, EnrolmentStatus.PROPOSED)
            else:
                household_enrolment(pkh, head, EnrolmentStatus.ENROLLED)
    prse = programs.get("PRSE-2026")
    if prse is not None:
        chosen = [h for h in heads if h.sex == "F" and h.household.desil and h.household.desil <= 4]
        for head in chosen[:80]:
            household_enrolment(prse, head, EnrolmentStatus.ENROLLED)
    lansia = programs.get("LANSIA-2026")
    if lansia is not None:
        elders = [
            p
            for p in people
            if p.birth_date
            and (today - p.birth_date).days >= 70 * 365
            and p.household.desil
            and p.household.desil <= 4
        ]
        for person in elders[:120]:
            rows.append(
                Enrolment(
                    program=lansia,
                    household=person.household,
                    person=person,
                    status=EnrolmentStatus.PROPOSED,
                )
            )
    if rows:
        services.enrolment_bulk_create(actor=None, enrolments=rows, reason="demo data")
        ctx.say(f"registry: {len(rows)} enrolments")


def _scoring_and_targeting(ctx: DemoContext, today: dt.date) -> None:
    manager = ctx.users.get("manajer")
    scheme = scoring.scoring_scheme_create(
        actor=manager,
        name="Indeks kerentanan rumah tangga (demo)",
        description="Poin per kondisi rumah, aset dan susunan anggota rumah tangga.",
        formula="points",
        variables=POINTS_SCHEME,
        scope_region=Region.objects.filter(code="34.04").first(),
        status="active",
    )
    run = scoring.scoring_run_start(actor=manager, scheme=scheme, run_now=True)
    if run.status != JobStatus.DONE:  # pragma: no cover - shown to whoever loads the demo
        ctx.say(f"registry: scoring run failed: {run.message}")
    pkh = (ctx.shared.get("programs") or {}).get("PKH-2026")
    if pkh is not None:
        targeting.targeting_scheme_create(
            actor=manager,
            program=pkh,
            name="PKH 2026: desil 1-4 dengan balita",
            description="Keluarga desil 1-4 yang memiliki anak di bawah 6 tahun.",
            rules={
                "all": [
                    {"rule": "desil_at_most", "value": 4},
                    {"rule": "member_under_age", "value": 6},
                ]
            },
            scoring_scheme=scheme,
            benefit_unit="household",
            benefit_amount=Decimal("750000"),
            periods_per_year=4,
            budget_amount=Decimal("1500000000"),
            quotas={KECAMATAN_A: 250, KECAMATAN_B: 250},
            status="active",
        )
