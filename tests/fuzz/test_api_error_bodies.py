"""Every refusal under /api/v1/ has the common error body, also where no operation runs: an
unknown path (404) and a method the path does not offer (405), which the fuzzer found answered
with Django's HTML page and Ninja's plain text. Schema errors quote the value sent, and a page
asked for past what the database can count is a 422, not a 500."""

import pytest
from django.test import Client

from bakti.accounts.services import api_token_create


def _body(response):
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) >= {"detail", "errors"}
    return body


@pytest.fixture
def token(cast):
    _, raw = api_token_create(actor=cast.manager, name="errors")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def test_an_unknown_path_is_a_404_with_the_common_body(client, token):
    response = client.get("/api/v1/no/such/thing", **token)
    assert response.status_code == 404
    detail = _body(response)["detail"]
    assert "/api/v1/no/such/thing" in detail and "/api/v1/docs" in detail


def test_a_path_with_a_non_numeric_id_is_a_404_with_the_common_body(client, token):
    response = client.patch("/api/v1/programs/false", b"{}", "application/json", **token)
    assert response.status_code == 404
    assert "/api/v1/programs/false" in _body(response)["detail"]


def test_a_missing_trailing_slash_is_named_in_the_404(client, token):
    response = client.get("/api/v1/programs", **token)
    assert response.status_code == 404
    assert "/api/v1/programs/?" in _body(response)["detail"]


def test_a_post_to_an_unknown_path_with_a_session_is_a_404_not_a_csrf_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    response = client.post("/api/v1/nothing-here", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    _body(response)


def test_a_method_the_path_does_not_offer_is_a_405_with_the_common_body(client, token):
    response = client.delete("/api/v1/me", **token)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    detail = _body(response)["detail"]
    assert "DELETE" in detail and "GET" in detail


def test_the_405_message_is_in_the_users_language(client, token):
    response = client.delete("/api/v1/me", **{**token, "HTTP_ACCEPT_LANGUAGE": "id"})
    assert response.status_code == 405
    assert "tidak menerima DELETE" in _body(response)["detail"]


def test_a_schema_error_names_the_field_and_quotes_the_value(client, token):
    response = client.get("/api/v1/regions/?limit=abc", **token)
    assert response.status_code == 422
    (error,) = _body(response)["errors"]
    assert error["field"] == "query.limit"
    assert "whole number" in error["message"] and "abc" in error["message"]


@pytest.mark.parametrize("param", ["offset", "limit"])
def test_a_page_past_what_the_database_can_count_is_a_422(client, token, param):
    huge = "839690887941724097740800"
    response = client.get(f"/api/v1/regions/?{param}={huge}", **token)
    assert response.status_code == 422
    (error,) = _body(response)["errors"]
    assert error["field"] == f"query.{param}"
    assert "at most" in error["message"] and huge in error["message"]
