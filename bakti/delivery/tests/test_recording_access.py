"""Recording pages and actions: refused to those who only read, and working for field workers."""

import json
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bakti.delivery import services
from bakti.delivery.models import Event, Headcount, ServiceDelivery, Worker
from conftest import DESA_A, DESA_B, KECAMATAN_A


def _urls(world, event, distribution):
    worker = services.worker_create(
        actor=world.cast.manager, full_name="Suparmi", worker_type="psm", region_id=KECAMATAN_A
    )
    return [
        ("get", reverse("delivery:service_type_create")),
        ("get", reverse("delivery:service_type_edit", args=[world.food.pk])),
        ("get", reverse("delivery:worker_create")),
        ("get", reverse("delivery:worker_edit", args=[worker.pk])),
        ("post", reverse("delivery:worker_assign", args=[worker.pk])),
        ("get", reverse("delivery:event_create")),
        ("get", reverse("delivery:event_edit", args=[event.pk])),
        ("get", reverse("delivery:event_checkin_search", args=[event.pk])),
        ("post", reverse("delivery:event_checkin", args=[event.pk])),
        ("post", reverse("delivery:event_headcount", args=[event.pk])),
        ("get", reverse("delivery:delivery_create")),
        ("get", reverse("delivery:round_create")),
        ("post", reverse("delivery:round_receive", args=[distribution.pk])),
        ("get", reverse("delivery:round_import", args=[distribution.pk])),
        ("post", reverse("delivery:round_close", args=[distribution.pk])),
    ]


def test_recording_is_refused_to_readers_and_outsiders(client, world, event, distribution):
    for method, url in _urls(world, event, distribution):
        for user in (world.cast.mne, world.cast.auditor, world.cast.outsider, world.cast.partner):
            client.force_login(user)
            assert getattr(client, method)(url).status_code == 403, (user, url)
        client.logout()
        assert getattr(client, method)(url).status_code == 302


def test_detail_pages_are_refused_to_outsiders(client, world, event, distribution):
    worker = services.worker_create(
        actor=world.cast.manager, full_name="Suparmi", worker_type="psm", region_id=KECAMATAN_A
    )
    for url in (
        reverse("delivery:event_detail", args=[event.pk]),
        reverse("delivery:round_detail", args=[distribution.pk]),
        reverse("delivery:round_pdf", args=[distribution.pk]),
        reverse("delivery:worker_detail", args=[worker.pk]),
    ):
        client.force_login(world.cast.outsider)
        assert client.get(url).status_code == 403
        client.force_login(world.cast.field_worker_a)
        assert client.get(url).status_code == 200


def test_a_field_worker_creates_an_event_in_their_area_only(client, world):
    client.force_login(world.cast.field_worker_a)
    data = {
        "program": world.program.pk,
        "activity": world.activity.pk,
        "topic": "Kelas pengasuhan",
        "date": "2026-03-02",
        "start_time": "09:00",
        "end_time": "08:00",
        "region": DESA_A,
    }
    response = client.post(reverse("delivery:event_create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert "The end time is before the start time." in response.content.decode()
    data["end_time"] = "11:00"
    data["region"] = DESA_B
    response = client.post(reverse("delivery:event_create"), data)
    assert response.status_code == 200 and not Event.objects.exists()
    data["region"] = DESA_A
    response = client.post(reverse("delivery:event_create"), data)
    assert response.status_code == 302
    assert Event.objects.get().created_by == world.cast.field_worker_a


def test_unregistered_participants_are_counted_by_sex_age_and_disability(client, world, event):
    client.force_login(world.cast.field_worker_a)
    client.post(
        reverse("delivery:event_headcount", args=[event.pk]),
        {"n_F_adult_n": "4", "n_M_child_d": "1", "n_M_older_n": ""},
    )
    counts = {(h.sex, h.age_group, h.with_disability): h.count for h in Headcount.objects.all()}
    assert counts[("F", "adult", False)] == 4
    assert counts[("M", "child", True)] == 1
    assert sum(counts.values()) == 5
    client.post(reverse("delivery:event_headcount", args=[event.pk]), {"n_F_adult_n": "-2"})
    assert Headcount.objects.get(sex="F", age_group="adult", with_disability=False).count == 4


def test_a_delivery_with_evidence_checks_the_file(client, world):
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:delivery_create") + f"?program={world.program.pk}"
    data = {
        "enrolment": world.enrolments_a[0].pk,
        "service_type": world.food.pk,
        "quantity": "2",
        "delivered_on": "2026-03-01",
    }
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    response = client.post(url, {**data, "evidence": fake}, HTTP_ACCEPT_LANGUAGE="en")
    assert "is named .jpg but its content is not in the JPEG format" in response.content.decode()
    assert not ServiceDelivery.objects.exists()
    exe = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {**data, "evidence": exe}, HTTP_ACCEPT_LANGUAGE="en")
    assert "cannot be uploaded here" in response.content.decode()
    photo = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    response = client.post(url, {**data, "evidence": photo})
    assert response.status_code == 302
    delivery = ServiceDelivery.objects.get()
    assert delivery.value == 500000 and delivery.evidence.name.endswith(".png")
    # Another kecamatan's household is not offered, and not accepted.
    response = client.post(url, {**data, "enrolment": world.enrolments_b[0].pk})
    assert response.status_code == 200 and ServiceDelivery.objects.count() == 1


def test_the_api_records_and_refuses_like_the_pages(client, world, distribution):
    client.force_login(world.cast.field_worker_a)
    lines = {r.enrolment_id: r.pk for r in distribution.recipients.all()}
    body = {
        "recipient_ids": [lines[world.enrolments_a[0].pk], lines[world.enrolments_b[0].pk]],
        "delivered_on": "2026-02-10",
    }
    response = client.post(
        f"/api/v1/delivery/rounds/{distribution.pk}/receipts",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["recorded"] == 1 and len(response.json()["errors"]) == 1
    again = client.post(
        f"/api/v1/delivery/rounds/{distribution.pk}/receipts",
        data=json.dumps(body),
        content_type="application/json",
    ).json()
    assert again["recorded"] == 0
    outside = client.post(
        "/api/v1/delivery/deliveries",
        data=json.dumps(
            {
                "enrolment_id": world.enrolments_b[0].pk,
                "service_type_id": world.food.pk,
                "delivered_on": "2026-02-10",
            }
        ),
        content_type="application/json",
    )
    assert outside.status_code == 404
    listed = client.get(f"/api/v1/delivery/rounds/{distribution.pk}/recipients").json()
    assert {r["enrolment_id"] for r in listed["items"]} == {e.pk for e in world.enrolments_a}
    client.force_login(world.cast.finance)
    assert client.get("/api/v1/delivery/events").status_code == 403


def test_workload_counts_events_and_deliveries_per_worker_and_month_in_one_query(
    world, django_assert_num_queries
):
    from bakti.delivery import selectors

    worker = services.worker_create(
        actor=world.cast.manager, full_name="Dewi", worker_type="psm", region_id=KECAMATAN_A
    )
    Worker.objects.filter(pk=worker.pk).update(user=world.cast.field_worker_a)
    for day in (date(2026, 1, 5), date(2026, 1, 20), date(2026, 2, 2)):
        services.event_create(
            actor=world.cast.manager,
            program=world.program,
            topic="x",
            date=day,
            region_id=DESA_A,
            facilitator=worker,
        )
    services.delivery_record(
        actor=world.cast.manager,
        enrolment=world.enrolments_a[0],
        service_type=world.food,
        quantity=1,
        delivered_on=date(2026, 2, 3),
        delivered_by=worker,
    )
    from bakti.cases.services import case_open
    from bakti.cases.tests.helpers import case_type

    case_open(
        actor=world.cast.field_worker_a,
        case_type=case_type(),
        person=world.people_a[0],
        summary="x",
        opened_on=date(2026, 2, 4),
    )
    user = world.cast.field_worker_a
    selectors.worker_list_for_user(user).count()  # warm the user's scope cache
    with django_assert_num_queries(1):
        table = selectors.workload(user, date_from=date(2026, 1, 1), date_to=date(2026, 2, 28))
    assert table[(worker.pk, date(2026, 1, 1))] == {"events": 2, "cases": 0, "deliveries": 0}
    assert table[(worker.pk, date(2026, 2, 1))] == {"events": 1, "cases": 1, "deliveries": 1}


def test_region_choices_come_from_the_scope_or_the_units_jurisdiction(world):
    from bakti.delivery.forms import regions_for

    officer = regions_for(world.cast.officer, "delivery.record", levels=(4,))
    assert DESA_A in {r.code for r in officer} and DESA_B in {r.code for r in officer}
    field = regions_for(world.cast.field_worker_a, "delivery.record", levels=(4,))
    assert {r.code for r in field} == {DESA_A, "34.04.01.2002"}
