"""The duplicate review pages: the queue is scoped, merge and undo work from the pages."""

import datetime as dt

import pytest
from django.urls import reverse

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.registry.importing.sample import make_kk
from bakti.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    Household,
    Person,
    PersonMerge,
)
from conftest import DESA_A, DESA_A2, DESA_B, KECAMATAN_A

BORN = dt.date(1980, 5, 17)
serials = iter(range(1, 10_000))


def person(name, desa):
    household = Household.objects.create(no_kk=make_kk(desa, next(serials)), region_id=desa)
    return Person.objects.create(
        full_name=name, sex="M", birth_date=BORN, region_id=desa, household=household
    )


def candidate(desa_a, desa_b, name="Budi Santoso"):
    a, b = person(name, desa_a), person(name + "o", desa_b)
    return DuplicateCandidate.objects.create(
        person_a=a,
        person_b=b,
        score=0.93,
        region_id=desa_a,
        reasons=[{"rule": "name", "detail": "name similarity 96%"}],
    )


@pytest.fixture
def limited_officer(cast):
    account_services.membership_grant(
        actor=None,
        user=cast.outsider,
        role=Role.OFFICER,
        org_unit=cast.division_rehsos,
        region_code=KECAMATAN_A,
    )
    return cast.outsider


def test_the_queue_shows_only_pairs_wholly_inside_the_users_scope(client, cast, limited_officer):
    inside = candidate(DESA_A, DESA_A2)
    half = candidate(DESA_A, DESA_B, name="Siti Aminah")
    outside = candidate(DESA_B, DESA_B, name="Eko Saputra")
    client.force_login(limited_officer)
    listing = client.get(reverse("registry:duplicates:list"))
    assert [c.pk for c in listing.context["page"]] == [inside.pk]
    for pair in (half, outside):
        assert client.get(reverse("registry:duplicates:detail", args=[pair.pk])).status_code == 404
        response = client.post(
            reverse("registry:duplicates:merge", args=[pair.pk]), {"keep": pair.person_a_id}
        )
        assert response.status_code == 404
    client.force_login(cast.officer)
    listing = client.get(reverse("registry:duplicates:list"))
    assert {c.pk for c in listing.context["page"]} == {inside.pk, half.pk, outside.pk}


@pytest.mark.parametrize("name", ["field_worker_a", "finance", "mne", "partner", "auditor", "head"])
def test_users_who_may_not_merge_are_refused(client, cast, name):
    pair = candidate(DESA_A, DESA_A2)
    client.force_login(getattr(cast, name))
    assert client.get(reverse("registry:duplicates:list")).status_code == 403
    assert client.get(reverse("registry:duplicates:detail", args=[pair.pk])).status_code == 403
    response = client.post(reverse("registry:duplicates:distinct", args=[pair.pk]))
    assert response.status_code == 403
    assert client.get(reverse("registry:duplicates:merges")).status_code == 403


def test_merge_from_the_page_then_undo_from_the_history(client, cast):
    pair = candidate(DESA_A, DESA_A2)
    client.force_login(cast.officer)
    detail = client.get(reverse("registry:duplicates:detail", args=[pair.pk]))
    assert detail.status_code == 200
    assert "Budi Santoso" in detail.content.decode()
    response = client.post(
        reverse("registry:duplicates:merge", args=[pair.pk]), {"keep": pair.person_a_id}
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=pair.person_b_id).exists()
    merge = PersonMerge.objects.get()
    history = client.get(reverse("registry:duplicates:merges"))
    assert [m.pk for m in history.context["page"]] == [merge.pk]
    client.post(reverse("registry:duplicates:undo", args=[merge.pk]))
    assert Person.objects.filter(pk=pair.person_b_id).exists()
    assert DuplicateCandidate.objects.get(pk=pair.pk).status == DuplicateStatus.OPEN


def test_keeping_a_record_outside_the_pair_is_refused_with_a_message(client, cast):
    pair = candidate(DESA_A, DESA_A2)
    stranger = person("Orang Lain", DESA_A)
    client.force_login(cast.officer)
    response = client.post(
        reverse("registry:duplicates:merge", args=[pair.pk]), {"keep": stranger.pk}, follow=True
    )
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert not PersonMerge.objects.exists()


def test_mark_distinct_from_the_page(client, cast):
    pair = candidate(DESA_A, DESA_A2)
    client.force_login(cast.manager)
    client.post(reverse("registry:duplicates:distinct", args=[pair.pk]))
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == (DuplicateStatus.DISTINCT, cast.manager)


def test_search_from_the_page_finds_pairs(client, cast, django_capture_on_commit_callbacks):
    person("Joko Cahyono", DESA_A)
    person("Djoko Tjahjono", DESA_A)
    client.force_login(cast.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:duplicates:search"))
    assert DuplicateCandidate.objects.count() == 1


def test_the_queue_query_count_does_not_grow_and_exports(
    client, cast, django_assert_max_num_queries
):
    for i in range(25):
        candidate(DESA_A, DESA_A2, name=f"Nama {i} Orang")
    client.force_login(cast.officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:duplicates:list")).status_code == 200
    export = client.get(reverse("registry:duplicates:list") + "?export=csv")
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 26
    with django_assert_max_num_queries(12):
        assert client.get(reverse("registry:duplicates:merges")).status_code == 200
