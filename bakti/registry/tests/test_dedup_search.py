"""Fuzzy duplicate search on a small planted set: what it finds, what it leaves alone."""

import datetime as dt

import pytest

from bakti.registry.dedup.matching import PersonRecord, blocking_keys, compare, normalise_name
from bakti.registry.dedup.services import duplicate_search
from bakti.registry.importing.sample import make_kk, make_nik
from bakti.registry.models import DuplicateCandidate, DuplicateStatus, Household, Person
from conftest import DESA_A, DESA_A2, DESA_B, OTHER_DESA

D = dt.date
A, A2, B = DESA_A, DESA_A2, DESA_B

# (name, sex, birth date, desa, nik?) pairs that are the same person written twice.
PLANTED = [
    (("Djoko Tjahjono", "M", D(1970, 3, 5), A), ("Joko Cahyono", "M", D(1970, 3, 5), A)),
    (("Wahyu Hidayat", "M", D(1980, 3, 5), A), ("Wahyu Hidayat", "M", D(1980, 5, 3), A)),
    (("Siti Rahayu", "F", D(1985, 7, 9), B), ("Siti Rahaju", "F", D(1985, 7, 9), B)),
    (("Muhammad Rizki", "M", D(1990, 1, 2), A), ("Moh. Rizky", "M", D(1990, 1, 2), A2)),
    (("H. Ahmad Fauzi, S.Pd.", "M", D(1966, 6, 6), B), ("Achmad Fauzi", "M", D(1966, 6, 6), B)),
    (("Dewi Lestari", "F", D(1975, 11, 20), A), ("Lestari Dewi", "F", D(1975, 11, 20), A)),
    (("Nur Hidayah", "F", D(1999, 4, 14), A2), ("Nurhidayah", "F", D(1999, 4, 14), A2)),
    (("Bambang Susilo", "M", D(1958, 9, 30), A), ("Bambang Susilo", "M", D(1958, 9, 30), A2)),
    (("Sri Wahyuni Lestari", "F", D(1982, 2, 25), B), ("Sri Wahyuni", "F", D(1982, 2, 25), B)),
    (("Yohanes Purnomo", "M", D(1977, 12, 1), A), ("Johanes Purnomo", "M", D(1977, 12, 1), A)),
]  # fmt: skip
# Different people that look alike.
DISTINCT = [
    (("Sri Rahayu", "F", D(1988, 8, 8), DESA_A), ("Sri Wahyuni", "F", D(1988, 8, 8), DESA_A)),
    (("Agus Pratama", "M", D(2010, 5, 5), DESA_B), ("Andi Pratama", "M", D(2010, 5, 5), DESA_B)),
    (("Budi Santoso", "M", D(1960, 1, 10), DESA_A), ("Budi Santoso", "M", D(1985, 6, 22), DESA_A)),
    (("Eko Saputra", "M", D(1972, 4, 4), DESA_A), ("Eko Saputra", "M", D(1991, 9, 9), OTHER_DESA)),
    (("Rina Kusuma", "F", D(1993, 3, 3), DESA_A2), ("Rina Kusuma", "M", D(1993, 3, 3), DESA_A2)),
]  # fmt: skip
FILLER = [
    ("Slamet Riyadi", "M", D(1950, 1, 1), DESA_A),
    ("Yuni Astuti", "F", D(1961, 2, 2), DESA_A),
    ("Hadi Gunawan", "M", D(1979, 3, 3), DESA_B),
    ("Putri Handayani", "F", D(2001, 4, 4), DESA_A2),
    ("Tri Nugroho", "M", D(1983, 5, 5), DESA_B),
    ("Ani Wulandari", "F", D(1995, 6, 6), DESA_A),
]  # fmt: skip


def make_person(spec, serial):
    name, sex, born, desa = spec
    household = Household.objects.create(no_kk=make_kk(desa, serial), region_id=desa)
    return Person.objects.create(
        full_name=name, sex=sex, birth_date=born, region_id=desa, household=household
    )


@pytest.fixture
def planted(cast):
    serial = iter(range(1, 1000))
    pairs = {"same": [], "distinct": []}
    for kind, specs in (("same", PLANTED), ("distinct", DISTINCT)):
        for a, b in specs:
            pa, pb = make_person(a, next(serial)), make_person(b, next(serial))
            pairs[kind].append(tuple(sorted((pa.pk, pb.pk))))
    for spec in FILLER:
        make_person(spec, next(serial))
    return pairs


def test_planted_duplicates_are_found_with_high_precision_and_recall(planted):
    found = duplicate_search(actor=None)
    pairs = set(DuplicateCandidate.objects.values_list("person_a_id", "person_b_id"))
    assert found == len(pairs)
    true_positives = pairs & set(planted["same"])
    recall = len(true_positives) / len(planted["same"])
    precision = len(true_positives) / len(pairs)
    assert recall >= 0.9, sorted(set(planted["same"]) - pairs)
    assert precision >= 0.9, sorted(pairs - set(planted["same"]))
    assert not pairs & set(planted["distinct"])


def test_every_candidate_has_a_score_reasons_and_the_region_of_its_first_record(planted):
    duplicate_search(actor=None)
    for candidate in DuplicateCandidate.objects.select_related("person_a"):
        assert 0 <= candidate.score <= 1
        assert {r["rule"] for r in candidate.reasons} >= {"name", "birth_date", "region"}
        assert candidate.region_id == candidate.person_a.region_id
        assert candidate.person_a_id < candidate.person_b_id


def test_a_second_search_adds_nothing_and_keeps_decisions(planted):
    duplicate_search(actor=None)
    first = DuplicateCandidate.objects.first()
    DuplicateCandidate.objects.filter(pk=first.pk).update(status=DuplicateStatus.DISTINCT)
    assert duplicate_search(actor=None) == 0
    first.refresh_from_db()
    assert first.status == DuplicateStatus.DISTINCT


def test_search_limited_to_a_kabupaten_leaves_others_alone(planted):
    duplicate_search(actor=None, kabupaten=["34.71"])
    assert not DuplicateCandidate.objects.exists()


def test_blocking_keys_let_swapped_dates_and_old_spellings_meet():
    a = PersonRecord(1, "Djoko Tjahjono", D(1970, 3, 5), DESA_A)
    b = PersonRecord(2, "Joko Cahyono", D(1970, 5, 3), DESA_A)
    assert set(blocking_keys(a)) & set(blocking_keys(b))
    assert normalise_name("Soekarno") == normalise_name("Sukarno")
    assert compare(a, b).score >= 0.85


def test_a_nik_typo_is_a_reason_and_different_niks_lower_the_score():
    born = D(1980, 5, 17)
    nik = make_nik(DESA_A, "M", born, 1)
    a = PersonRecord(1, "Budi Santoso", born, DESA_A, "M", nik)
    typo = PersonRecord(2, "Budi Santoso", born, DESA_A, "M", nik[:-1] + "9")
    other = PersonRecord(3, "Budi Santoso", born, DESA_A, "M", make_nik(DESA_A, "M", born, 4567))
    assert any(r["rule"] == "nik" for r in compare(a, typo).reasons)
    assert compare(a, typo).score > compare(a, other).score


def test_niks_a_digit_apart_that_each_fit_their_own_birth_date_are_two_people():
    # Born on the 13th and the 18th of the same month: the NIKs differ only in the day digit,
    # and each agrees with its holder's record. Not a typo: no "NIKs differ by 1 digit" bonus.
    a_born, b_born = D(1996, 3, 13), D(1996, 3, 18)
    a = PersonRecord(1, "Oki Tri Handayani", a_born, DESA_A, "F", make_nik(DESA_A, "F", a_born, 1))
    b = PersonRecord(2, "Oki Handayani", b_born, DESA_A, "F", make_nik(DESA_A, "F", b_born, 1))
    match = compare(a, b)
    assert {"rule": "nik", "detail": "different NIKs"} in match.reasons
    assert match.score < 0.85
    # The same NIK digit mistyped on a record whose birth date it then contradicts is a typo.
    typo = PersonRecord(3, "Oki Tri Handayani", a_born, DESA_A, "F", b.nik)
    assert any(r["detail"].startswith("NIKs differ by") for r in compare(a, typo).reasons)
