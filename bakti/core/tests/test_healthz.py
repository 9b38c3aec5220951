"""/healthz answers load balancers without a login."""

from django.test import Client


def test_healthz_reports_the_database_and_queue(client: Client, db) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["queue_ready"] == "0"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_takes_only_get(client: Client, db) -> None:
    assert client.post("/healthz").status_code == 405
