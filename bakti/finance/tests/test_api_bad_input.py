"""Requests the API fuzzer found to fail, and the role check the API shares with the pages."""

import pytest

from bakti.accounts.services import api_token_create

from . import factories

HUGE = "839690887941724097740800"


@pytest.mark.parametrize("kind", ["expenditures", "commitments"])
def test_an_offset_past_what_the_database_can_count_is_a_422_naming_it(client, cast, kind):
    _, raw = api_token_create(actor=cast.manager, name="fuzz")
    response = client.get(
        f"/api/v1/finance/{kind}?offset={HUGE}&line=100&limit=60574163&program=300",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"query.offset", "query.limit"}


def test_a_role_without_finance_view_gets_403_on_one_line_not_404(client, cast):
    line = factories.line(cast.department, "1000")
    client.force_login(cast.field_worker_a)
    response = client.get(f"/api/v1/finance/lines/{line.pk}")
    assert response.status_code == 403
    assert response.json()["detail"]
    client.force_login(cast.manager)
    assert client.get(f"/api/v1/finance/lines/{line.pk}").status_code == 200


@pytest.mark.parametrize("kind", ["expenditures", "commitments"])
def test_a_role_without_finance_view_gets_403_on_one_entry(client, cast, kind):
    client.force_login(cast.partner)
    assert client.get(f"/api/v1/finance/{kind}/1").status_code == 403
    client.force_login(cast.manager)
    assert client.get(f"/api/v1/finance/{kind}/999999").status_code == 404
