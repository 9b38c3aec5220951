"""Requests the API fuzzer (tests/fuzz/test_api_schemathesis.py) found to fail with a 500."""

from bakti.accounts.services import api_token_create


def test_a_year_out_of_range_is_a_422_naming_the_field(client, cast):
    _, raw = api_token_create(actor=cast.manager, name="fuzz")
    response = client.get("/api/v1/programs/?year=-5032594", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert any("year" in error["field"] for error in body["errors"])


def test_a_role_that_may_not_edit_programs_gets_403_before_any_lookup(client, cast):
    from . import factories

    program = factories.program(cast, regions=["34.04.01"])
    client.force_login(cast.field_worker_a)
    assert client.get(f"/api/v1/programs/{program.pk}").status_code == 200
    response = client.patch(f"/api/v1/programs/{program.pk}", b"{}", "application/json")
    assert response.status_code == 403
    assert response.json()["detail"]
    # The same for a record that does not exist: the role decides first, then the scope.
    assert client.delete("/api/v1/programs/risks/999999").status_code == 403
    client.force_login(cast.manager)
    assert client.delete("/api/v1/programs/risks/999999").status_code == 404
