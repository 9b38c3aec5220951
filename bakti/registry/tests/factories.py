"""Small builders for registry tests: programs, households and people made through services."""

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from bakti.programs.models import PPKSCategory, Program, ProgramType
from bakti.registry import services
from bakti.registry.identity import compose_nik
from bakti.registry.models import Household, Person

_serial = itertools.count(1)


@pytest.fixture
def english() -> Iterator[None]:
    """Messages in English, the source language, for tests that read them."""
    with translation.override("en"):
        yield


def kk_for(desa: str) -> str:
    return desa.replace(".", "")[:6] + f"{next(_serial):010d}"


def nik_for(desa: str, sex: str, born: dt.date) -> str:
    kecamatan = ".".join(desa.split(".")[:3])
    return compose_nik(kecamatan, sex, born, next(_serial))


def program(cast: Any, code: str = "PKH-T", **fields: Any) -> Program:
    fields.setdefault("name", f"Program {code}")
    fields.setdefault("status", "active")
    return Program.objects.create(
        code=code,
        program_type=ProgramType.objects.first() or ProgramType.objects.create(code="t", name="T"),
        org_unit=cast.department,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        **fields,
    )


def ppks(code: str) -> PPKSCategory:
    return PPKSCategory.objects.get(code=code)


def household(desa: str, *, actor: Any = None, **fields: Any) -> Household:
    return services.household_create(actor=actor, no_kk=kk_for(desa), region=desa, **fields)


def person(
    household: Household | None,
    *,
    name: str = "Siti Aminah",
    sex: str = "F",
    born: dt.date = dt.date(1980, 5, 17),
    with_nik: bool = True,
    actor: Any = None,
    region: str | None = None,
    **fields: Any,
) -> Person:
    desa = household.region_id if household else region
    if household is not None:
        fields.setdefault("joined_on", dt.date(2020, 1, 1))
    return services.person_create(
        actor=actor,
        full_name=name,
        sex=sex,
        birth_date=born,
        nik=nik_for(desa, sex, born) if with_nik else None,
        household=household,
        region=None if household else region,
        **fields,
    )


def family(
    desa: str, *, head_name: str = "Budi Santoso", child_born: dt.date | None = None
) -> Household:
    """A household with a head, a spouse and (optionally) a child."""
    home = household(desa, desil=3)
    person(home, name=head_name, sex="M", born=dt.date(1975, 3, 2), relationship="head")
    person(home, name="Siti Rahayu", sex="F", born=dt.date(1978, 8, 17), relationship="spouse")
    if child_born:
        person(home, name="Adi Saputra", sex="M", born=child_born, relationship="child")
    home.refresh_from_db()
    return home
