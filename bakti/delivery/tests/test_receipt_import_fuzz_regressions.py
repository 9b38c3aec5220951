"""Returned lists that the fuzz tests (tests/fuzz/test_receipt_import_properties.py) found to
crash or hang the receipt import; each now gives a row error."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bakti.delivery.services import round_import_receipts


def _run(raw: bytes):
    return round_import_receipts(
        actor=None,
        distribution=SimpleNamespace(pk=0),
        recipients=[],
        upload=SimpleUploadedFile("list.csv", raw),
        delivered_on=None,
    )


@pytest.mark.parametrize("line", ["Infinity", "-inf", "NaN", "1e999999999", "12345678901"])
def test_a_line_that_is_not_a_plain_whole_number_is_a_row_error(db, line):
    result = _run(f"line,received\n{line},ya\n".encode())
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "line", line)]


def test_an_unclosed_quote_is_a_row_error_not_a_crash(db):
    result = _run(b'line,received\n1,"ya\n' + b"x" * 200_000)
    assert result.errors and result.errors[-1].row == 2
