"""Requests the API fuzzer (tests/fuzz/test_api_schemathesis.py) found to fail with a 500."""

from bakti.accounts.services import api_token_create


def test_a_year_out_of_range_is_a_422_naming_the_field(client, cast):
    _, raw = api_token_create(actor=cast.manager, name="fuzz")
    response = client.get("/api/v1/programs/?year=-5032594", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert any("year" in error["field"] for error in body["errors"])
