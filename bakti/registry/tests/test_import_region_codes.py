"""The region codes an import checks against are loaded per kabupaten, when first needed, and
answer exactly as the whole list would."""

from bakti.registry.importing.engine import RegionCodes, region_codes
from conftest import DESA_A, DESA_A2, DESA_B, KECAMATAN_A, OTHER_DESA, make_regions


def test_codes_are_known_exactly_as_in_the_whole_list(db, django_assert_max_num_queries):
    make_regions()
    desa = RegionCodes(4)
    everything = region_codes(4)
    asked = [DESA_A, DESA_A2, DESA_B, OTHER_DESA, "34.04.01.9999", KECAMATAN_A, "", "99.99.99.9999"]
    with django_assert_max_num_queries(4):  # kabupaten 34.04, 34.71, 99.99 and ""
        for code in asked + asked:
            assert (code in desa) == (code in everything), code
    assert 3404 not in desa


def test_one_query_per_kabupaten_however_many_rows(db, django_assert_num_queries):
    make_regions()
    desa = RegionCodes(4)
    with django_assert_num_queries(1):
        for _ in range(100):
            assert DESA_A in desa
            assert DESA_B in desa
            assert "34.04.09.9999" not in desa


def test_a_file_of_many_kabupaten_loads_the_whole_level_once(db, monkeypatch):
    make_regions()
    monkeypatch.setattr("bakti.registry.importing.engine.KABUPATEN_QUERIES", 1)
    desa = RegionCodes(4)
    assert "11.01.01.2001" not in desa  # first kabupaten: by itself
    assert OTHER_DESA in desa  # the second: the whole level
    assert desa.complete
    assert DESA_A in desa and "34.04.09.9999" not in desa
