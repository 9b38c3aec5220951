"""The per-file compiled checks give exactly what the field parsers give.

The importer compiles one function per mapped column (remembering values seen before, keeping
a household's KK and address from the row before, recognising the usual NIK, KK, name and
phone directly). These tests hold every such function, and the whole row check, to the plain
per-cell path: the same value, the same "empty", the same error message, for any cell and in
any order (so that a remembered value can never stand in for a different cell).
"""

import datetime as dt

from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bakti.core.row_errors import RowError
from bakti.core.scoping import Scope
from bakti.registry.identity import nik_checks
from bakti.registry.importing.checking import (
    EMPTY,
    ColumnPlan,
    RowChecker,
    cell_value,
    compile_column,
)
from bakti.registry.importing.layouts import FIELDS, REGION_PARTS
from bakti.registry.importing.parsing import BadValue, clean_text, region_from_parts
from bakti.registry.importing.sample import make_kk, make_nik

TODAY = dt.date(2026, 11, 27)
DESA = "34.04.01.2001"
OTHER_DESA = "34.04.02.2001"  # known, but outside the scope used below
GOOD_NIK = make_nik(DESA, "M", dt.date(1980, 5, 17), 1)

# Cells as files bring them: realistic values of every column (so that the fast paths are
# taken), the same with spaces, quotes and other scripts, and anything else.
realistic = st.sampled_from(
    [
        GOOD_NIK,
        make_nik(DESA, "F", dt.date(1975, 8, 17), 2),
        make_nik("34.99.99.2001", "M", dt.date(1990, 1, 2), 3),  # unknown kecamatan
        "3404015702800001",  # a woman's NIK
        "3404011302300001",  # born 1930 or 2030
        "9904011708750001",  # unknown province
        "3404013213800001",  # no such date
        make_kk(DESA, 1),
        "0004012345678901",
        "340401234567890",
        DESA,
        OTHER_DESA,
        "3404012001",
        "34.04.01.9999",
        "Budi Santoso",
        "  Siti   Aminah ",
        "'=Budi",
        "'Budi",
        "12345",
        "_",
        "A" * 201,
        "L",
        "p",
        "Perempuan",
        "x",
        "17-05-1980",
        "17/5/80",
        "1980-05-17",
        "17 Mei 1980",
        "31-02-1980",
        "17-05-2099",
        "1",
        "10",
        "11",
        "004",
        "0004",
        "Kepala Keluarga",
        "istri",
        "anak",
        "kawin",
        "SMA",
        "s1",
        "Petani",
        "081234567890",
        "0812 3456 7890",
        "+62812345678",
        "12345",
        "",
        " ",
        "１２３",
        "²",
    ]
)
cells = st.one_of(
    realistic,
    realistic.map(lambda text: f" {text} "),
    st.text(max_size=30),
    st.text(alphabet="0123456789 .-/'=+", max_size=20),
    st.none(),
    st.integers(min_value=-(10**17), max_value=10**17),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


def _outcome(convert, raw):
    try:
        value = convert(raw)
    except BadValue as error:
        return ("bad", str(error))
    return ("empty",) if value is EMPTY else ("value", type(value), value)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(FIELDS)), values=st.lists(cells, min_size=1, max_size=12))
@example(name="desil", values=["1", True, 1.0, 1])
@example(name="no_kk", values=[make_kk(DESA, 1), make_kk(DESA, 1), 3404012345678901])
@example(name="full_name", values=["'=Budi", "'Budi", " Budi ", "12345"])
@example(name="phone", values=["", "081234567890", "12345", "0812 3456 7890"])
def test_each_compiled_column_gives_what_the_parser_gives(name, values):
    compiled = compile_column(name)
    general = cell_value(FIELDS[name])
    with translation.override("id"):
        # Twice over, so that the second pass meets every cell again (remembered or kept).
        for raw in values + values:
            assert _outcome(compiled, raw) == _outcome(general, raw), raw


def _reference_check(checker, number, cells):
    """The row check as it was before compilation: one parser call per cell, the values in one
    dict split afterwards. Kept here as the definition the compiled check must match."""
    plan = checker.plan
    errors = []
    values = {}

    def error(target, value, reason):
        return RowError(row=number, column=plan.header_of(target), value=value, reason=reason)

    for name, spec in FIELDS.items():
        if name not in plan.columns:
            continue
        index = plan.columns[name][0]
        raw = cells[index] if index < len(cells) else None
        text = clean_text(raw)
        if not text and not hasattr(raw, "year"):
            if spec.required:
                errors.append(error(name, "", "This value is required."))
            continue
        try:
            values[name] = spec.parse(raw)
        except BadValue as exc:
            errors.append(error(name, text, str(exc)))
    code = values.pop("region_code", None)
    region_done = False
    if code is None and all(p in plan.columns for p in REGION_PARTS):
        parts = [plan.cell(cells, p) for p in REGION_PARTS]
        try:
            code = region_from_parts(*parts)
        except BadValue as exc:
            errors.append(error("region_code", "/".join(clean_text(p) for p in parts), str(exc)))
            region_done = True
    if region_done:
        pass
    elif code is None:
        if not any(e.column == plan.header_of("region_code") for e in errors):
            errors.append(error("region_code", "", "This value is required."))
    elif code not in checker.desa_codes:
        errors.append(
            error(
                "region_code",
                code,
                "No desa/kelurahan has this code; check it against the region list.",
            )
        )
    elif not checker.scope.contains_region(code):
        errors.append(
            error(
                "region_code",
                code,
                "This desa/kelurahan is outside the regions you may import for.",
            )
        )
    else:
        values["region_id"] = code
    if "nik" in values:
        if int(values["nik"]) in checker.reference_seen:
            errors.append(
                error(
                    "nik", values["nik"], "This NIK already appears on an earlier row of this file."
                )
            )
        elif not errors:
            checker.reference_seen.add(int(values["nik"]))
    if "sex" not in values and "nik" in values:
        values["sex"] = "F" if int(values["nik"][6:8]) > 40 else "M"
    elif "sex" not in values and not any(e.column == plan.header_of("sex") for e in errors):
        errors.append(error("sex", "", "Sex is required when the person has no NIK."))
    if errors:
        return None, errors
    household = {
        k: v for k, v in values.items() if k == "region_id" or FIELDS[k].level == "household"
    }
    person = {k: v for k, v in values.items() if k in FIELDS and FIELDS[k].level == "person"}
    flags = []
    if "nik" in values:
        nik = values["nik"]
        kecamatan = f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"
        flags = nik_checks(
            nik,
            today=checker.today,
            sex=values.get("sex"),
            birth_date=values.get("birth_date"),
            known_kecamatan=[kecamatan] if kecamatan in checker.kecamatan_codes else [],
        )
    return (household, person, flags), []


COLUMNS = [*sorted(FIELDS), *REGION_PARTS]


@settings(max_examples=200, deadline=None)
@given(
    columns=st.lists(st.sampled_from(COLUMNS), min_size=1, unique=True),
    rows=st.lists(st.lists(cells, max_size=len(COLUMNS) + 2), min_size=1, max_size=6),
)
def test_the_compiled_row_check_gives_what_the_per_cell_check_gives(columns, rows):
    mapping = {name: name for name in columns}
    checker = RowChecker(
        plan=ColumnPlan.build(columns, mapping),
        desa_codes=frozenset({DESA, OTHER_DESA}),
        scope=_only(DESA),
        kecamatan_codes=frozenset({"34.04.01", "34.04.02"}),
        today=TODAY,
    )
    checker.reference_seen = set()
    with translation.override("en"):
        for number, cells_of_row in enumerate(rows + rows, start=2):
            row, errors = checker.check(number, cells_of_row)
            expected, expected_errors = _reference_check(checker, number, cells_of_row)
            assert errors == expected_errors
            if row is None:
                assert expected is None
                continue
            household, person, flags = expected
            assert row.household == household
            assert row.person == person
            assert row.nik_flags == flags
            assert len(row.warnings) == len(flags)


def _only(code):
    """A scope that holds one desa."""

    class OneDesa:
        def contains_region(self, other):
            return other == code

    return OneDesa()


def test_a_realistic_row_is_checked_the_same_way_the_second_time():
    header = list(FIELDS)
    checker = RowChecker(
        plan=ColumnPlan.build(header, {h: h for h in header}),
        desa_codes=frozenset({DESA}),
        scope=Scope(everything=True),
        kecamatan_codes=frozenset({"34.04.01"}),
        today=TODAY,
    )
    cells = [
        make_kk(DESA, 1),
        DESA,
        "Jl. Melati 3",
        "1",
        "2",
        "3",
        GOOD_NIK,
        "Budi Santoso",
        "L",
        "17-05-1980",
        "Sleman",
        "Kepala Keluarga",
        "Kawin",
        "SMA",
        "Petani",
        "0812 3456 7890",
    ]
    first, errors = checker.check(2, cells)
    assert errors == [] and first is not None and first.nik_flags == []
    assert first.person["birth_date"] == dt.date(1980, 5, 17)
    assert first.household == {
        "no_kk": make_kk(DESA, 1),
        "region_id": DESA,
        "address": "Jl. Melati 3",
        "rt": "001",
        "rw": "002",
        "desil": 3,
    }
    # The same NIK again is refused; another person of the household reuses the KK's values.
    again, errors = checker.check(3, cells)
    assert again is None and [e.column for e in errors] == ["nik"]
    cells[6] = ""
    cells[8] = ""
    without_nik, errors = checker.check(4, cells)
    assert without_nik is None and [e.column for e in errors] == ["sex"]


# Whole rows of the Bakti layout, each cell mostly a usual value of its column: most rows are
# valid, and their NIKs agree or disagree with the sex and birth date in every way.
USUAL = {
    "no_kk": [make_kk(DESA, 1), make_kk(DESA, 2), "0004012345678901"],
    "region_code": [DESA, DESA, "3404012001", OTHER_DESA, "34.04.01.9999"],
    "address": ["Jl. Melati 3", " Jl.  Mawar ", ""],
    "rt": ["1", "004", "", "1234"],
    "rw": ["2", "", "x"],
    "desil": ["3", "10", "", "11"],
    "nik": [
        GOOD_NIK,
        make_nik(DESA, "F", dt.date(1975, 8, 17), 2),
        make_nik("34.99.99.2001", "M", dt.date(1980, 5, 17), 3),
        make_nik(DESA, "M", dt.date(2030 - 100, 2, 13), 4),
        "",
        "123",
    ],
    "full_name": ["Budi Santoso", "  Siti   Aminah ", "12345", ""],
    "sex": ["L", "P", "", "x"],
    "birth_date": ["17-05-1980", "17-08-1975", "13-02-1930", "", "31-02-1980", "17 Mei 1980"],
    "birth_place": ["Sleman", ""],
    "relationship": ["Kepala Keluarga", "istri", "anak", "", "boss"],
    "marital_status": ["Kawin", "belum kawin", ""],
    "education": ["SMA", "s1", ""],
    "occupation": ["Petani", ""],
    "phone": ["081234567890", "0812 3456 7890", "", "12"],
}
usual_row = st.tuples(*(st.sampled_from(USUAL[name]) for name in FIELDS)).map(list)


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(usual_row, min_size=1, max_size=10))
def test_usual_rows_are_checked_as_the_per_cell_check_does(rows):
    header = list(FIELDS)
    checker = RowChecker(
        plan=ColumnPlan.build(header, {h: h for h in header}),
        desa_codes=frozenset({DESA, OTHER_DESA}),
        scope=_only(DESA),
        kecamatan_codes=frozenset({"34.04.01", "34.04.02"}),
        today=TODAY,
    )
    checker.reference_seen = set()
    with translation.override("en"):
        for number, cells_of_row in enumerate(rows + rows, start=2):
            row, errors = checker.check(number, cells_of_row)
            expected, expected_errors = _reference_check(checker, number, cells_of_row)
            assert errors == expected_errors
            assert (row is None) == (expected is None)
            if row is not None:
                assert (row.household, row.person, row.nik_flags) == expected
