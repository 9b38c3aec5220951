"""Inputs the fuzz tests (tests/fuzz) found to break the import; each now gets a row error or
a clear file error instead of a crash or a wrong value."""

import io

import pytest
from django.utils import translation

from bakti.core.scoping import Scope
from bakti.registry.importing.checking import ColumnPlan, RowChecker
from bakti.registry.importing.layouts import FIELDS
from bakti.registry.importing.parsing import BadValue, parse_desil, parse_kk, parse_nik
from bakti.registry.importing.reading import UnreadableFile, read_csv


@pytest.mark.parametrize("value", ["²", "1²", "³"])
def test_superscript_digits_are_a_bad_desil_not_a_crash(value):
    with pytest.raises(BadValue):
        parse_desil(value)
    with pytest.raises(BadValue):
        FIELDS["rt"].parse(value)


def test_digits_of_other_scripts_are_stored_as_ascii():
    assert parse_nik("３４０４０１１７０８７５０００１") == "3404011708750001"
    assert parse_kk("٣٤٠٤٠١٢٣٤٥٦٧٨٩٠١") == "3404012345678901"
    assert parse_desil("٣") == 3


def test_a_mapping_with_only_some_region_parts_gives_a_row_error():
    header = ["NAMA", "KDPROP"]
    checker = RowChecker(
        plan=ColumnPlan.build(header, {"NAMA": "full_name", "KDPROP": "region_province"}),
        desa_codes=frozenset({"34.04.01.2001"}),
        scope=Scope(everything=True),
    )
    with translation.override("en"):
        row, errors = checker.check(2, ["Budi", "34"])
    assert row is None
    assert any(e.row == 2 and "required" in e.reason for e in errors)


def test_an_unclosed_quote_in_a_csv_names_the_line():
    raw = b'NIK,NAMA\n3404011708750001,"Budi\n' + b"x" * 200_000 + b"\n"
    sheet = read_csv(io.BytesIO(raw))
    with translation.override("en"), pytest.raises(UnreadableFile, match="Line 2"):
        list(sheet.rows)
