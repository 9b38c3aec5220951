"""The finance officer records spending on a phone, the manager approves it on a desktop, and
the budget-vs-actual page shows it. Real chromium through Playwright against a real server,
logged in through the login form (the shared fixtures in ``tests/e2e/conftest.py``)."""

from decimal import Decimal

import pytest

pytestmark = pytest.mark.browser


def test_officer_records_manager_approves_and_budget_vs_actual_updates(
    live_server, live_cast, phone_context, page, login, csp_violations, shot
):
    from bakti.finance import ledger
    from bakti.finance.models import EntryStatus, Expenditure
    from bakti.finance.tests import factories

    cast = live_cast
    line = factories.line(cast.department, "10000000", code="BS.01")

    # The finance officer, on a phone, records a payment in Indonesian number format.
    officer = phone_context.new_page()
    login(officer, cast.finance)
    officer.goto(f"{live_server.url}/finance/expenditures/new/?line={line.pk}")
    officer.fill("#id_date", "2026-04-14")
    officer.fill("#id_reference", "SP2D-0042")
    officer.fill("#id_payee", "UD Barokah Sembako")
    officer.fill("#id_description", "Paket sembako lansia")
    officer.fill("#id_amount", "2.500.000")
    shot(officer, "finance-expenditure-new-phone")
    officer.click("main form button[type=submit]")
    officer.wait_for_url("**/finance/expenditures/*/")
    assert "Menunggu persetujuan" in officer.inner_text("#entry-status")
    shot(officer, "finance-expenditure-pending-phone")
    # The recorder is told that someone else must approve, and gets no approve button.
    assert officer.locator("form[action$='/approve/']").count() == 0
    entry = Expenditure.objects.get()
    assert entry.amount == Decimal("2500000")

    # The manager approves it.
    login(page, cast.manager)
    page.goto(f"{live_server.url}/finance/expenditures/{entry.pk}/")
    shot(page, "finance-expenditure-approve")
    page.click("form[action$='/approve/'] button[type=submit]")
    page.wait_for_load_state()
    assert "Disetujui" in page.inner_text("#entry-status")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.decided_by == cast.manager

    # Budget versus actual shows the realisation, and it matches the books.
    page.goto(f"{live_server.url}/finance/?group_by=line")
    table = page.inner_text("#results")
    assert "Rp 2.500.000" in table
    assert "Rp 7.500.000" in table  # what remains of the line
    shot(page, "finance-budget-vs-actual")
    assert ledger.figures_of_line(line).realised == Decimal("2500000")
    page.goto(f"{live_server.url}/finance/absorption/")
    assert page.locator("svg.finance-chart polyline").count() >= 1
    shot(page, "finance-absorption")
    assert csp_violations == []
