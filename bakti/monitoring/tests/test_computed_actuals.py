"""Computed actuals equal an independent recomputation from the delivery and registry
records, per period and per disaggregation, and a person reached twice counts once."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.apps import apps

from bakti.monitoring import services
from bakti.monitoring.tracking import tracking_table

from .factories import QUARTERS_2026, make_indicator, make_program

pytestmark = pytest.mark.skipif(
    not (apps.is_installed("bakti.registry") and apps.is_installed("bakti.delivery")),
    reason="needs the registry and delivery apps",
)

DESA_A = "34.04.01.2001"
DESA_B = "34.04.02.2001"


def _people(count: int, region: str, start: int):
    from bakti.registry.models import Household, Person

    people = []
    for i in range(count):
        number = start + i
        household = Household.objects.create(no_kk=f"3404{number:012d}", region_id=region)
        person = Person.objects.create(
            full_name=f"Person {number}",
            sex="F" if number % 3 else "M",
            birth_date=dt.date(1950 + (number * 7) % 70, 1 + number % 12, 1),
            household=household,
            region_id=region,
            has_disability=number % 5 == 0,
        )
        people.append(person)
    return people


@pytest.fixture
def stage(cast):
    from bakti.delivery.models import ServiceDelivery, ServiceType
    from bakti.registry.models import Enrolment

    program = make_program(cast.department, manager=cast.manager)
    food = ServiceType.objects.create(
        program=program, code="FOOD", name="Food package", category="food", unit="package"
    )
    visit = ServiceType.objects.create(
        program=program, code="VISIT", name="Home visit", category="home_visit", unit="visit"
    )
    people = _people(12, DESA_A, 1) + _people(8, DESA_B, 100)
    enrolments = {
        p.pk: Enrolment.objects.create(
            program=program,
            household=p.household,
            person=p,
            region_id=p.region_id,
            status="enrolled",
            enrolled_on=dt.date(2026, 1, 1),
        )
        for p in people
    }
    # Food in Q1 to people 0-9, in Q2 to people 5-14 (5 of them again), visits to 15-19.
    days = [(dt.date(2026, 2, 10), people[0:10]), (dt.date(2026, 5, 10), people[5:15])]
    for day, group in days:
        for person in group:
            ServiceDelivery.objects.create(
                program=program,
                service_type=food,
                enrolment=enrolments[person.pk],
                household=person.household,
                person=person,
                region_id=person.region_id,
                quantity=1,
                value=D("150000"),
                delivered_on=day,
            )
    for person in people[15:]:
        ServiceDelivery.objects.create(
            program=program,
            service_type=visit,
            enrolment=enrolments[person.pk],
            household=person.household,
            person=person,
            region_id=person.region_id,
            quantity=1,
            value=D("0"),
            delivered_on=dt.date(2026, 5, 20),
        )
    return program


def _recount(program, start, end, codes):
    """Independent recount: walk every delivery in Python."""
    from bakti.delivery.models import ServiceDelivery

    people = {}
    for delivery in ServiceDelivery.objects.select_related("person", "service_type"):
        if delivery.program_id != program.pk or delivery.person is None:
            continue
        if not (start <= delivery.delivered_on <= end):
            continue
        if codes and delivery.service_type.code not in codes:
            continue
        people[delivery.person.pk] = delivery.person
    by_sex, by_region, by_disability = {}, {}, {}
    for person in people.values():
        by_sex[person.sex] = by_sex.get(person.sex, 0) + 1
        kecamatan = person.region_id[:8]
        by_region[kecamatan] = by_region.get(kecamatan, 0) + 1
        key = "yes" if person.has_disability else "no"
        by_disability[key] = by_disability.get(key, 0) + 1
    return len(people), by_sex, by_region, by_disability


@pytest.mark.parametrize("rule", ["per_period", "cumulative"])
def test_people_served_matches_an_independent_recount(cast, stage, rule):
    indicator = make_indicator(
        stage,
        code="PPL",
        rule=rule,
        targets=[10, 10, 10, 10] if rule == "per_period" else [10, 20, 30, 40],
        disaggregations=["sex", "region", "disability", "age_group"],
    )
    services.indicator_rule_set(
        actor=cast.mne,
        indicator=indicator,
        rule_type="people_served",
        params={"service_types": "FOOD"},
    )
    services.indicator_compute_all(actor=None, indicator=indicator, as_of=dt.date(2026, 6, 30))

    row = tracking_table(stage, as_of=dt.date(2026, 6, 30)).indicators[0]
    for index in range(2):
        start, end, _label = QUARTERS_2026[index]
        window_start = stage.start_date if rule == "cumulative" else start
        total, by_sex, by_region, by_disability = _recount(stage, window_start, end, {"FOOD"})
        assert row.periods[index].actual == D(total)
        got = {
            (d.dimension, d.category): d.periods[index]
            for d in row.disaggregations
            if d.periods[index] is not None
        }
        for category, n in by_sex.items():
            assert got[("sex", category)] == D(n)
        for category, n in by_region.items():
            assert got[("region", category)] == D(n)
        for category, n in by_disability.items():
            assert got[("disability", category)] == D(n)
        ages = sum(v for (d, _c), v in got.items() if d == "age_group")
        assert ages == D(total)
    # Per period: 10 + 10 people-periods; cumulative: 15 distinct people, not 20.
    assert row.to_date_actual == (D(20) if rule == "per_period" else D(15))


def test_recomputing_replaces_and_is_idempotent(cast, stage):
    indicator = make_indicator(stage, code="PPL", rule="per_period", targets=[10, 10, 10, 10])
    services.indicator_rule_set(actor=cast.mne, indicator=indicator, rule_type="people_served")
    first = services.indicator_compute_all(
        actor=None, indicator=indicator, as_of=dt.date(2026, 6, 30)
    )
    second = services.indicator_compute_all(
        actor=None, indicator=indicator, as_of=dt.date(2026, 6, 30)
    )
    assert [r.pk for r in first] == [r.pk for r in second]
    # All services: Q2 has 10 food + 5 visits.
    assert [r.value for r in second] == [D(10), D(15)]


def test_household_distribution_share(cast, stage):
    indicator = make_indicator(
        stage, code="HH", rule="non_summing", unit="percentage", targets=[50, 60, 70, 80]
    )
    services.indicator_rule_set(
        actor=cast.mne,
        indicator=indicator,
        rule_type="household_distribution_share",
        params={"service_types": "FOOD"},
    )
    (q1,) = services.indicator_compute_all(
        actor=None, indicator=indicator, as_of=dt.date(2026, 3, 31)
    )
    # 20 enrolled households, 10 received food in Q1.
    assert (q1.numerator, q1.denominator, q1.value) == (D(10), D(20), D("50.00"))


def test_people_enrolled(cast, stage):
    indicator = make_indicator(stage, code="ENR", rule="cumulative", targets=[20, 20, 20, 20])
    services.indicator_rule_set(actor=cast.mne, indicator=indicator, rule_type="people_enrolled")
    (q1,) = services.indicator_compute_all(
        actor=None, indicator=indicator, as_of=dt.date(2026, 1, 15)
    )
    assert q1.value == D(20)


def test_unknown_rule_type_is_refused_with_its_name(cast, stage):
    from django.core.exceptions import ValidationError

    indicator = make_indicator(stage, code="X")
    with pytest.raises(ValidationError) as error:
        services.indicator_rule_set(actor=cast.mne, indicator=indicator, rule_type="magic")
    assert "magic" in str(error.value)


def test_households_served_counts_each_household_once(cast, stage):
    from bakti.delivery.models import ServiceDelivery

    indicator = make_indicator(
        stage, code="HHS", rule="cumulative", targets=[10, 20, 30, 40], disaggregations=["region"]
    )
    services.indicator_rule_set(actor=cast.mne, indicator=indicator, rule_type="households_served")
    results = services.indicator_compute_all(
        actor=None, indicator=indicator, as_of=dt.date(2026, 6, 30)
    )
    expected = {
        d.household_id
        for d in ServiceDelivery.objects.filter(
            program=stage, delivered_on__lte=dt.date(2026, 6, 30)
        )
    }
    assert results[-1].value == D(len(expected))
    by_region = {v.category: v.value for v in results[-1].values.all()}
    assert sum(by_region.values()) == D(len(expected))
