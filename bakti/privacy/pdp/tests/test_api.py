"""/api/v1/privacy/: the same scope, clock and rules as the pages."""

import datetime as dt
import json

from django.utils import timezone

from .conftest import receive

API = "/api/v1/privacy"


def test_the_list_is_scoped_and_refused_without_the_capability(client, world, cast, dpo, dpo_a):
    in_a = receive(dpo, world.people_a[0], hours_ago=80)
    in_b = receive(dpo, world.people_b[0])
    client.force_login(cast.field_worker_a)
    assert client.get(f"{API}/requests").status_code == 403
    client.force_login(dpo_a)
    items = client.get(f"{API}/requests").json()["items"]
    assert [i["id"] for i in items] == [in_a.pk]
    assert items[0]["overdue"] is True
    assert client.get(f"{API}/requests/{in_b.pk}").status_code == 404
    assert client.get(f"{API}/requests/{in_b.pk}/export").status_code == 404


def test_a_request_is_recorded_with_its_deadline_and_refused_with_a_reason(client, world, dpo):
    client.force_login(dpo)
    received = timezone.now().replace(microsecond=0)
    response = client.post(
        f"{API}/requests",
        json.dumps(
            {
                "kind": "deletion",
                "person_id": world.people_a[0].pk,
                "requester_name": "Siti Aminah",
                "requester_relation": "self",
                "channel": "letter",
                "received_at": received.isoformat(),
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region_id"] == world.people_a[0].region_id
    pk = body["id"]
    empty = client.post(
        f"{API}/requests/{pk}/refuse",
        json.dumps({"answer": "Ditolak", "answer_channel": "letter", "refusal_reason": ""}),
        content_type="application/json",
    )
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"].endswith("refusal_reason")
    done = client.post(
        f"{API}/requests/{pk}/refuse",
        json.dumps(
            {"answer": "Ditolak", "answer_channel": "letter", "refusal_reason": "Masih terdaftar."}
        ),
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["refusal_reason"] == "Masih terdaftar."


def test_the_access_export_is_available_to_the_officer(client, world, dpo):
    request = receive(dpo, world.people_a[0])
    client.force_login(dpo)
    data = client.get(f"{API}/requests/{request.pk}/export").json()
    assert data["person"]["full_name"] == "Siti Aminah"
    assert "registry.enrolment" in data["records"]


def test_times_without_a_zone_are_local_and_bad_numbers_are_refused(client, world, dpo):
    client.force_login(dpo)
    payload = {
        "kind": "access",
        "region_code": world.people_a[0].region_id,
        "requester_name": "Pak Budi",
        "requester_relation": "self",
        "channel": "phone",
        "received_at": "2026-11-20T08:00:00",
    }
    response = client.post(f"{API}/requests", json.dumps(payload), content_type="application/json")
    assert response.status_code == 201, response.content
    due = dt.datetime.fromisoformat(response.json()["due_at"])
    assert due == timezone.make_aware(dt.datetime(2026, 11, 23, 8, 0))  # local time, +72 h
    payload["person_id"] = 10**20
    response = client.post(f"{API}/requests", json.dumps(payload), content_type="application/json")
    assert response.status_code == 422
