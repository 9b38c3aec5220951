"""A grant with no limit on the model's fields opens every row, even beside limited grants."""

import pytest

from bakti.accounts.access import scope_for
from bakti.accounts.models import OrgUnit
from bakti.core.scoping import Grant, Scope
from bakti.regions.models import Region


@pytest.mark.django_db
def test_manager_without_region_limit_sees_every_region(cast) -> None:
    scope = scope_for(cast.manager, "registry.view")
    regions = Region.objects.filter(scope.q(region="code"))
    assert regions.count() == Region.objects.count() > 0


@pytest.mark.django_db
def test_unlimited_grant_beside_a_limited_one_still_opens_everything(cast) -> None:
    scope = Scope(grants=(Grant(org_unit_ids=None, region_code="34.04.01"), Grant(None, None)))
    assert Region.objects.filter(scope.q(region="code")).count() == Region.objects.count()


@pytest.mark.django_db
def test_limited_grants_only_open_their_regions(cast) -> None:
    scope = scope_for(cast.field_worker_a, "registry.view")
    codes = set(Region.objects.filter(scope.q(region="code")).values_list("code", flat=True))
    assert codes == {"34.04.01", "34.04.01.2001", "34.04.01.2002"}
    units = OrgUnit.objects.filter(scope.q(org_unit="id"))
    assert set(units.values_list("code", flat=True)) == {"T-LINJAMSOS"}


@pytest.mark.django_db
def test_everything_survives_being_or_ed_with_another_filter(cast) -> None:
    from django.db.models import Q

    scope = scope_for(cast.manager, "registry.view")
    either = scope.q(region="code") | Q(code="no-such-code")
    assert Region.objects.filter(either).count() == Region.objects.count()
