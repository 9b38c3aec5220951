"""Merging two records moves every link to the kept one; undoing the merge puts them back."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bakti.privacy.models import AuditEvent
from bakti.programs.models import PPKSCategory
from bakti.registry.dedup.services import (
    duplicate_mark_distinct,
    person_merge,
    person_merge_undo,
)
from bakti.registry.importing.sample import make_kk, make_nik
from bakti.registry.models import (
    Assessment,
    Consent,
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    HouseholdMembership,
    Person,
    PersonMerge,
)
from conftest import DESA_A, DESA_A2

BORN = dt.date(1970, 3, 5)


def person_in_new_household(name, desa, serial, nik=None, **fields):
    household = Household.objects.create(no_kk=make_kk(desa, serial), region_id=desa)
    person = Person.objects.create(
        full_name=name,
        sex="M",
        birth_date=BORN,
        region_id=desa,
        household=household,
        relationship="head",
        nik=nik,
        **fields,
    )
    household.head = person
    household.save()
    HouseholdMembership.objects.create(
        household=household, person=person, relationship="head", start_date=dt.date(2020, 1, 1)
    )
    return person


@pytest.fixture
def pair(cast):
    kept = person_in_new_household("Joko Cahyono", DESA_A, 1, phone="")
    removed = person_in_new_household(
        "Djoko Tjahjono",
        DESA_A2,
        2,
        nik=make_nik(DESA_A, "M", BORN, 1),
        phone="081234567890",
        occupation="Petani",
    )
    category = PPKSCategory.objects.create(code="T24", name="Fakir Miskin")
    removed.ppks.add(category)
    Consent.objects.create(person=removed, purpose="registration", given_on=dt.date(2024, 1, 1))
    Assessment.objects.create(
        household=removed.household, person=removed, region_id=DESA_A2, assessed_on=BORN
    )
    low, high = sorted((kept.pk, removed.pk))
    candidate = DuplicateCandidate.objects.create(
        person_a_id=low, person_b_id=high, score=0.95, region_id=DESA_A
    )
    return kept, removed, candidate, category


def test_merge_moves_every_link_fills_gaps_and_removes_the_other_record(pair, cast):
    kept, removed, candidate, category = pair
    removed_pk, removed_household = removed.pk, removed.household
    merge = person_merge(actor=cast.officer, candidate=candidate, keep=kept)
    assert not Person.objects.filter(pk=removed_pk).exists()
    assert Consent.objects.get().person_id == kept.pk
    assert Assessment.objects.get().person_id == kept.pk
    removed_household.refresh_from_db()
    assert removed_household.head_id == kept.pk
    # The removed record's membership moved too, ended, since the kept one has its own.
    memberships = HouseholdMembership.objects.filter(person=kept)
    assert memberships.count() == 2
    assert memberships.filter(end_date__isnull=True).count() == 1
    kept.refresh_from_db()
    assert kept.nik == make_nik(DESA_A, "M", BORN, 1)  # filled from the removed record
    assert kept.phone == "081234567890"
    assert list(kept.ppks.all()) == [category]
    labels = {link["model"] for link in merge.moved_links}
    assert {"registry.Consent", "registry.Assessment", "registry.Household"} <= labels
    assert merge.removed_snapshot["fields"]["full_name"] == "Djoko Tjahjono"
    assert AuditEvent.objects.filter(action="merge", object_id=str(kept.pk)).exists()


def test_undo_restores_the_record_its_links_and_the_kept_record(pair, cast):
    kept, removed, candidate, category = pair
    removed_pk, removed_household_id = removed.pk, removed.household_id
    merge = person_merge(actor=cast.officer, candidate=candidate, keep=kept)
    restored = person_merge_undo(actor=cast.manager, merge=merge)
    assert restored.pk == removed_pk
    restored = Person.objects.get(pk=removed_pk)
    assert (restored.full_name, restored.nik) == ("Djoko Tjahjono", make_nik(DESA_A, "M", BORN, 1))
    assert restored.household_id == removed_household_id
    assert Consent.objects.get().person_id == removed_pk
    assert Assessment.objects.get().person_id == removed_pk
    assert Household.objects.get(pk=removed_household_id).head_id == removed_pk
    assert HouseholdMembership.objects.get(person=restored).end_date is None
    assert list(restored.ppks.all()) == [category]
    kept.refresh_from_db()
    assert (kept.nik, kept.phone) == (None, "")
    assert not kept.ppks.exists()
    reopened = DuplicateCandidate.objects.get(pk=candidate.pk)
    assert reopened.status == DuplicateStatus.OPEN
    merge.refresh_from_db()
    assert merge.undone_by == cast.manager
    with pytest.raises(ValidationError):
        person_merge_undo(actor=cast.manager, merge=merge)


def test_a_decided_pair_cannot_be_merged_or_decided_again(pair, cast):
    kept, _removed, candidate, _category = pair
    duplicate_mark_distinct(actor=cast.officer, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.DISTINCT
    with pytest.raises(ValidationError):
        person_merge(actor=cast.officer, candidate=candidate, keep=kept)
    with pytest.raises(ValidationError):
        duplicate_mark_distinct(actor=cast.officer, candidate=candidate)
    assert not PersonMerge.objects.exists()


def test_the_record_to_keep_must_be_one_of_the_pair(pair, cast):
    _kept, _removed, candidate, _category = pair
    stranger = person_in_new_household("Orang Lain", DESA_A, 9)
    with pytest.raises(ValidationError):
        person_merge(actor=cast.officer, candidate=candidate, keep=stranger)
