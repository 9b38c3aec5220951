"""List pages and API lists: the number of queries does not grow with the number of rows."""

import datetime as dt

import pytest

from bakti.finance import services

from . import factories


def _books(cast, programs):
    for n in range(programs):
        prog = factories.program(cast.department)
        for k in range(3):
            line = factories.line(cast.department, "1000000", prog=prog, code=f"{n}.{k}")
            services.disbursement_plan_spread(actor=cast.finance, line=line)
            factories.spend(cast.finance, cast.manager, line, "1000", dt.date(2026, 2, 2))
            services.entry_approve(
                cast.manager,
                services.commitment_record(
                    actor=cast.finance,
                    line=line,
                    date=dt.date(2026, 2, 2),
                    amount=1000,
                    payee="p",
                    description="c",
                ),
            )


URLS = [
    "/finance/?group_by=line",
    "/finance/?group_by=program",
    "/finance/?group_by=activity",
    "/finance/?group_by=org_unit",
    "/finance/absorption/",
    "/finance/expenditures/",
    "/finance/commitments/",
    "/finance/setup/",
    "/api/v1/finance/lines",
    "/api/v1/finance/expenditures",
    "/api/v1/finance/summary?group_by=line",
]


@pytest.mark.parametrize("url", URLS)
def test_list_queries_do_not_grow_with_rows(client, cast, django_assert_max_num_queries, url):
    client.force_login(cast.manager)
    _books(cast, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _books(cast, 4)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
