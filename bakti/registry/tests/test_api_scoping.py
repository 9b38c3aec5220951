"""The registry API: same scoping and masking as the pages, for every route."""

import datetime as dt

import pytest
from django.test import Client

from bakti.privacy.models import AccessLog
from bakti.registry import services
from bakti.registry.tests import factories
from conftest import DESA_A, DESA_B

API = "/api/v1/registry"


@pytest.fixture
def world(cast):
    home_a = factories.family(DESA_A, head_name="Agus A", child_born=dt.date(2016, 1, 1))
    home_b = factories.family(DESA_B, head_name="Bambang B")
    program = factories.program(cast)
    consent = services.consent_give(
        actor=None, person=home_a.head, purpose="enrolment", given_on=dt.date(2026, 1, 1)
    )
    enrolment = services.enrolment_propose(actor=None, program=program, household=home_a)
    return {
        "a": home_a,
        "b": home_b,
        "program": program,
        "consent": consent,
        "enrolment": enrolment,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["items"]}


def test_lists_are_scoped_for_field_workers(cast, world) -> None:
    a, b = world["a"], world["b"]
    wa, wb = _client(cast.field_worker_a), _client(cast.field_worker_b)
    assert _ids(wa.get(f"{API}/households")) == {a.pk}
    assert _ids(wb.get(f"{API}/households")) == {b.pk}
    assert {p["full_name"] for p in wa.get(f"{API}/persons").json()["items"]} == {
        "Agus A",
        "Siti Rahayu",
        "Adi Saputra",
    }
    assert _ids(wa.get(f"{API}/enrolments")) == {world["enrolment"].pk}
    assert _ids(wb.get(f"{API}/enrolments")) == set()
    assert _ids(wa.get(f"{API}/consents")) == {world["consent"].pk}
    assert _ids(wb.get(f"{API}/consents")) == set()


def test_other_areas_records_are_404(cast, world) -> None:
    a = world["a"]
    wb = _client(cast.field_worker_b)
    for url in [
        f"{API}/households/{a.pk}",
        f"{API}/persons/{a.head_id}",
    ]:
        assert wb.get(url).status_code == 404, url
    assert wb.post(f"{API}/persons/{a.head_id}/reveal").status_code == 404
    assert wb.post(f"{API}/households/{a.pk}/reveal").status_code == 404
    response = wb.post(
        f"{API}/consents/{world['consent'].pk}/withdraw",
        {"withdrawn_on": "2026-02-01", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = wb.post(
        f"{API}/enrolments/{world['enrolment'].pk}/suspend",
        {"on": "2026-02-01", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["partner", "outsider", "finance", "admin"])
def test_users_without_registry_access_get_403(cast, world, who) -> None:
    client = _client(getattr(cast, who))
    for url in ["households", "persons", "consents", "enrolments"]:
        assert client.get(f"{API}/{url}").status_code == 403, url


def test_anonymous_gets_401(world) -> None:
    assert Client().get(f"{API}/households").status_code == 401


def test_nik_and_kk_are_masked_and_reveal_is_logged(cast, world) -> None:
    a = world["a"]
    client = _client(cast.manager)
    text = (
        client.get(f"{API}/persons").content.decode()
        + client.get(f"{API}/households/{a.pk}").content.decode()
        + client.get(f"{API}/households").content.decode()
    )
    assert a.head.nik not in text and a.no_kk not in text
    assert a.head.nik[:4] + "********" + a.head.nik[-4:] in text
    response = client.post(f"{API}/persons/{a.head_id}/reveal")
    assert response.json() == {"value": a.head.nik}
    assert AccessLog.objects.filter(actor=cast.manager, what="NIK").count() == 1


def test_auditor_reads_but_cannot_write_or_reveal(cast, world) -> None:
    client = _client(cast.auditor)
    assert client.get(f"{API}/households").status_code == 200
    assert client.post(f"{API}/persons/{world['a'].head_id}/reveal").status_code == 403
    response = client.post(
        f"{API}/households",
        {"no_kk": "3404010101019999", "region_code": DESA_A},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_create_person_with_bad_nik_explains_the_field(cast, world) -> None:
    client = _client(cast.field_worker_a)
    response = client.post(
        f"{API}/persons",
        {"household_id": world["a"].pk, "full_name": "X", "sex": "F", "nik": "12345"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["field"] == "nik" and "16 digit" in errors[0]["message"]


def test_enrolment_lifecycle_through_the_api(cast, world) -> None:
    enrolment = world["enrolment"]
    worker = _client(cast.field_worker_a)
    assert (
        worker.post(
            f"{API}/enrolments/{enrolment.pk}/approve", {}, content_type="application/json"
        ).status_code
        == 403
    )
    manager = _client(cast.manager)
    response = manager.post(
        f"{API}/enrolments/{enrolment.pk}/approve",
        {"on": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "enrolled"
    response = worker.post(
        f"{API}/enrolments/{enrolment.pk}/suspend",
        {"on": "2026-03-01", "reason": "away", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 409  # version 1 is stale: approval made it 2
    response = worker.post(
        f"{API}/enrolments/{enrolment.pk}/suspend",
        {"on": "2026-03-01", "reason": "away", "version": 2},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "suspended"


def test_children_hidden_without_sensitive(cast, world, monkeypatch) -> None:
    from bakti.accounts import roles

    monkeypatch.setitem(
        roles.CAPABILITIES,
        roles.Role.FIELD_WORKER,
        roles.CAPABILITIES[roles.Role.FIELD_WORKER] - {"registry.sensitive"},
    )
    client = _client(cast.field_worker_a)
    names = {p["full_name"] for p in client.get(f"{API}/persons").json()["items"]}
    assert "Adi Saputra" not in names
    detail = client.get(f"{API}/households/{world['a'].pk}").json()
    assert detail["hidden_members"] == 1
    assert all(m["has_disability"] is None and m["ppks"] is None for m in detail["members"])
