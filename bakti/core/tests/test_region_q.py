"""``region_q``: a region's subtree; a desa, which has none, by equality (index-friendly)."""

import pytest

from bakti.core.scoping import region_q
from bakti.regions.models import Region


@pytest.mark.django_db
def test_a_desa_matches_itself_only_and_by_equality(cast) -> None:
    desa = Region.objects.filter(level=4).order_by("code").first()
    assert desa is not None
    q = region_q("code", desa.code)
    assert "startswith" not in str(q)
    assert list(Region.objects.filter(q).values_list("code", flat=True)) == [desa.code]


@pytest.mark.django_db
def test_a_kecamatan_matches_its_desa_and_not_its_neighbours(cast) -> None:
    desa = Region.objects.filter(level=4).order_by("code").first()
    kecamatan = desa.parent_id
    found = set(Region.objects.filter(region_q("code", kecamatan)).values_list("code", flat=True))
    expected = {kecamatan} | set(
        Region.objects.filter(parent_id=kecamatan).values_list("code", flat=True)
    )
    assert found == expected
    assert len(found) > 1
