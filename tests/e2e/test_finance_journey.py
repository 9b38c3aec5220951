"""The finance officer records spending, the manager approves it, and the budget-vs-actual page
shows it. Real chromium through Playwright against a real server."""

import os
import shutil
from decimal import Decimal

import pytest
from django.test import Client

from conftest import make_cast

pytestmark = pytest.mark.browser

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = _chromium()
    if executable is None:
        pytest.skip("chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


def _page_as(browser, live_server, user, viewport=None):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport=viewport or {"width": 1280, "height": 900}, locale="id-ID"
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def test_officer_records_manager_approves_and_budget_vs_actual_updates(
    live_server, transactional_db, browser
):
    from bakti.finance import ledger
    from bakti.finance.models import EntryStatus, Expenditure
    from bakti.finance.tests import factories

    cast = make_cast()
    line = factories.line(cast.department, "10000000", code="BS.01")

    # The finance officer, on a phone, records a payment in Indonesian number format.
    officer = _page_as(browser, live_server, cast.finance, PHONE)
    officer.goto(f"{live_server.url}/finance/expenditures/new/?line={line.pk}")
    officer.fill("#id_date", "2026-04-14")
    officer.fill("#id_reference", "SP2D-0042")
    officer.fill("#id_payee", "UD Barokah Sembako")
    officer.fill("#id_description", "Paket sembako lansia")
    officer.fill("#id_amount", "2.500.000")
    officer.click("main form button[type=submit]")
    officer.wait_for_url("**/finance/expenditures/*/")
    assert "Menunggu persetujuan" in officer.inner_text("#entry-status")
    # The recorder is told that someone else must approve, and gets no approve button.
    assert officer.locator("form[action$='/approve/']").count() == 0
    entry = Expenditure.objects.get()
    assert entry.amount == Decimal("2500000")

    # The manager approves it.
    manager = _page_as(browser, live_server, cast.manager)
    manager.goto(f"{live_server.url}/finance/expenditures/{entry.pk}/")
    manager.click("form[action$='/approve/'] button[type=submit]")
    manager.wait_for_load_state()
    assert "Disetujui" in manager.inner_text("#entry-status")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.decided_by == cast.manager

    # Budget versus actual shows the realisation, and it matches the books.
    manager.goto(f"{live_server.url}/finance/?group_by=line")
    table = manager.inner_text("#results")
    assert "Rp 2.500.000" in table
    assert "Rp 7.500.000" in table  # what remains of the line
    assert ledger.figures_of_line(line).realised == Decimal("2500000")
