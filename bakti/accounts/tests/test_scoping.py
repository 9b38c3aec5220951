"""One scoping mechanism limits any queryset to the user's regions and org units."""

import pytest

from bakti.accounts import services
from bakti.accounts.access import has, scope_for
from bakti.accounts.models import Membership, OrgUnit
from bakti.accounts.roles import Role
from bakti.core.scoping import Grant, Scope, limit
from bakti.regions.models import Region
from conftest import (
    DESA_A,
    DESA_A2,
    DESA_B,
    KABUPATEN,
    KECAMATAN_A,
    KECAMATAN_B,
    OTHER_DESA,
    PROVINCE,
)


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_field_worker_a_sees_only_rows_of_kecamatan_a(cast) -> None:
    scope = scope_for(cast.field_worker_a, "registry.view")
    visible = _codes(Region.objects.filter(scope.q(region="code")))
    assert visible == {KECAMATAN_A, DESA_A, DESA_A2}


def test_field_worker_b_sees_only_rows_of_kecamatan_b(cast) -> None:
    scope = scope_for(cast.field_worker_b, "registry.view")
    visible = _codes(limit(Region.objects.all(), scope, region="code"))
    assert visible == {KECAMATAN_B, DESA_B, "34.04.02.2002"}
    assert DESA_A not in visible


def test_a_code_that_only_starts_like_the_scope_is_not_inside_it(cast) -> None:
    # 34.04.010 is not under 34.04.01: the match is on whole levels, not characters.
    Region.objects.create(code="34.04.010", name="Not Gamping", level=3, parent_id=KABUPATEN)
    scope = scope_for(cast.field_worker_a, "registry.view")
    assert "34.04.010" not in _codes(Region.objects.filter(scope.q(region="code")))
    assert not scope.contains(region_code="34.04.010")


def test_overlap_mode_also_admits_rows_covering_the_scope(cast) -> None:
    scope = scope_for(cast.field_worker_a, "programs.view")
    plain = _codes(Region.objects.filter(scope.q(region="code")))
    overlapping = _codes(Region.objects.filter(scope.q(region="code", region_overlap=True)))
    assert overlapping == plain | {PROVINCE, KABUPATEN}
    assert KECAMATAN_B not in overlapping


def test_org_unit_scope_covers_the_unit_and_its_sub_units(cast) -> None:
    section = services.org_unit_create(
        actor=None, name="Seksi Anak", code="T-ANAK", kind="section", parent=cast.division_rehsos
    )
    scope = scope_for(cast.officer, "programs.edit")
    units = set(OrgUnit.objects.filter(scope.q(org_unit="id")).values_list("code", flat=True))
    assert units == {"T-REHSOS", "T-ANAK"}
    assert scope.contains(org_unit_id=section.pk)
    assert not scope.contains(org_unit_id=cast.division_linjamsos.pk)
    assert not scope.contains(org_unit_id=cast.department.pk)


def test_department_wide_role_sees_every_unit(cast) -> None:
    scope = scope_for(cast.manager, "programs.edit")
    assert OrgUnit.objects.filter(scope.q(org_unit="id")).count() == OrgUnit.objects.count()


def test_region_and_org_unit_are_checked_within_the_same_membership(cast) -> None:
    # Worker A holds kecamatan A in Linjamsos; a row of kecamatan A in Rehsos is not theirs.
    scope = scope_for(cast.field_worker_a, "registry.view")
    memberships = Membership.objects.filter(
        scope.q(region="region_id", org_unit="org_unit_id")
    ).values_list("user__username", flat=True)
    assert set(memberships) == {"worker_a"}
    assert scope.contains(region_code=DESA_A, org_unit_id=cast.division_linjamsos.pk)
    assert not scope.contains(region_code=DESA_A, org_unit_id=cast.division_rehsos.pk)
    assert not scope.contains(region_code=DESA_B, org_unit_id=cast.division_linjamsos.pk)


def test_two_memberships_give_the_union_of_their_scopes(cast) -> None:
    services.membership_grant(
        actor=None,
        user=cast.field_worker_a,
        role=Role.FIELD_WORKER,
        org_unit=cast.division_linjamsos,
        region_code=DESA_B,
    )
    cast.field_worker_a.refresh_from_db()  # drops the cached scopes
    fresh = type(cast.field_worker_a).objects.get(pk=cast.field_worker_a.pk)
    scope = scope_for(fresh, "registry.view")
    assert _codes(Region.objects.filter(scope.q(region="code"))) == {
        KECAMATAN_A,
        DESA_A,
        DESA_A2,
        DESA_B,
    }


def test_superuser_sees_everything(cast) -> None:
    root = services.user_create(actor=None, username="root", password="x-Long-password-1")
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    scope = scope_for(root, "registry.view")
    assert scope.everything
    assert Region.objects.filter(scope.q(region="code")).count() == Region.objects.count()
    assert scope.contains(region_code=OTHER_DESA)


def test_outsider_without_a_role_sees_nothing(cast) -> None:
    scope = scope_for(cast.outsider, "registry.view")
    assert scope.empty
    assert not has(cast.outsider, "dashboard.view")
    assert not Region.objects.filter(scope.q(region="code")).exists()
    assert not scope.contains(region_code=DESA_A)
    assert not scope.contains(region_code=None, org_unit_id=None)


def test_a_capability_the_role_lacks_gives_an_empty_scope(cast) -> None:
    assert scope_for(cast.field_worker_a, "finance.view").empty
    assert not has(cast.finance, "registry.view")


def test_anonymous_and_inactive_users_have_no_scope(cast) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser(), "dashboard.view").empty
    cast.manager.is_active = False
    assert scope_for(cast.manager, "dashboard.view").empty


def test_expired_membership_grants_nothing(cast) -> None:
    import datetime as dt

    user = services.user_create(actor=None, username="temp", password="x-Long-password-1")
    services.membership_grant(
        actor=None,
        user=user,
        role=Role.FIELD_WORKER,
        org_unit=cast.department,
        region_code=KECAMATAN_A,
        valid_until=dt.date(2000, 1, 1),
    )
    assert scope_for(user, "registry.view").empty


def test_scope_contains_checks_one_object() -> None:
    scope = Scope(grants=(Grant(org_unit_ids=None, region_code=KECAMATAN_A),))
    assert scope.contains(region_code=KECAMATAN_A)
    assert scope.contains(region_code=DESA_A)
    assert not scope.contains(region_code=KABUPATEN)
    assert not scope.contains(region_code=DESA_B)
    assert not scope.contains(region_code=None)
    assert scope.contains_region(DESA_A2)
    assert scope.region_codes == [KECAMATAN_A]
    assert Scope(everything=True).contains(region_code=None)
    assert not Scope().contains(region_code=DESA_A)


@pytest.mark.django_db
def test_empty_scope_filters_every_row_out() -> None:
    Region.objects.create(code="99", name="Somewhere", level=1)
    assert not Region.objects.filter(Scope().q(region="code")).exists()
