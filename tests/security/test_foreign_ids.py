"""Writes that name a record in their body, not in their URL: field worker A sending the id of a
kecamatan-B record is refused and nothing is written; the same request naming their own
kecamatan's record goes through (so the refusal is about scope, not a bad body)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from .test_scope_matrix import fingerprint
from .world import World

pytestmark = pytest.mark.django_db


def _bodies(w: World, side: str) -> dict[str, tuple[str, dict[str, Any]]]:
    o = w.objects
    return {
        "open a case": (
            "/api/v1/cases/",
            {
                "case_type_id": o["case_a"].case_type_id,
                "person_id": o[f"person_{side}"].pk,
                "summary": "Perlu pendampingan",
            },
        ),
        "record a delivery": (
            "/api/v1/delivery/deliveries",
            {
                "enrolment_id": o[f"enrolment_{side}"].pk,
                "service_type_id": o["service_type"].pk,
                "delivered_on": "2026-03-05",
            },
        ),
        "check a person in": (
            f"/api/v1/delivery/events/{o['event_a'].pk}/attendance",
            {"person_id": o[f"person_{side}"].pk},
        ),
        "record a consent": (
            "/api/v1/registry/consents",
            {
                "person_id": o[f"person_{side}"].pk,
                "purpose": "data_sharing",
                "given_on": "2026-01-05",
            },
        ),
        "propose an enrolment": (
            "/api/v1/registry/enrolments",
            {"program_id": o["program_a"].pk, "household_id": o[f"household_{side}"].pk},
        ),
        "add a household member": (
            "/api/v1/registry/persons",
            {"household_id": o[f"household_{side}"].pk, "full_name": "Anak Baru", "sex": "M"},
        ),
    }


ACTIONS = [
    "open a case",
    "record a delivery",
    "check a person in",
    "record a consent",
    "propose an enrolment",
    "add a household member",
]


def _post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("action", ACTIONS)
def test_a_record_of_another_kecamatan_in_the_body_is_refused(action: str, world: World, db: Any):
    client = Client()
    client.force_login(world.cast.field_worker_a)
    url, body = _bodies(world, "b")[action]
    before = fingerprint()
    response = _post(client, url, body)
    assert response.status_code in {403, 404, 422}, (action, response.status_code, response.content)
    assert fingerprint() == before, f"{action}: refused, yet something was written"
    text = response.content.decode()
    for marker in world.forbidden_for("field_worker_a"):
        assert marker.text not in text, f"{action}: the refusal shows {marker.what}"


@pytest.mark.parametrize("action", ACTIONS)
def test_the_same_request_for_their_own_kecamatan_goes_through(action: str, world: World, db: Any):
    client = Client()
    client.force_login(world.cast.field_worker_a)
    url, body = _bodies(world, "a")[action]
    response = _post(client, url, body)
    assert response.status_code in {200, 201}, (action, response.status_code, response.content)
