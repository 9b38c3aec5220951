"""Who may open what: field workers and outsiders get 403 everywhere in finance; finance
officers record but do not approve; out-of-scope or unknown records give 404."""

import datetime as dt
from decimal import Decimal

import pytest

from bakti.finance import services

from . import factories


@pytest.fixture
def records(cast):
    line = factories.line(cast.department, "1000000")
    expenditure = services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 3),
        amount=Decimal("1000"),
        payee="p",
        description="d",
    )
    commitment = services.commitment_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 3),
        amount=Decimal("1000"),
        payee="p",
        description="d",
    )
    return {"line": line, "expenditure": expenditure, "commitment": commitment}


def _urls(records):
    line, exp, com = records["line"].pk, records["expenditure"].pk, records["commitment"].pk
    return [
        ("get", "/finance/"),
        ("get", "/finance/absorption/"),
        ("get", "/finance/report/"),
        ("get", "/finance/setup/"),
        ("get", "/finance/lines/new/"),
        ("get", f"/finance/lines/{line}/"),
        ("get", f"/finance/lines/{line}/edit/"),
        ("get", f"/finance/lines/{line}/revise/"),
        ("get", f"/finance/lines/{line}/plan/"),
        ("get", "/finance/expenditures/"),
        ("get", "/finance/expenditures/new/"),
        ("get", f"/finance/expenditures/{exp}/"),
        ("post", f"/finance/expenditures/{exp}/approve/"),
        ("post", f"/finance/expenditures/{exp}/reject/"),
        ("post", f"/finance/expenditures/{exp}/reverse/"),
        ("get", "/finance/commitments/"),
        ("get", "/finance/commitments/new/"),
        ("get", f"/finance/commitments/{com}/"),
        ("post", f"/finance/commitments/{com}/approve/"),
        ("post", f"/finance/commitments/{com}/close/"),
        ("get", "/api/v1/finance/lines"),
        ("get", "/api/v1/finance/summary"),
        ("get", "/api/v1/finance/expenditures"),
        ("post", f"/api/v1/finance/expenditures/{exp}/approve"),
    ]


@pytest.mark.parametrize("who", ["field_worker_a", "field_worker_b", "outsider", "partner", "mne"])
def test_people_without_finance_roles_are_refused_everywhere(client, cast, records, who):
    client.force_login(getattr(cast, who))
    for method, url in _urls(records):
        if url.startswith("/api/"):
            response = getattr(client, method)(
                url, {} if method == "get" else "{}", content_type="application/json"
            )
        else:
            response = getattr(client, method)(url)
        assert response.status_code == 403, (who, url, response.status_code)


def test_anonymous_visitors_are_sent_to_log_in(client, records):
    response = client.get("/finance/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert client.get("/api/v1/finance/lines").status_code == 401


def test_auditors_read_but_change_nothing(client, cast, records):
    client.force_login(cast.auditor)
    assert client.get("/finance/").status_code == 200
    assert client.get(f"/finance/expenditures/{records['expenditure'].pk}/").status_code == 200
    assert client.get("/finance/expenditures/new/").status_code == 403
    assert client.get(f"/finance/lines/{records['line'].pk}/revise/").status_code == 403
    assert (
        client.post(f"/finance/expenditures/{records['expenditure'].pk}/approve/").status_code
        == 403
    )
    assert client.post("/finance/setup/", {"which": "year", "year-year": "2030"}).status_code == 403


def test_finance_officers_record_but_cannot_approve(client, cast, records):
    client.force_login(cast.finance)
    assert client.get("/finance/expenditures/new/").status_code == 200
    exp = records["expenditure"].pk
    assert client.post(f"/finance/expenditures/{exp}/approve/").status_code == 403
    response = client.post(
        f"/api/v1/finance/expenditures/{exp}/approve", "{}", content_type="application/json"
    )
    assert response.status_code == 403


def test_unknown_records_give_404(client, cast, records):
    client.force_login(cast.manager)
    assert client.get("/finance/lines/999999/").status_code == 404
    assert client.get("/finance/expenditures/999999/").status_code == 404
    assert client.get("/api/v1/finance/lines/999999").status_code == 404
    assert (
        client.get(f"/finance/expenditures/{records['expenditure'].pk}/evidence/").status_code
        == 404
    )
