"""The region tree through the API: search, one region, 404 and 401 bodies."""

from django.test import Client

from conftest import DESA_A, DESA_A2, KECAMATAN_A


def test_regions_need_authentication(client: Client, cast) -> None:
    response = client.get("/api/v1/regions/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_search_by_parent_level_and_name(client: Client, cast) -> None:
    client.force_login(cast.field_worker_a)
    body = client.get("/api/v1/regions/", {"parent": KECAMATAN_A}).json()
    assert body["count"] == 2
    assert [r["code"] for r in body["items"]] == [DESA_A, DESA_A2]
    assert body["items"][0]["parent_code"] == KECAMATAN_A
    body = client.get("/api/v1/regions/", {"level": 3}).json()
    assert {r["code"] for r in body["items"]} == {"34.04.01", "34.04.02", "34.71.01"}
    body = client.get("/api/v1/regions/", {"q": "godean"}).json()
    assert [r["code"] for r in body["items"]] == ["34.04.02"]
    body = client.get("/api/v1/regions/", {"limit": 2, "offset": 0}).json()
    assert len(body["items"]) == 2
    assert body["count"] == 11


def test_one_region_and_a_missing_one(client: Client, cast) -> None:
    client.force_login(cast.manager)
    assert client.get(f"/api/v1/regions/{DESA_A}").json()["name"] == "Balecatur"
    missing = client.get("/api/v1/regions/99.99", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert missing.json()["errors"] == []
    assert missing.json()["detail"].startswith("Not found")
