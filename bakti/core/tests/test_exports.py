"""CSV/XLSX exports: formulas neutralised, numbers and dates kept as values."""

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from bakti.core.exports import Column, export_response
from bakti.core.row_errors import RowError, write_error_report
from bakti.core.spreadsheet_safety import neutralise

ROWS = [
    {"name": "=cmd|' /C calc'!A0", "amount": Decimal("-1250000.50"), "day": dt.date(2026, 11, 27)},
    {"name": "+62 812", "amount": Decimal("10"), "day": None},
    {"name": "@SUM(A1)", "amount": Decimal("0"), "day": None},
    {"name": "-minus", "amount": None, "day": None},
    {"name": "\tTab", "amount": None, "day": None},
    {"name": "Siti Aminah", "amount": None, "day": None},
]
COLUMNS = [
    Column("Name", lambda r: r["name"]),
    Column("Amount", lambda r: r["amount"]),
    Column("Day", lambda r: r["day"]),
]


def test_neutralise_prefixes_every_formula_start() -> None:
    for dangerous in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("Siti") == "Siti"
    assert neutralise(-5) == -5


def test_csv_export_neutralises_formulas_and_keeps_numbers() -> None:
    response = export_response(ROWS, COLUMNS, filename="test", file_format="csv")
    assert response["Content-Disposition"] == 'attachment; filename="test.csv"'
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Name,Amount,Day"
    assert lines[1] == "'=cmd|' /C calc'!A0,-1250000.50,2026-11-27"
    assert lines[2].startswith("'+62 812,10,")
    assert lines[3].startswith("'@SUM(A1)")
    assert lines[4].startswith("'-minus")
    assert lines[6].startswith("Siti Aminah")


def test_xlsx_export_neutralises_formulas_and_keeps_types() -> None:
    response = export_response(ROWS, COLUMNS, filename="test", file_format="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0] == ("Name", "Amount", "Day")
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][1] == -1250000.5
    assert rows[1][2] == dt.datetime(2026, 11, 27)
    assert rows[2][0] == "'+62 812"
    assert all(not str(cell).startswith("=") for row in rows for cell in row if cell)


def test_error_reports_neutralise_the_bad_value() -> None:
    out = io.StringIO()
    count = write_error_report([RowError(3, "name", "=HACK()", "bad")], out)
    assert count == 1
    assert "'=HACK()" in out.getvalue()
