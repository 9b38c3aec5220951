"""Searching people by name uses an index (FTS5 on SQLite, trigrams on PostgreSQL) and finds
what a substring search found before."""

import datetime as dt

import pytest
from django.db import connection

from bakti.registry import selectors, services
from bakti.registry.models import Person
from bakti.registry.selectors import RegistryFilters
from bakti.registry.tests import factories
from conftest import DESA_A


@pytest.fixture
def people(cast):
    home = factories.household(DESA_A)
    names = ["Budi Santoso", "Santi Budiarti", "Séno Pratama", "Endang Wulandari", "Agus Salim"]
    born = dt.date(1980, 1, 1)
    return {
        name: factories.person(home, name=name, born=born + dt.timedelta(days=i))
        for i, name in enumerate(names)
    }


def found(user, term):
    rows = selectors.person_list_for_user(user, RegistryFilters(q=term))
    return sorted(p.full_name for p in rows)


def test_a_word_start_finds_every_name_with_a_word_starting_so(cast, people):
    assert found(cast.manager, "budi") == ["Budi Santoso", "Santi Budiarti"]
    assert found(cast.manager, "BUDI santo") == ["Budi Santoso"]


def test_case_does_not_matter_nor_accents_on_sqlite(cast, people):
    assert found(cast.manager, "SÉNO") == ["Séno Pratama"]
    if connection.vendor == "sqlite":
        assert found(cast.manager, "seno") == ["Séno Pratama"]


def test_a_fragment_from_inside_a_name_is_still_found(cast, people):
    assert found(cast.manager, "ndang") == ["Endang Wulandari"]


def test_punctuation_in_the_term_is_plain_text(cast, people):
    assert found(cast.manager, 'agus" OR *') == []
    assert found(cast.manager, "agus-") == ["Agus Salim"]


def test_a_renamed_or_removed_person_is_found_by_the_new_name_only(cast, people):
    budi = people["Budi Santoso"]
    services.person_update(
        actor=cast.manager, person=budi, data={"full_name": "Bonifasius Santoso"}
    )
    assert found(cast.manager, "bonifasius") == ["Bonifasius Santoso"]
    assert found(cast.manager, "budi") == ["Santi Budiarti"]
    Person.objects.filter(pk=people["Agus Salim"].pk).delete()
    assert found(cast.manager, "agus") == []


def test_households_are_found_by_a_members_name(cast, people):
    rows = selectors.household_list_for_user(cast.manager, RegistryFilters(q="wulan"))
    assert [h.pk for h in rows] == [people["Endang Wulandari"].household_id]


def test_the_database_has_its_name_index(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'registry_person_name'")
        else:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname = %s", ["person_name_trgm_idx"]
            )
        assert cursor.fetchone() is not None


def _merge_pending(index: str) -> int:
    """Merge the GIN index's pending list; how many pages it held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index")
def test_a_statistics_refresh_merges_the_names_waiting_outside_the_trigram_index(cast):
    from bakti.core.statistics import refresh_statistics

    home = factories.household(DESA_A)
    factories.person(home, name="Budi Santoso", born=dt.date(1980, 1, 1))
    # New names wait in the index's pending list, which every search reads whole.
    assert _merge_pending("person_name_trgm_idx") > 0
    factories.person(home, name="Santi Budiarti", born=dt.date(1981, 1, 1))

    refresh_statistics()

    assert _merge_pending("person_name_trgm_idx") == 0
    assert found(cast.manager, "budi") == ["Budi Santoso", "Santi Budiarti"]
