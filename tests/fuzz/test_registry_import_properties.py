"""Registry import, fuzzed: every value parser, the row checker and the CSV/XLSX readers.

Properties: no input makes them raise anything but their own "bad value" / "unreadable file"
errors; a bad value becomes a row error that names the row, the column and the value; good
values (and whole tables, in any of the encodings and delimiters offices use) round-trip.
The hand-picked cases of each parser are in bakti/registry/tests/test_import_parsing.py.
"""

import contextlib
import csv
import datetime as dt
import io

from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bakti.core.scoping import Scope
from bakti.registry.importing.checking import ColumnPlan, RowChecker
from bakti.registry.importing.layouts import FIELDS, REGION_PARTS
from bakti.registry.importing.parsing import (
    BadValue,
    parse_desil,
    parse_kk,
    parse_nik,
    parse_region_code,
    region_from_parts,
)
from bakti.registry.importing.reading import (
    UnreadableFile,
    detect_format,
    open_sheet,
)

from .conftest import FUZZ

TODAY = dt.date(2026, 11, 27)
DESA = "34.04.01.2001"

# Text as people paste it: any Unicode, with a bias to digits (ASCII and others), separators
# and the characters spreadsheets and exports add.
cells = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789 .-/'=+", max_size=24),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³¹", min_size=1, max_size=18),
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
)


@FUZZ
@given(field=st.sampled_from(sorted(FIELDS)), value=cells)
@example(field="desil", value="²")
@example(field="rt", value="²")
def test_every_field_parser_returns_a_clean_value_or_a_bad_value_error(field, value):
    try:
        parsed = FIELDS[field].parse(value)
    except BadValue as error:
        assert str(error)
        return
    # What is stored as a number code (NIK, KK, RT/RW, region) is ASCII digits only.
    if field in {"nik", "no_kk", "rt", "rw", "region_code"}:
        assert parsed.replace(".", "").isascii()


@FUZZ
@given(st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３４５６７８９²³", min_size=1, max_size=20))
@example("３４０４０１１７０８７５０００１")
@example("١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦")
def test_numbers_in_other_scripts_are_refused_or_made_ascii(text):
    for parser in (parse_nik, parse_kk, parse_desil, parse_region_code):
        with contextlib.suppress(BadValue):
            result = str(parser(text))
            assert result.replace(".", "").isascii()


@FUZZ
@given(st.from_regex(r"\A[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}\Z"))
def test_region_codes_round_trip_with_dots_without_dots_and_in_parts(code):
    assert parse_region_code(code) == code
    assert parse_region_code(code.replace(".", "")) == code
    prop, kab, kec, desa = code.split(".")
    assert region_from_parts(prop, kab, kec, desa) == code
    assert region_from_parts(int(prop), int(kab), int(kec), int(desa)) == code


@FUZZ
@given(st.lists(cells, min_size=4, max_size=4))
def test_region_parts_never_crash(parts):
    with contextlib.suppress(BadValue):
        code = region_from_parts(*parts)
        assert parse_region_code(code) == code


def _checker(header):
    mapping = {name: name for name in header}
    return RowChecker(
        plan=ColumnPlan.build(header, mapping),
        desa_codes=frozenset({DESA}),
        scope=Scope(everything=True),
        kecamatan_codes=frozenset({"34.04.01"}),
        today=TODAY,
    )


ROW_FIELDS = sorted(FIELDS)


@FUZZ
@given(
    columns=st.lists(st.sampled_from(ROW_FIELDS + list(REGION_PARTS)), min_size=1, unique=True),
    values=st.lists(cells, min_size=0, max_size=len(ROW_FIELDS) + 4),
    number=st.integers(min_value=2, max_value=10**6),
)
def test_the_row_checker_never_crashes_and_every_error_names_row_column_and_value(
    columns, values, number
):
    checker = _checker(columns)
    with translation.override("en"):
        row, errors = checker.check(number, values)
        # A column in the file is named by its header; a missing one by the field's label.
        headers = {checker.plan.header_of(name) for name in [*FIELDS, "region_code"]}
    assert (row is None) == bool(errors)
    for error in errors:
        assert error.row == number
        assert error.column in headers
        assert isinstance(error.value, str)
        assert error.reason and error.reason != error.value
    if row is not None:
        assert row.household["region_id"] == DESA


# --- Files -----------------------------------------------------------------------------------

header_names = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool),
    min_size=1,
    max_size=6,
    unique=True,
)
# Cell text an office spreadsheet holds: letters (Indonesian, with the Windows-1252 extras),
# digits, punctuation, the delimiters themselves and quotes; no line breaks inside cells for
# the Windows-1252 case is not needed (csv quotes them).
cell_text = st.text(
    alphabet=st.sampled_from(list("abcXYZ 0123456789.,;\t|\"'-/éèüñ’–—€")), max_size=15
)


@FUZZ
@given(
    header=header_names,
    data=st.data(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    line_end=st.sampled_from(["\r\n", "\n"]),
)
def test_a_csv_table_round_trips_in_every_encoding_and_delimiter(
    header, data, encoding, delimiter, line_end
):
    # The delimiter must be the most frequent candidate on the header line to be recognised,
    # as it is for any real header (names do not contain separators).
    header = [
        "".join(ch for ch in name if ch not in ",;\t|\"'").strip() or f"c{i}"
        for i, name in enumerate(header)
    ]
    header = [f"{name}{i}" for i, name in enumerate(header)]
    rows = data.draw(
        st.lists(
            st.lists(cell_text, min_size=len(header), max_size=len(header)).filter(
                lambda r: any(c.strip() for c in r)
            ),
            max_size=8,
        )
    )
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows(rows)
    try:
        raw = out.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # the table has characters Windows-1252 cannot hold
    sheet = open_sheet(io.BytesIO(raw), detect_format("data.csv", raw[:8]))
    if len(header) > 1:
        assert sheet.header == [h.strip() for h in header]
    read = [cells for _, cells in sheet.rows]
    if len(header) > 1:
        assert read == rows


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["data.csv", "data.txt", "data", "data.xlsx"]))
@example(b"PK\x03\x04garbage", "data.xlsx")
@example(b"a,b\n" + b"x" * 200_000 + b",1\n", "data.csv")
@example(b"\xef\xbb\xbf", "data.csv")
@example(b"a,b\n\x00\x00,\x00\n", "data.csv")
def test_any_bytes_are_read_as_rows_or_refused_with_a_reason(raw, name):
    try:
        file_format = detect_format(name, raw[:8])
        sheet = open_sheet(io.BytesIO(raw), file_format)
        for number, row in sheet.rows:
            assert number >= 2
            assert isinstance(row, list)
    except UnreadableFile as error:
        assert str(error)


def _xlsx(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


xlsx_cells = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
    .filter(lambda t: t.strip() and not t.startswith("="))
    .map(str.strip),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
)


@settings(FUZZ, max_examples=25)
@given(
    st.lists(
        st.lists(xlsx_cells, min_size=3, max_size=3),
        min_size=1,
        max_size=5,
    )
)
def test_an_xlsx_table_round_trips(rows):
    raw = _xlsx(["NIK", "NAMA", "TGL_LAHIR"], rows)
    sheet = open_sheet(io.BytesIO(raw), detect_format("data.xlsx", raw[:8]))
    assert sheet.header == ["NIK", "NAMA", "TGL_LAHIR"]
    read = [cells for _, cells in sheet.rows]
    expected = [
        [
            dt.datetime.combine(cell, dt.time()) if isinstance(cell, dt.date) else cell
            for cell in row
        ]
        for row in rows
    ]
    assert read == expected


@settings(FUZZ, max_examples=25)
@given(st.binary(min_size=1, max_size=400), st.integers(min_value=0, max_value=3000))
def test_a_damaged_xlsx_is_refused_with_a_reason(noise, cut):
    raw = _xlsx(["NIK", "NAMA"], [["3404011708750001", "Budi"]])
    damaged = raw[:cut] + noise + raw[cut + len(noise) :]
    try:
        sheet = open_sheet(io.BytesIO(damaged), "xlsx")
        list(sheet.rows)
    except UnreadableFile as error:
        assert str(error)
