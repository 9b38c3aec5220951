"""The demo budgets load through the services and show what the issue asks for."""

import pytest
from django.utils import timezone

from bakti.accounts import demo as accounts_demo
from bakti.core.demo import DemoContext
from bakti.finance import analysis, ledger
from bakti.finance import demo as finance_demo
from bakti.finance.models import BudgetLine, EntryStatus, Expenditure, FundingSource
from bakti.programs import demo as programs_demo


@pytest.mark.django_db
def test_the_demo_has_budgets_spending_lagging_lines_and_one_over_committed_line(client):
    from conftest import make_regions

    make_regions()
    ctx = DemoContext(password="a-Demo-password-1")
    # Only the apps the finance demo builds on, so this test does not depend on the others.
    for module in (accounts_demo, programs_demo, finance_demo):
        module.load(ctx)
    lines = BudgetLine.objects.all()
    assert lines.count() >= 12
    used_sources = FundingSource.objects.filter(lines__isnull=False).distinct().count()
    assert used_sources >= 3
    approved = Expenditure.objects.filter(status=EntryStatus.APPROVED)
    assert approved.count() > 50
    assert {e.recorded_by.username for e in approved.select_related("recorded_by")} == {"keuangan"}
    assert {e.decided_by.username for e in approved.select_related("decided_by")} == {"manajer"}
    figures = ledger.figures_by_line(lines)
    assert sum(1 for f in figures.values() if f.over_committed) == 1
    kinds = [a.kind for a in analysis.alerts(lines, timezone.localdate())]
    assert "lagging" in kinds
    assert Expenditure.objects.filter(status=EntryStatus.PENDING).exists()
    assert Expenditure.objects.filter(reverses__isnull=False).exists()

    # Every finance page renders with the demo data, for the officer and the manager.
    line = lines.first()
    entry = approved.first()
    for username in ("keuangan", "manajer"):
        client.force_login(ctx.users[username])
        for url in (
            "/finance/",
            "/finance/?group_by=line",
            "/finance/absorption/",
            f"/finance/lines/{line.pk}/",
            "/finance/expenditures/",
            "/finance/commitments/",
            f"/finance/expenditures/{entry.pk}/",
            "/finance/setup/",
            "/finance/report/",
        ):
            assert client.get(url).status_code == 200, (username, url)
