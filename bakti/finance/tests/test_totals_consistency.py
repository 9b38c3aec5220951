"""Every total, in every view and export, equals the sum of approved expenditures."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from bakti.finance import services
from bakti.finance.models import EntryStatus, Expenditure

from . import factories


@pytest.fixture
def books(cast):
    """Three programs, two funding sources, approved, pending, rejected and reversed
    spending, a foreign-currency payment and an open commitment."""
    apbd = factories.funding_source("APBD-KAB", "apbd_district")
    csr = factories.funding_source("CSR-BANK", "csr")
    lines = []
    for n, source in enumerate([apbd, csr, apbd]):
        prog = factories.program(cast.department, code=f"P{n}")
        lines.append(factories.line(cast.department, "50000000", prog=prog, source=source))
        lines.append(
            factories.line(
                cast.division_rehsos, "20000000", prog=prog, source=csr, account_code="5.1.06"
            )
        )
    amounts = ["1250000", "3000000.50", "777777", "10000000", "2500000", "400000"]
    for line, amount in zip(lines, amounts, strict=True):
        factories.spend(cast.finance, cast.manager, line, amount, dt.date(2026, 4, 2))
    wrong = factories.spend(cast.finance, cast.manager, lines[0], "999999")
    reversal = services.entry_reverse(cast.finance, wrong, reason="double entry")
    services.entry_approve(cast.manager, reversal)
    factories.spend(
        cast.finance,
        cast.manager,
        lines[1],
        "100",
        currency="USD",
        exchange_rate=Decimal("16000"),
    )
    services.expenditure_record(
        actor=cast.finance,
        line=lines[2],
        date=dt.date(2026, 5, 1),
        amount=Decimal("5"),
        payee="p",
        description="pending",
    )
    rejected = services.expenditure_record(
        actor=cast.finance,
        line=lines[2],
        date=dt.date(2026, 5, 1),
        amount=Decimal("7"),
        payee="p",
        description="rejected",
    )
    services.entry_reject(cast.manager, rejected, reason="no")
    commitment = services.commitment_record(
        actor=cast.finance,
        line=lines[3],
        date=dt.date(2026, 5, 1),
        amount=Decimal("1000000"),
        payee="c",
        description="SPK",
    )
    services.entry_approve(cast.manager, commitment)
    total = sum(
        Expenditure.objects.filter(status=EntryStatus.APPROVED).values_list(
            "amount_idr", flat=True
        ),
        Decimal("0"),
    )
    assert total == Decimal("17927777.50") + Decimal("1600000")
    return total


@pytest.mark.parametrize(
    "group_by",
    ["line", "activity", "output", "program", "funding_source", "org_unit", "account_class"],
)
def test_budget_vs_actual_page_and_csv_totals(client, cast, books, group_by):
    client.force_login(cast.manager)
    response = client.get("/finance/", {"group_by": group_by, "fiscal_year": ""})
    assert response.status_code == 200
    assert response.context["total"].realised == books
    assert sum(r.figures.realised for r in response.context["page"].paginator.object_list) == books
    export = client.get("/finance/", {"group_by": group_by, "fiscal_year": "", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    header, body, total_row = rows[0], rows[1:-1], rows[-1]
    column = 4  # label, original, budget, committed, realised
    assert len(header) == 8
    assert sum(Decimal(r[column]) for r in body) == books
    assert Decimal(total_row[column]) == books


def test_realisation_report_api_and_absorption_totals(client, cast, books):
    client.force_login(cast.finance)
    report = client.get("/finance/report/", {"fiscal_year": ""})
    assert report.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(report.streaming_content))).worksheets[0]
    grand = [
        row
        for row in sheet.iter_rows(values_only=True)
        if row[0] in ("Grand total", "Total keseluruhan")
    ]
    assert Decimal(str(grand[0][8])) == books
    summary = client.get("/api/v1/finance/summary", {"group_by": "funding_source"}).json()
    assert Decimal(summary["total"]["realised"]) == books
    assert sum(Decimal(r["figures"]["realised"]) for r in summary["rows"]) == books
    lines = client.get("/api/v1/finance/lines", {"limit": 100}).json()
    assert sum(Decimal(i["figures"]["realised"]) for i in lines["items"]) == books
    year = factories.fiscal_year()
    absorption = client.get("/finance/absorption/", {"fiscal_year": year.pk})
    assert absorption.context["months"][-1].realised_cumulative == books
    assert absorption.context["forecast"].realised_to_date == books
    api_absorption = client.get("/api/v1/finance/absorption", {"fiscal_year": 2026}).json()
    assert Decimal(api_absorption["months"][-1]["realised_cumulative"]) == books
