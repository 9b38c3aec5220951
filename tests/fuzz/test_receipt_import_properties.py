"""The returned distribution list (bakti.delivery round_import_receipts), fuzzed: whatever the
file holds, the import answers with counts and row errors (row, column, value, reason), never
an exception."""

import csv
import io
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import example, given
from hypothesis import strategies as st

from bakti.delivery.services import round_import_receipts

from .conftest import FUZZ

# No recipients: every "received" line is refused as not on the list, so nothing is recorded
# and the round itself is never touched; what is fuzzed is the reading of the file.
ROUND = SimpleNamespace(pk=0)

marks = st.sampled_from(["", "ya", "yes", "x", "✓", "0", "belum", "maybe", "=1+1"])
lines = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.sampled_from(["Infinity", "-inf", "NaN", "sNaN", "1e999999999", "1E+30", "2.0", "2,0"]),
    st.text(max_size=12),
)


def _upload(raw: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("list.csv", raw, content_type="text/csv")


def _run(raw: bytes):
    return round_import_receipts(
        actor=None,
        distribution=ROUND,
        recipients=[],
        upload=_upload(raw),
        delivered_on=None,
    )


@FUZZ
@given(
    rows=st.lists(st.tuples(lines, marks), max_size=10),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
@example(rows=[("Infinity", "ya")], delimiter=",", encoding="utf-8")
@example(rows=[("1e999999999", "ya")], delimiter=",", encoding="utf-8")
def test_every_line_is_counted_skipped_or_refused_with_a_reason(db, rows, delimiter, encoding):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["line", "name", "received"])
    for line, mark in rows:
        writer.writerow([line, "Budi", mark])
    try:
        raw = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return
    result = _run(raw)
    assert result.recorded == 0
    assert result.skipped + len(result.errors) == len(rows)
    for error in result.errors:
        assert error.row >= 2 and error.column and isinstance(error.value, str) and error.reason


@FUZZ
@given(st.binary(max_size=3000))
@example(b'line,received\n"1,ya\n' + b"x" * 200_000)
@example(b"\xff\xfe\x00l\x00i")
def test_any_bytes_give_a_result_not_an_exception(db, raw):
    result = _run(raw)
    for error in result.errors:
        assert error.row >= 1 and error.reason
