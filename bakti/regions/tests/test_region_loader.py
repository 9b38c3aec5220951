"""Loading a code,name region hierarchy: create, update in place, report bad rows."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bakti.privacy.models import AuditEvent
from bakti.regions.loading import load_population, load_regions
from bakti.regions.models import Region, RegionPopulation

SMALL = """code,name
34,Daerah Istimewa Yogyakarta
34.04,Kabupaten Sleman
34.04.01,Gamping
34.04.01.2001,Balecatur
34.71,Kota Yogyakarta
"""

pytestmark = pytest.mark.django_db


def test_a_small_file_loads_the_whole_tree() -> None:
    result = load_regions(io.StringIO(SMALL))
    assert (result.created, result.updated, result.errors) == (5, 0, [])
    desa = Region.objects.get(code="34.04.01.2001")
    assert desa.name == "Balecatur"
    assert desa.level == 4
    assert desa.parent_id == "34.04.01"
    with translation.override("en"):
        assert desa.kind == "Village (desa)"
        assert Region.objects.get(code="34.71").kind == "City"
        assert Region.objects.get(code="34.04").kind == "Regency"
    assert set(Region.objects.within("34.04").values_list("code", flat=True)) == {
        "34.04",
        "34.04.01",
        "34.04.01.2001",
    }


def test_a_reload_updates_names_in_place_and_adds_new_codes() -> None:
    load_regions(io.StringIO(SMALL))
    changed = SMALL.replace("Gamping", "Kapanewon Gamping") + "34.04.01.2002,Ambarketawang\n"
    result = load_regions(io.StringIO(changed))
    assert (result.created, result.updated, result.unchanged) == (1, 1, 4)
    assert Region.objects.get(code="34.04.01").name == "Kapanewon Gamping"
    assert Region.objects.count() == 6
    again = load_regions(io.StringIO(changed))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)


def test_codes_missing_from_a_new_file_are_kept() -> None:
    load_regions(io.StringIO(SMALL))
    load_regions(io.StringIO("code,name\n34,DIY\n"))
    assert Region.objects.filter(code="34.71").exists()


def test_bad_rows_are_reported_with_row_column_and_value_and_good_rows_kept() -> None:
    text = SMALL + "34.04.x-1,Rusak\n34.04.02,\n35.01,Tanpa Induk\n34.71,Kota Yogyakarta\n"
    with translation.override("en"):
        result = load_regions(io.StringIO(text))
        messages = {e.row: str(e) for e in result.errors}
    assert result.created == 5
    found = {(e.row, e.column, e.value) for e in result.errors}
    assert found == {
        (7, "code", "34.04.x-1"),
        (8, "name", ""),
        (9, "code", "35.01"),
        (10, "code", "34.71"),
    }
    assert messages[9] == ("Row 9, column code, value “35.01”: Its parent region 35 is not known.")
    assert messages[10].endswith("This code already appeared on row 6.")


def test_a_load_is_recorded_as_one_audit_event() -> None:
    load_regions(io.StringIO(SMALL))
    event = AuditEvent.objects.get(object_type="regions.region")
    assert event.changes == {"created": 5, "updated": 0}


def test_the_command_loads_a_file_and_fails_on_bad_rows(tmp_path, capsys) -> None:
    good = tmp_path / "regions.csv"
    good.write_text(SMALL, encoding="utf-8")
    call_command("regions", "load", str(good))
    assert "created 5" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name\n99.01,Orphan\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 rows were rejected"):
        call_command("regions", "load", str(bad))
    assert "99.01" in capsys.readouterr().err


def test_a_file_with_a_byte_order_mark_loads(tmp_path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text(SMALL, encoding="utf-8-sig")
    assert load_regions(path).created == 5


def test_population_loads_per_year_and_reload_updates() -> None:
    load_regions(io.StringIO(SMALL))
    text = "code,name,male,female,total\n34.04,Sleman,550000,560000,1110000\n"
    result = load_population(io.StringIO(text), year=2025)
    assert (result.created, result.updated) == (1, 0)
    text2 = text.replace("1110000", "1110001")
    result = load_population(io.StringIO(text2), year=2025)
    assert (result.created, result.updated) == (0, 1)
    assert RegionPopulation.objects.get(region_id="34.04", year=2025).total == 1110001
    load_population(io.StringIO(text), year=2024)
    assert RegionPopulation.objects.count() == 2


def test_population_reports_unknown_regions_and_bad_numbers() -> None:
    load_regions(io.StringIO(SMALL))
    text = (
        "code,name,male,female,total\n"
        "0,INDONESIA,1,2,3\n"
        "34.04,Sleman,banyak,2,3\n"
        "34.71,Kota,10,20,30\n"
    )
    result = load_population(io.StringIO(text), year=2025)
    assert result.created == 1
    assert {(e.row, e.column, e.value) for e in result.errors} == {
        (2, "code", "0"),
        (3, "male", "banyak"),
    }
