"""Who sees which program: by region overlap for field workers, everything for department-wide
roles; edit rights by org unit."""

from bakti.programs.selectors import can_edit, program_list_for_user
from conftest import DESA_A, KABUPATEN, KECAMATAN_A, KECAMATAN_B, OTHER_KABUPATEN

from .factories import program


def codes(user):
    return sorted(program_list_for_user(user).values_list("code", flat=True))


def test_field_worker_sees_programs_overlapping_their_kecamatan(cast):
    program(cast, code="KAB", regions=[KABUPATEN])  # covers A: visible
    program(cast, code="DESA-A", regions=[DESA_A])  # inside A: visible
    program(cast, code="KEC-B", regions=[KECAMATAN_B])  # beside A: hidden
    program(cast, code="KOTA", regions=[OTHER_KABUPATEN])  # another kabupaten: hidden
    program(cast, code="BOTH", regions=[KECAMATAN_A, KECAMATAN_B])  # once, not twice
    program(cast, code="NOWHERE")  # no region: hidden from region-limited users
    assert codes(cast.field_worker_a) == ["BOTH", "DESA-A", "KAB"]
    assert codes(cast.field_worker_b) == ["BOTH", "KAB", "KEC-B"]
    assert codes(cast.manager) == ["BOTH", "DESA-A", "KAB", "KEC-B", "KOTA", "NOWHERE"]
    assert codes(cast.finance) == codes(cast.manager)
    assert codes(cast.outsider) == [] and codes(cast.partner) == []


def test_officer_edits_within_their_division_only(cast):
    own = program(cast, code="OWN", org_unit=cast.division_rehsos)
    other = program(cast, code="OTHER", org_unit=cast.division_linjamsos)
    assert can_edit(cast.officer, own) and not can_edit(cast.officer, other)
    assert can_edit(cast.manager, own) and can_edit(cast.manager, other)
    for user in (cast.field_worker_a, cast.head, cast.finance, cast.mne, cast.auditor):
        assert not can_edit(user, own)
