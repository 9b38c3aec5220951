"""The whole 2025 Kemendagri list (91,599 rows) loads, and a re-load changes nothing."""

from pathlib import Path

import pytest

from bakti.regions.loading import default_regions_file, load_regions
from bakti.regions.models import Region

PROJECT = Path(__file__).resolve().parents[3]
CANDIDATES = [PROJECT / ".." / "shared", Path("/work/shared")]
SHARED = next((p for p in CANDIDATES if (p / "data" / "regions").is_dir()), None)
FILE = SHARED / "data" / "regions" / "wilayah-kemendagri-2025.csv" if SHARED else None


@pytest.mark.skipif(
    FILE is None or not FILE.exists(),
    reason="the shared data folder (../shared/data/regions, beside the project) is not here",
)
@pytest.mark.django_db
def test_the_2025_list_loads_completely_and_reloads_unchanged() -> None:
    result = load_regions(FILE)
    assert result.errors == []
    assert result.created == 91_599
    assert Region.objects.count() == 91_599
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() == 7_285
    assert Region.objects.filter(level=4).count() == 83_762
    assert Region.objects.get(code="34.04").name == "Kabupaten Sleman"
    again = load_regions(FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 91_599)


@pytest.mark.django_db
def test_the_built_in_list_loads_without_the_shared_folder() -> None:
    result = load_regions(default_regions_file())
    assert result.errors == []
    assert result.created > 90_000
    assert Region.objects.filter(code="34.04").exists()
