"""Input and output schemas of the registry API. NIK and KK leave the server masked; the full
value only through the reveal operations, which write the access log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class HouseholdOut(Schema):
    id: int
    no_kk_masked: str
    region_code: str
    region_name: str
    address: str
    head_id: int | None
    head_name: str | None
    member_count: int | None = None
    desil: int | None
    status: str
    version: int


class MemberOut(Schema):
    id: int
    nik_masked: str
    full_name: str
    sex: str
    birth_date: dt.date | None
    relationship: str
    deceased: bool
    has_disability: bool | None = None  # None: not shown to this user
    ppks: list[str] | None = None


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    hidden_members: int


class HouseholdIn(Schema):
    no_kk: str
    region_code: str
    address: str = ""
    rt: str = ""
    rw: str = ""
    desil: int | None = None
    desil_source: str = ""
    desil_date: dt.date | None = None


class HouseholdPatch(Schema):
    version: int
    address: str | None = None
    rt: str | None = None
    rw: str | None = None
    desil: int | None = None
    desil_source: str | None = None
    desil_date: dt.date | None = None
    status: str | None = None


class PersonOut(Schema):
    id: int
    nik_masked: str
    full_name: str
    sex: str
    birth_date: dt.date | None
    household_id: int | None
    region_code: str
    relationship: str
    deceased: bool
    nik_flags: list[dict]
    has_disability: bool | None = None
    ppks: list[str] | None = None
    version: int


class PersonIn(Schema):
    household_id: int
    full_name: str
    sex: str
    nik: str | None = None
    birth_date: dt.date | None = None
    birth_place: str = ""
    relationship: str = ""
    marital_status: str = ""
    education: str = ""
    occupation: str = ""
    phone: str = ""


class PersonPatch(Schema):
    version: int
    full_name: str | None = None
    sex: str | None = None
    nik: str | None = None
    birth_date: dt.date | None = None
    relationship: str | None = None
    marital_status: str | None = None
    education: str | None = None
    occupation: str | None = None
    phone: str | None = None


class RevealOut(Schema):
    value: str


class ConsentOut(Schema):
    id: int
    person_id: int
    purpose: str
    program_id: int | None
    legal_basis: str
    given_by: str
    given_by_name: str
    given_on: dt.date
    channel: str
    withdrawn_on: dt.date | None
    withdrawal_reason: str


class ConsentIn(Schema):
    person_id: int
    purpose: str
    given_on: dt.date
    legal_basis: str = "consent"
    given_by: str = "self"
    given_by_name: str = ""
    channel: str = "paper"
    program_id: int | None = None


class WithdrawIn(Schema):
    withdrawn_on: dt.date
    reason: str


class EnrolmentOut(Schema):
    id: int
    program_id: int
    program_code: str
    household_id: int
    person_id: int | None
    region_code: str
    status: str
    enrolled_on: dt.date | None
    suspended_on: dt.date | None
    exited_on: dt.date | None
    status_reason: str
    version: int


class EnrolmentIn(Schema):
    program_id: int
    household_id: int
    person_id: int | None = None
    reason: str = ""


class EnrolmentActionIn(Schema):
    version: int | None = None
    on: dt.date | None = None
    reason: str = ""


class SimulationOut(Schema):
    households: int
    people: int
    by_region: list[dict]
    by_sex: dict[str, int]
    by_age: dict[str, int]
    with_disability: int
    cost_per_period: Decimal
    cost_per_year: Decimal
    budget: Decimal
    budget_source: str
