"""The API: 401 with the common error body, personal access tokens, OpenAPI and its docs."""

import hashlib
import json
import re

from django.test import Client

from bakti.accounts.models import ApiToken


def create_token(client: Client, name: str = "Dashboard script") -> str:
    response = client.post("/accounts/tokens/", {"name": name, "expires_at": ""})
    assert response.status_code == 200
    return response.context["raw"]


def test_unauthenticated_call_gets_401_with_the_common_error_body(client: Client, db) -> None:
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert body["errors"] == []
    assert "Authentication required" in body["detail"]


def test_a_made_up_token_gets_401(client: Client, cast) -> None:
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer bkt_not-a-real-token")
    assert response.status_code == 401


def test_token_is_shown_once_and_stored_only_as_a_hash(client: Client, cast) -> None:
    client.force_login(cast.officer)
    raw = create_token(client)
    assert raw.startswith("bkt_")
    token = ApiToken.objects.get(user=cast.officer)
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(raw in value for value in stored)
    assert raw not in client.get("/accounts/tokens/").content.decode()


def test_a_token_needs_a_name(client: Client, cast) -> None:
    client.force_login(cast.officer)
    response = client.post("/accounts/tokens/", {"name": "", "expires_at": ""})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_bearer_token_authenticates_as_its_owner(client: Client, cast) -> None:
    client.force_login(cast.field_worker_a)
    raw = create_token(client)
    api = Client()
    response = api.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "worker_a"
    assert body["memberships"][0]["region_code"] == "34.04.01"
    assert "registry" in body["modules"]
    assert "finance" not in body["modules"]
    assert api.get("/api/v1/me", HTTP_X_API_KEY=raw).status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_gets_401(client: Client, cast) -> None:
    client.force_login(cast.officer)
    raw = create_token(client)
    token = ApiToken.objects.get()
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_of_an_inactive_user_gets_401(client: Client, cast) -> None:
    client.force_login(cast.officer)
    raw = create_token(client)
    cast.officer.is_active = False
    cast.officer.save(update_fields=["is_active"])
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_can_revoke_someone_elses_token(client: Client, cast) -> None:
    client.force_login(cast.officer)
    create_token(client)
    token = ApiToken.objects.get()
    other = Client()
    other.force_login(cast.manager)
    assert other.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_token_pages_ask_anonymous_visitors_to_log_in(client: Client, db) -> None:
    assert client.get("/accounts/tokens/").url.startswith("/accounts/login/")
    assert client.post("/accounts/tokens/1/revoke/").url.startswith("/accounts/login/")


def test_session_login_also_authenticates_api_calls(client: Client, cast) -> None:
    client.force_login(cast.manager)
    assert client.get("/api/v1/me").json()["username"] == "manager"


def test_openapi_document_is_valid_openapi_3(client: Client, db) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Bakti API"
    assert "/api/v1/me" in spec["paths"]
    assert "/api/v1/regions/" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("responses"), f"{method} {path} has no responses"
            assert operation.get("operationId")
    refs = re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec))
    assert set(refs) <= set(spec["components"]["schemas"])


def test_api_docs_load_only_local_assets(client: Client, db) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the docs page loads no assets"
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} is not served by Bakti"
        assert client.get(asset).status_code == 200, asset
    # The only inline <script> blocks are JSON data, which a browser never runs.
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes
