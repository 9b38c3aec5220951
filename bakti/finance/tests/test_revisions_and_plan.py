import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from bakti.finance import services
from bakti.finance.models import BudgetRevision, DisbursementPlan

from . import factories


def test_a_revision_keeps_the_original_and_every_revised_amount(cast):
    line = factories.line(cast.department, "1000000")
    services.budget_line_revise(
        actor=cast.manager,
        line=line,
        new_amount=Decimal("1500000"),
        reason="APBD Perubahan",
        revised_on=dt.date(2026, 8, 1),
    )
    services.budget_line_revise(
        actor=cast.manager, line=line, new_amount=Decimal("1400000"), reason="Efisiensi"
    )
    line.refresh_from_db()
    assert line.original_amount == Decimal("1000000")
    assert line.amount == Decimal("1400000")
    history = list(
        BudgetRevision.objects.filter(line=line).values_list(
            "previous_amount", "new_amount", "reason"
        )
    )
    assert history == [
        (Decimal("1000000"), Decimal("1500000"), "APBD Perubahan"),
        (Decimal("1500000"), Decimal("1400000"), "Efisiensi"),
    ]


def test_a_revision_needs_a_reason_and_cannot_go_below_what_is_used(cast):
    line = factories.line(cast.department, "1000000")
    factories.spend(cast.finance, cast.manager, line, "600000")
    with pytest.raises(ValidationError):
        services.budget_line_revise(
            actor=cast.manager, line=line, new_amount=Decimal("9"), reason=""
        )
    with pytest.raises(ValidationError) as caught:
        services.budget_line_revise(
            actor=cast.manager, line=line, new_amount=Decimal("500000"), reason="potong"
        )
    assert "new_amount" in caught.value.message_dict


def test_a_stale_revision_is_refused(cast):
    line = factories.line(cast.department, "1000000")
    version = line.version
    services.budget_line_revise(
        actor=cast.manager,
        line=line,
        new_amount=Decimal("1100000"),
        reason="a",
        expected_version=version,
    )
    with pytest.raises(ValidationError, match="someone else"):
        services.budget_line_revise(
            actor=cast.finance,
            line=line,
            new_amount=Decimal("1200000"),
            reason="b",
            expected_version=version,
        )


def test_the_plan_stays_inside_the_year_and_the_amount(cast):
    line = factories.line(cast.department, "1200000")
    with pytest.raises(ValidationError, match="more than the line"):
        services.disbursement_plan_set(
            actor=cast.finance,
            line=line,
            amounts={
                dt.date(2026, 1, 1): Decimal("1000000"),
                dt.date(2026, 2, 1): Decimal("300000"),
            },
        )
    with pytest.raises(ValidationError, match="outside fiscal year"):
        services.disbursement_plan_set(
            actor=cast.finance, line=line, amounts={dt.date(2027, 1, 1): Decimal("1")}
        )
    services.disbursement_plan_spread(actor=cast.finance, line=line)
    amounts = list(DisbursementPlan.objects.filter(line=line).values_list("amount", flat=True))
    assert len(amounts) == 12
    assert sum(amounts) == Decimal("1200000")


def test_an_uneven_spread_puts_the_remainder_in_the_last_month(cast):
    line = factories.line(cast.department, "100")
    services.disbursement_plan_spread(actor=cast.finance, line=line)
    amounts = list(DisbursementPlan.objects.filter(line=line).values_list("amount", flat=True))
    assert amounts[:11] == [Decimal("8.33")] * 11
    assert amounts[11] == Decimal("8.37")
    assert sum(amounts) == Decimal("100")


def test_the_fiscal_year_follows_the_configured_start_month():
    assert services.fiscal_year_dates(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert services.fiscal_year_dates(2026, 4) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))


@pytest.mark.django_db
@override_settings(BAKTI_FISCAL_YEAR_START_MONTH=7)
def test_a_fiscal_year_created_with_a_july_start_runs_july_to_june():
    year = services.fiscal_year_create(actor=None, year=2026)
    assert (year.start_date, year.end_date) == (dt.date(2026, 7, 1), dt.date(2027, 6, 30))
    assert str(year) == "2026/2027"
    assert [m.month for m in year.months()] == [7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]


def test_a_line_must_pay_for_an_activity_or_output_of_its_own_program(cast):
    prog = factories.program(cast.department)
    other = factories.program(cast.department)
    foreign_output = factories.output(other)
    base = {
        "actor": cast.finance,
        "program": prog,
        "fiscal_year": factories.fiscal_year(),
        "account_class": factories.account(),
        "funding_source": factories.funding_source(),
        "description": "x",
        "amount": Decimal("1"),
    }
    with pytest.raises(ValidationError) as caught:
        services.budget_line_create(**base)
    assert "activity" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.budget_line_create(**base, output=foreign_output)
    assert "output" in caught.value.message_dict
    own_output = factories.output(prog)
    act = factories.activity(prog, own_output)
    line = services.budget_line_create(**base, activity=act)
    assert line.output == own_output  # taken from the activity
    assert line.org_unit == prog.org_unit


def test_entries_must_fall_in_the_fiscal_year_and_be_positive(cast):
    line = factories.line(cast.department, "1000")
    with pytest.raises(ValidationError) as caught:
        services.expenditure_record(
            actor=cast.finance,
            line=line,
            date=dt.date(2025, 12, 31),
            amount=Decimal("-5"),
            payee="p",
            description="d",
            currency="IDR",
            exchange_rate=Decimal("2"),
        )
    assert set(caught.value.message_dict) == {"date", "amount", "exchange_rate"}
