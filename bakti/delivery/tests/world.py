"""A small world for delivery and cases tests: a program covering the kabupaten, an activity,
a service, households with people in desa A and desa B, enrolments and a partner organisation.

Registry and program rows are set-up data made directly (factories); everything under test goes
through the delivery and cases services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from bakti.delivery import services
from bakti.delivery.models import ServiceCategory, ServiceType
from bakti.programs.models import Activity, Program, ProgramType, Result
from bakti.registry.models import Enrolment, EnrolmentStatus, Household, Person
from conftest import DESA_A, DESA_B, KABUPATEN, Cast


@dataclass
class World:
    cast: Cast
    program: Program
    activity: Activity
    food: ServiceType
    households_a: list[Household]
    households_b: list[Household]
    people_a: list[Person]
    people_b: list[Person]
    enrolments_a: list[Enrolment]
    enrolments_b: list[Enrolment]
    outsider_person: Person  # in desa A, not enrolled


_counter = {"n": 0}


def make_household(region: str, head_name: str, *, sex: str = "F") -> tuple[Household, Person]:
    _counter["n"] += 1
    n = _counter["n"]
    household = Household.objects.create(no_kk=f"3404{n:012d}", region_id=region)
    person = Person.objects.create(
        nik=f"3404{n:012d}",
        full_name=head_name,
        sex=sex,
        birth_date=date(1980, 1, 1),
        household=household,
        region_id=region,
    )
    household.head = person
    household.save(update_fields=["head"])
    return household, person


def make_program(cast: Cast, code: str = "PKH-T") -> tuple[Program, Activity]:
    program = Program.objects.create(
        code=code,
        name=f"Program {code}",
        program_type=ProgramType.objects.first() or ProgramType.objects.create(code="x", name="X"),
        org_unit=cast.department,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
    )
    program.regions.set([KABUPATEN])
    output = Result.objects.create(program=program, tier=3, statement="Output")
    activity = Activity.objects.create(
        program=program,
        output=output,
        name="Pertemuan kelompok",
        planned_start=date(2026, 1, 1),
        planned_end=date(2026, 12, 31),
    )
    return program, activity


def enrol(program: Program, household: Household, person: Person | None = None) -> Enrolment:
    return Enrolment.objects.create(
        program=program,
        household=household,
        person=person,
        region_id=household.region_id,
        status=EnrolmentStatus.ENROLLED,
    )


def make_world(cast: Cast) -> World:
    program, activity = make_program(cast)
    food = services.service_type_create(
        actor=cast.manager,
        program=program,
        code="SEMBAKO",
        name="Paket sembako",
        category=ServiceCategory.FOOD,
        unit="paket",
        unit_value=Decimal("250000"),
    )
    names_a = ["Siti Aminah", "Sri Wahyuni", "Budi Santoso"]
    names_b = ["Joko Susilo", "Rina Marlina"]
    households_a, people_a, households_b, people_b = [], [], [], []
    for name in names_a:
        h, p = make_household(DESA_A, name)
        households_a.append(h)
        people_a.append(p)
    for name in names_b:
        h, p = make_household(DESA_B, name)
        households_b.append(h)
        people_b.append(p)
    _h, outsider_person = make_household(DESA_A, "Tidak Terdaftar")
    return World(
        cast=cast,
        program=program,
        activity=activity,
        food=food,
        households_a=households_a,
        households_b=households_b,
        people_a=people_a,
        people_b=people_b,
        enrolments_a=[enrol(program, h) for h in households_a],
        enrolments_b=[enrol(program, h) for h in households_b],
        outsider_person=outsider_person,
    )


@pytest.fixture
def world(cast: Cast) -> World:
    return make_world(cast)


def more_households(world: World, region: str, count: int) -> list[Any]:
    made = []
    for i in range(count):
        h, _p = make_household(region, f"Warga Tambahan {i}")
        made.append(enrol(world.program, h))
    return made
