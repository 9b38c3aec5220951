"""The laporan realisasi anggaran opens with openpyxl and its subtotals add up."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
from django.utils import translation

from bakti.finance.models import BudgetLine
from bakti.finance.report import write_realisation_report

from . import factories


def test_each_program_subtotal_and_the_grand_total_equal_the_sums_of_their_lines(cast):
    for n in range(3):
        prog = factories.program(cast.department, code=f"R{n}")
        for k, amount in enumerate(["1000000", "2500000", "333333"][: n + 1]):
            line = factories.line(cast.department, "9000000", prog=prog, code=f"{n}.{k}")
            factories.spend(cast.finance, cast.manager, line, amount)
    out = io.BytesIO()
    with translation.override("en"):
        write_realisation_report(
            BudgetLine.objects.all(), out, title="LRA 2026", as_of=dt.date(2026, 11, 27)
        )
    out.seek(0)
    workbook = openpyxl.load_workbook(out)
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    money_columns = range(5, 10)  # original, budget, committed, realised, remaining
    block: list[tuple] = []
    subtotals = 0
    grand_sum = [Decimal(0)] * 10
    for row in rows:
        label = str(row[0] or "")
        if label.startswith("Subtotal ") and not row[1]:
            for col in money_columns:
                assert Decimal(str(row[col])) == sum(Decimal(str(r[col])) for r in block)
            subtotals += 1
            block = []
        elif label in ("Grand total",):
            for col in money_columns:
                assert Decimal(str(row[col])) == grand_sum[col]
        else:
            block.append(row)
            for col in money_columns:
                grand_sum[col] += Decimal(str(row[col]))
    assert subtotals == 3
    assert grand_sum[8] == Decimal("1000000") * 3 + Decimal("2500000") * 2 + Decimal("333333")
    by_source = workbook.worksheets[1]
    last = list(by_source.iter_rows(values_only=True))[-1]
    assert Decimal(str(last[4])) == grand_sum[8]
