"""The computed indicator "cases closed with their plan's goals met" counts the cases of the
households the program enrols, closed for that reason within the period."""

import datetime as dt
from decimal import Decimal

from bakti.monitoring.rules import compute_cases_closed_goals_met

from .factories import make_case


def test_cases_closed_with_goals_met_in_the_period(cast, tracked):
    from bakti.registry.models import Enrolment, Household

    enrolled, other = (
        Household.objects.create(no_kk=f"34040000000000{n}", region_id="34.04.01.2001")
        for n in (1, 2)
    )
    Enrolment.objects.create(
        program=tracked,
        household=enrolled,
        region_id=enrolled.region_id,
        status="enrolled",
        enrolled_on=dt.date(2026, 1, 1),
    )
    closures = [
        (enrolled, "goals_met", dt.date(2026, 2, 10)),  # counted
        (enrolled, "goals_met", dt.date(2026, 3, 31)),  # counted
        (enrolled, "goals_met", dt.date(2026, 4, 1)),  # next quarter
        (enrolled, "moved", dt.date(2026, 2, 10)),  # another reason
        (other, "goals_met", dt.date(2026, 2, 10)),  # not the program's household
    ]
    for number, (household, reason, closed_on) in enumerate(closures):
        make_case(
            cast, household, number, status="closed", closure_reason=reason, closed_on=closed_on
        )
    result = compute_cases_closed_goals_met(
        tracked, {}, dt.date(2026, 1, 1), dt.date(2026, 3, 31), []
    )
    assert result.value == Decimal(2)
