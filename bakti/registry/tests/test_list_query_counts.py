import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from bakti.registry import services
from bakti.registry.tests import factories
from conftest import DESA_A


def _fill(cast, n: int) -> None:
    program = factories.program(cast, code=f"P{n}")
    for i in range(n):
        home = factories.family(DESA_A, head_name=f"Head {i}", child_born=dt.date(2019, 1, 1))
        services.person_update(actor=None, person=home.head, data={}, ppks=[factories.ppks("24")])
        services.enrolment_propose(actor=None, program=program, household=home)


@pytest.mark.parametrize("name", ["search", "person_list", "enrolment_list"])
def test_list_query_count_does_not_grow_with_rows(
    cast, name, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(cast.manager)
    url = reverse(f"registry:{name}")
    _fill(cast, 2)
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    _fill(cast, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        b"".join(client.get(url, {"export": "csv"}).streaming_content)


def test_household_page_query_count_does_not_grow_with_members(
    cast, django_assert_max_num_queries
) -> None:
    client = Client()
    client.force_login(cast.manager)
    home = factories.family(DESA_A)
    url = reverse("registry:household_detail", args=[home.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for i in range(8):
        factories.person(home, name=f"Extra {i}", sex="M", born=dt.date(1990, 1, 1))
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
