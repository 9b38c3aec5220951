"""Absorption (serapan) and the forecast, pinned with worked examples."""

import datetime as dt
from decimal import Decimal

from bakti.finance import analysis, services
from bakti.finance.models import BudgetLine

from . import factories


def _year_with_spending(cast):
    """A 120.000.000 line planned at 10.000.000 a month; spent 8.000.000 in each of
    January-June and 20.000.000 on 15 July (FY 2026 = calendar 2026)."""
    line = factories.line(cast.department, "120000000")
    services.disbursement_plan_spread(actor=cast.finance, line=line)
    for month in range(1, 7):
        factories.spend(cast.finance, cast.manager, line, "8000000", dt.date(2026, month, 10))
    factories.spend(cast.finance, cast.manager, line, "20000000", dt.date(2026, 7, 15))
    return line


def test_monthly_and_quarterly_absorption_against_the_plan(cast):
    line = _year_with_spending(cast)
    months, quarters = analysis.absorption(BudgetLine.objects.filter(pk=line.pk), line.fiscal_year)
    assert [m.label for m in months][:2] == ["01/2026", "02/2026"]
    june = months[5]
    assert june.planned_cumulative == Decimal("60000000")
    assert june.realised_cumulative == Decimal("48000000")
    assert june.realised_rate == Decimal("0.4")  # 48 / 120
    assert june.planned_rate == Decimal("0.5")
    assert june.gap == Decimal("0.1")
    q1, _q2, q3, q4 = quarters
    assert (q1.planned, q1.realised) == (Decimal("30000000"), Decimal("24000000"))
    assert q3.realised == Decimal("20000000")
    assert q3.realised_cumulative == Decimal("68000000")
    assert q4.realised == 0
    assert q4.planned_cumulative == Decimal("120000000")


def test_burn_rate_and_forecast_follow_the_completed_months(cast):
    line = _year_with_spending(cast)
    months, _q = analysis.absorption(BudgetLine.objects.filter(pk=line.pk), line.fiscal_year)
    # On 20 July six months are complete: 48.000.000 / 6 = 8.000.000 a month; over twelve
    # months that is 96.000.000, 80% of the budget. July's spending so far counts to date.
    result = analysis.forecast(months, line.fiscal_year, dt.date(2026, 7, 20))
    assert result.completed_months == 6
    assert result.burn_rate == Decimal("8000000.00")
    assert result.year_end == Decimal("96000000.00")
    assert result.year_end_absorption == Decimal("0.8")
    assert result.realised_to_date == Decimal("68000000")
    assert result.unspent == Decimal("24000000.00")
    # On 31 July July is complete: 68.000.000 / 7 x 12 = 116.571.428,57.
    result = analysis.forecast(months, line.fiscal_year, dt.date(2026, 7, 31))
    assert result.completed_months == 7
    assert result.year_end == Decimal("116571428.57")


def test_no_forecast_before_a_month_is_complete_and_actuals_after_the_year(cast):
    line = _year_with_spending(cast)
    months, _q = analysis.absorption(BudgetLine.objects.filter(pk=line.pk), line.fiscal_year)
    early = analysis.forecast(months, line.fiscal_year, dt.date(2026, 1, 20))
    assert early.burn_rate is None and early.year_end is None
    after = analysis.forecast(months, line.fiscal_year, dt.date(2027, 2, 1))
    assert after.year_end == Decimal("68000000.00")


def test_alerts_for_lagging_absorption_and_over_commitment(cast):
    line = _year_with_spending(cast)
    lines = BudgetLine.objects.filter(pk=line.pk)
    # End of June: plan 60, realised 48: a lag of 10% of the budget, not more than 10%.
    assert analysis.alerts(lines, dt.date(2026, 6, 30), margin=Decimal("0.10")) == []
    # 1 August: plan 80 (Aug counts from its first day), realised 68: 10% again, but with a
    # margin of 5% it is flagged.
    lagging = analysis.alerts(lines, dt.date(2026, 8, 1), margin=Decimal("0.05"))
    assert [a.kind for a in lagging] == ["lagging"]
    assert "10%" in lagging[0].message
    over = factories.line(cast.department, "100")
    entry = services.expenditure_record(
        actor=cast.finance,
        line=over,
        date=dt.date(2026, 3, 1),
        amount=Decimal("150"),
        payee="p",
        description="d",
    )
    services.entry_approve(cast.manager, entry, override_reason="darurat")
    kinds = [
        a.kind for a in analysis.alerts(BudgetLine.objects.filter(pk=over.pk), dt.date(2026, 3, 2))
    ]
    assert kinds == ["over_committed"]
