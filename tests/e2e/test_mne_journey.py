"""The M&E officer approves a survey indicator value, opens the tracking table and downloads
the program report as PDF and XLSX (both files opened and checked). Real chromium through
Playwright against a real server."""

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.browser


@pytest.fixture
def survey(live_cast):
    from bakti.monitoring import services
    from bakti.monitoring.tests.factories import make_indicator, make_program

    program = make_program(live_cast.division_rehsos, code="LANSIA-1", manager=live_cast.manager)
    indicator = make_indicator(
        program,
        code="OC-SURV",
        name="Older people satisfied with home care (%)",
        rule="non_summing",
        unit="percentage",
        targets=[60, 65, 70, 75],
    )
    result = services.indicator_result_save(
        actor=live_cast.officer,
        indicator=indicator,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        value="63.5",
        note="Satisfaction survey, 120 respondents",
    )
    services.indicator_result_submit(actor=live_cast.officer, result=result)
    return program, result


def test_mne_officer_approves_tracks_and_downloads_the_report(
    live_server, live_cast, page, login, survey, shot
):
    program, result = survey
    # Generous timeouts: the machine may be busy; nothing here measures speed.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    login(page, live_cast.mne)

    # The value waits for approval; the M&E officer opens it and approves it.
    page.goto(f"{live_server.url}/monitoring/actuals/?status=submitted")
    shot(page, "monitoring-actuals-submitted")
    page.locator(f"a[href='/monitoring/actuals/{result.pk}/']").click()
    shot(page, "monitoring-actual-approve")
    page.locator(f"form[action='/monitoring/actuals/{result.pk}/approve/'] button").click()
    page.wait_for_load_state()
    result.refresh_from_db()
    assert result.status == "approved"
    assert result.approved_by == live_cast.mne

    # The tracking table counts it now.
    page.goto(f"{live_server.url}/monitoring/programs/{program.pk}/tracking/?as_of=2026-03-31")
    actual = page.locator("[data-itt='to-date-actual']").first.inner_text().strip()
    assert actual in {"63,50", "63.50"}
    shot(page, "monitoring-tracking-table")

    # The program report, as PDF and as XLSX.
    page.goto(f"{live_server.url}/reports/programs/{program.pk}/report/?quarter=2026-Q1")
    shot(page, "reports-program-report")
    with page.expect_download() as pdf_download:
        page.locator("#download-pdf").click()
    pdf = Path(pdf_download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000

    with page.expect_download() as xlsx_download:
        page.locator("#download-xlsx").click()
    workbook = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert len(workbook.sheetnames) == 7
    itt = list(workbook.worksheets[2].iter_rows(values_only=True))
    first_period = next(r for r in itt[1:] if r[0] == "OC-SURV" and r[7] == dt.datetime(2026, 1, 1))
    assert first_period[11] == 63.5  # the approved value
    assert first_period[10] == 60  # its target
