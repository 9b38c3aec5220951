"""People reached: aid handed to a household reaches the people who live in it."""

import datetime as dt
from decimal import Decimal

import pytest

from bakti.monitoring.tests.factories import make_program
from bakti.reports.data import people_reached
from bakti.reports.rollups import reach_rebuild

DESA_A = "34.04.01.2001"


@pytest.mark.django_db
def test_household_and_person_deliveries_each_count_their_people_once(cast) -> None:
    from bakti.delivery.models import ServiceDelivery, ServiceType
    from bakti.registry.models import Enrolment, Household, Person

    program = make_program(cast.department, manager=cast.manager)
    food = ServiceType.objects.create(
        program=program, code="FOOD", name="Food package", category="food", unit="package"
    )

    def household(number: int, members: int) -> tuple[Household, list[Person]]:
        home = Household.objects.create(no_kk=f"3404{number:012d}", region_id=DESA_A)
        people = [
            Person.objects.create(
                full_name=f"Member {number}-{i}",
                sex="F" if i % 2 else "M",
                birth_date=dt.date(1980 + i, 1, 1),
                household=home,
                region_id=DESA_A,
            )
            for i in range(members)
        ]
        return home, people

    family, members = household(1, 3)
    single_home, (single, _sibling) = household(2, 2)
    household(3, 4)  # nothing delivered here

    def deliver(**target: object) -> None:
        enrolment, _created = Enrolment.objects.get_or_create(
            program=program,
            household=target["household"],
            defaults={"region_id": DESA_A, "status": "enrolled"},
        )
        ServiceDelivery.objects.create(
            enrolment=enrolment,
            program=program,
            service_type=food,
            region_id=DESA_A,
            quantity=1,
            value=Decimal("150000"),
            delivered_on=dt.date(2026, 3, 1),
            **target,
        )

    deliver(household=family)  # to the whole family: its three members are reached
    deliver(household=family, person=members[0])  # one of them again, by name: still once
    deliver(household=single_home, person=single)  # one named person of a two-person home

    reach_rebuild()  # the deliveries above were written directly, not through the services
    reached = people_reached([program.pk], dt.date(2026, 1, 1), dt.date(2026, 12, 31))

    assert reached.total == 4
    by_sex = next(b for b in reached.breakdowns if b.dimension == "sex")
    assert sum(count for _code, _label, count in by_sex.rows) == 4
