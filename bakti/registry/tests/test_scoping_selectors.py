import datetime as dt

import pytest
from django.http import Http404

from bakti.privacy.models import AccessLog
from bakti.registry import selectors, services
from bakti.registry.tests import factories
from conftest import DESA_A, DESA_B


@pytest.fixture
def homes(cast):
    home_a = factories.family(DESA_A, head_name="Agus A", child_born=dt.date(2016, 1, 1))
    home_b = factories.family(DESA_B, head_name="Bambang B")
    return home_a, home_b


def _heads(rows):
    return sorted(h.head.full_name for h in rows)


def test_field_workers_see_only_their_kecamatan(cast, homes) -> None:
    assert _heads(selectors.household_list_for_user(cast.field_worker_a)) == ["Agus A"]
    assert _heads(selectors.household_list_for_user(cast.field_worker_b)) == ["Bambang B"]
    assert _heads(selectors.household_list_for_user(cast.manager)) == ["Agus A", "Bambang B"]
    assert _heads(selectors.household_list_for_user(cast.auditor)) == ["Agus A", "Bambang B"]


@pytest.mark.parametrize("who", ["partner", "outsider", "finance", "admin"])
def test_users_without_registry_access_see_nothing(cast, homes, who) -> None:
    user = getattr(cast, who)
    assert not selectors.household_list_for_user(user).exists()
    assert not selectors.person_list_for_user(user).exists()
    with pytest.raises(Http404):
        selectors.household_get_for_user(user, homes[0].pk)


def test_out_of_scope_record_is_404(cast, homes) -> None:
    home_a, home_b = homes
    with pytest.raises(Http404):
        selectors.household_get_for_user(cast.field_worker_a, home_b.pk)
    with pytest.raises(Http404):
        selectors.person_get_for_user(cast.field_worker_a, home_b.head_id)
    assert selectors.person_get_for_user(cast.field_worker_a, home_a.head_id)


def test_children_are_hidden_without_sensitive_access(cast, homes, monkeypatch) -> None:
    from bakti.accounts import roles

    home_a, _home_b = homes
    names = sorted(p.full_name for p in selectors.person_list_for_user(cast.officer))
    assert "Adi Saputra" in names
    monkeypatch.setitem(
        roles.CAPABILITIES,
        roles.Role.OFFICER,
        roles.CAPABILITIES[roles.Role.OFFICER] - {"registry.sensitive"},
    )
    cast.officer.__dict__.pop("_bakti_scopes", None)
    names = sorted(p.full_name for p in selectors.person_list_for_user(cast.officer))
    assert "Adi Saputra" not in names and "Agus A" in names
    assert selectors.hidden_member_count(cast.officer, home_a) == 1
    child = home_a.members.get(relationship="child")
    with pytest.raises(Http404):
        selectors.person_get_for_user(cast.officer, child.pk)


def test_search_by_full_nik_kk_and_name(cast, homes) -> None:
    home_a, _home_b = homes
    head = home_a.head
    by = selectors.RegistryFilters
    assert _heads(selectors.household_list_for_user(cast.manager, by(q=head.nik))) == ["Agus A"]
    assert _heads(selectors.household_list_for_user(cast.manager, by(q=home_a.no_kk))) == ["Agus A"]
    assert _heads(selectors.household_list_for_user(cast.manager, by(q="bambang"))) == ["Bambang B"]
    assert _heads(selectors.household_list_for_user(cast.manager, by(region="34.04.02"))) == [
        "Bambang B"
    ]
    # A worker cannot find another area's household by its NIK.
    assert not selectors.household_list_for_user(cast.field_worker_b, by(q=head.nik)).exists()


def test_people_and_enrolments_by_full_nik_or_kk(cast, homes) -> None:
    home_a, home_b = homes
    head = home_a.head
    program = factories.program(cast)
    services.enrolment_propose(actor=None, program=program, household=home_a)
    services.enrolment_propose(actor=None, program=program, household=home_b)
    people = selectors.RegistryFilters
    # By a member's NIK: that person; by the KK: every member of the household.
    assert [p.pk for p in selectors.person_list_for_user(cast.manager, people(q=head.nik))] == [
        head.pk
    ]
    by_kk = selectors.person_list_for_user(cast.manager, people(q=home_a.no_kk))
    assert sorted(p.pk for p in by_kk) == sorted(home_a.members.values_list("pk", flat=True))
    enrolments = selectors.EnrolmentFilters
    found = selectors.enrolment_list_for_user(cast.manager, enrolments(q=home_a.no_kk))
    assert [e.household_id for e in found] == [home_a.pk]
    assert not selectors.person_list_for_user(cast.field_worker_b, people(q=head.nik)).exists()


def test_search_by_ppks_desil_and_program(cast, homes) -> None:
    home_a, home_b = homes
    services.household_update(actor=None, household=home_b, data={"desil": 7})
    services.person_update(actor=None, person=home_a.head, data={}, ppks=[factories.ppks("24")])
    program = factories.program(cast)
    services.enrolment_propose(actor=None, program=program, household=home_b)
    by = selectors.RegistryFilters
    assert _heads(
        selectors.household_list_for_user(cast.manager, by(ppks=factories.ppks("24")))
    ) == ["Agus A"]
    assert _heads(selectors.household_list_for_user(cast.manager, by(desil_max=4))) == ["Agus A"]
    assert _heads(selectors.household_list_for_user(cast.manager, by(program=program))) == [
        "Bambang B"
    ]


def test_reveal_writes_the_access_log(cast, homes) -> None:
    home_a, _home_b = homes
    nik = services.person_reveal_nik(actor=cast.field_worker_a, person=home_a.head, reason="visit")
    assert nik == home_a.head.nik
    entry = AccessLog.objects.get()
    assert (entry.actor, entry.what, entry.object_id) == (
        cast.field_worker_a,
        "NIK",
        str(home_a.head_id),
    )


def test_auditor_cannot_reveal(cast, homes) -> None:
    with pytest.raises(Http404):
        selectors.person_for_reveal(cast.auditor, homes[0].head_id)
    with pytest.raises(Http404):
        selectors.person_for_edit(cast.auditor, homes[0].head_id)


def test_region_choices_are_the_kecamatan_and_desa_that_hold_households(cast, homes) -> None:
    from bakti.registry.models import Household

    expected = set(Household.objects.values_list("region_id", flat=True))
    expected |= {code.rsplit(".", 1)[0] for code in expected}
    # The manager sees everywhere: every desa with a household, found one index probe apiece.
    assert {code for code, _label in selectors.region_choices_for_user(cast.manager)} == expected
    # A field worker: the desa of their own kecamatan only (from the region tree).
    codes = {code for code, _label in selectors.region_choices_for_user(cast.field_worker_a)}
    assert DESA_A in codes and DESA_B not in codes
