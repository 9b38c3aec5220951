"""The finance API: the same rules as the pages, errors in the common body."""

from decimal import Decimal

from bakti.finance.models import EntryStatus, Expenditure

from . import factories


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_record_then_approve_through_the_api_with_four_eyes(client, cast):
    line = factories.line(cast.department, "1000000")
    client.force_login(cast.finance)
    created = _post(
        client,
        "/api/v1/finance/expenditures",
        {
            "line_id": line.pk,
            "date": "2026-05-05",
            "amount": "250000.00",
            "payee": "CV X",
            "description": "ATK",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["amount_idr"] == "250000.00"
    assert body["recorded_by"] == "finance"
    entry_id = body["id"]
    assert _post(client, f"/api/v1/finance/expenditures/{entry_id}/approve", {}).status_code == 403
    client.force_login(cast.manager)
    approved = _post(client, f"/api/v1/finance/expenditures/{entry_id}/approve", {})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    detail = client.get(f"/api/v1/finance/lines/{line.pk}").json()
    assert Decimal(detail["figures"]["realised"]) == Decimal("250000")
    assert Decimal(detail["figures"]["available"]) == Decimal("750000")


def test_api_errors_say_what_and_where(client, cast):
    line = factories.line(cast.department, "1000")
    client.force_login(cast.finance)
    response = _post(
        client,
        "/api/v1/finance/expenditures",
        {
            "line_id": line.pk,
            "date": "2030-01-01",
            "amount": "-1",
            "payee": "p",
            "description": "d",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"date", "amount"} <= fields
    response = _post(client, "/api/v1/finance/expenditures", {"line_id": line.pk})
    assert response.status_code == 422
    assert response.json()["errors"]
    entry = factories.spend(cast.finance, cast.manager, line, "900")
    over = _post(
        client,
        "/api/v1/finance/expenditures",
        {
            "line_id": line.pk,
            "date": "2026-05-05",
            "amount": "500",
            "payee": "p",
            "description": "d",
        },
    ).json()
    client.force_login(cast.head)
    refused = _post(client, f"/api/v1/finance/expenditures/{over['id']}/approve", {})
    assert refused.status_code == 422
    assert "melampaui sisa pagu" in refused.json()["errors"][0]["message"]  # Indonesian default
    reversal = None
    client.force_login(cast.finance)
    reversal = _post(
        client, f"/api/v1/finance/expenditures/{entry.pk}/reverse", {"reason": "salah"}
    )
    assert reversal.status_code == 201
    assert reversal.json()["amount_idr"] == "-900.00"
    assert Expenditure.objects.filter(status=EntryStatus.PENDING).count() == 2


def test_commitments_and_reference_data_are_listed(client, cast):
    line = factories.line(cast.department, "1000")
    client.force_login(cast.finance)
    created = _post(
        client,
        "/api/v1/finance/commitments",
        {
            "line_id": line.pk,
            "date": "2026-05-05",
            "amount": "100",
            "payee": "p",
            "description": "SPK",
        },
    )
    assert created.status_code == 201
    listed = client.get("/api/v1/finance/commitments", {"status": "pending"}).json()
    assert listed["count"] == 1
    assert client.get("/api/v1/finance/fiscal-years").json()["items"][0]["year"] == 2026
    assert client.get("/api/v1/finance/funding-sources").json()["count"] == 1
    bad = client.get("/api/v1/finance/summary", {"group_by": "colour"})
    assert bad.status_code == 422
