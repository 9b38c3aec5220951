"""The synthetic registry: valid rows, households of 1-8, 2% planted duplicates with the truth."""

import csv
import datetime as dt
from collections import Counter

import pytest

from bakti.bench.generate import TRUTH_COLUMNS, registry_rows, write_registry
from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.parsing import parse_birth_date, parse_kk, parse_nik

DESA = ["34.04.01.2001", "34.04.01.2002", "34.04.02.2001"]


def test_rows_are_valid_and_consistent():
    truth: list[list[str]] = []
    rows = list(registry_rows(2000, DESA, seed=3, truth=truth))
    assert len(rows) >= 2000
    niks = Counter()
    sizes = Counter()
    for values in rows:
        row = dict(zip(BAKTI_COLUMNS, values, strict=True))
        sizes[row["no_kk"]] += 1
        parse_kk(row["no_kk"])
        assert row["region_code"] in DESA
        birth = parse_birth_date(row["birth_date"], today=dt.date(2026, 1, 1))
        if row["nik"]:
            niks[row["nik"]] += 1
            assert parse_nik(row["nik"]) == row["nik"]
            if row["relationship"] != "other_relative":
                # Region, sex and birth date are written into the NIK.
                assert row["nik"][:6] == row["region_code"].replace(".", "")[:6]
                day = int(row["nik"][6:8])
                assert (day > 40) == (row["sex"] == "P")
                assert (day % 40, int(row["nik"][8:10])) == (birth.day, birth.month)
    assert max(niks.values()) == 1, "a NIK used twice would be merged by the importer"
    assert set(sizes.values()) <= set(range(1, 9))
    assert 0.01 < len(truth) / len(rows) < 0.03


def test_the_truth_names_two_rows_of_the_file(tmp_path):
    summary = write_registry(tmp_path / "r.csv", tmp_path / "t.csv", people=1500, desa=DESA, seed=5)
    with (tmp_path / "r.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    with (tmp_path / "t.csv").open() as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == TRUTH_COLUMNS
        truth = list(reader)
    assert summary.rows == len(rows) and summary.duplicates == len(truth) > 0
    for pair in truth:
        a, b = rows[int(pair["row_a"]) - 1], rows[int(pair["row_b"]) - 1]
        assert (a["full_name"], a["no_kk"]) == (pair["name_a"], pair["kk_a"])
        assert (b["full_name"], b["no_kk"]) == (pair["name_b"], pair["kk_b"])
        assert a["no_kk"] != b["no_kk"]
        assert a["nik"] != b["nik"]


def test_the_same_seed_gives_the_same_file():
    assert list(registry_rows(300, DESA, seed=9)) == list(registry_rows(300, DESA, seed=9))
    assert list(registry_rows(300, DESA, seed=9)) != list(registry_rows(300, DESA, seed=10))


@pytest.mark.parametrize("people", [1, 50])
def test_small_sizes(people):
    assert len(list(registry_rows(people, DESA))) >= people
