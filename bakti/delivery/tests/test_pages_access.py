"""Delivery pages: who may open them, scoping, and query counts that do not grow with rows."""

from datetime import date

import pytest
from django.urls import reverse

from bakti.delivery import services
from bakti.delivery.models import Attendance, ServiceDelivery
from conftest import DESA_A, DESA_B, KABUPATEN

from .world import more_households


def _event(world, region=DESA_A, topic="Pertemuan P2K2"):
    return services.event_create(
        actor=world.cast.manager,
        program=world.program,
        activity=world.activity,
        topic=topic,
        date=date(2026, 2, 3),
        region_id=region,
    )


def _round(world, region=KABUPATEN):
    return services.round_create(
        actor=world.cast.manager,
        program=world.program,
        service_type=world.food,
        name="Sembako Februari",
        region=region,
        planned_date=date(2026, 2, 10),
    )


LIST_PAGES = [
    "delivery:home",
    "delivery:event_list",
    "delivery:round_list",
    "delivery:delivery_list",
    "delivery:worker_list",
    "delivery:workload",
    "delivery:service_type_list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_pages_open_for_field_workers_and_are_refused_to_others(client, world, name):
    client.force_login(world.cast.field_worker_a)
    assert client.get(reverse(name)).status_code == 200
    for user in (world.cast.outsider, world.cast.finance, world.cast.partner):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_events_of_another_kecamatan_are_not_found(client, world):
    event_b = _event(world, region=DESA_B, topic="Di Godean")
    client.force_login(world.cast.field_worker_a)
    assert client.get(reverse("delivery:event_detail", args=[event_b.pk])).status_code == 404
    page = client.get(reverse("delivery:event_list"))
    assert "Di Godean" not in page.content.decode()
    client.force_login(world.cast.field_worker_b)
    assert client.get(reverse("delivery:event_detail", args=[event_b.pk])).status_code == 200


def test_monitoring_staff_read_but_cannot_record(client, world):
    event = _event(world)
    client.force_login(world.cast.mne)
    assert client.get(reverse("delivery:event_detail", args=[event.pk])).status_code == 200
    response = client.post(
        reverse("delivery:event_checkin", args=[event.pk]),
        {"person": world.people_a[0].pk, "status": "present"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_check_in_by_nik_and_by_name_finds_only_enrolled_people_in_scope(client, world):
    event = _event(world)
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:event_checkin_search", args=[event.pk])
    by_name = client.get(url, {"q": "siti"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Siti Aminah" in by_name
    by_nik = client.get(url, {"q": world.people_a[1].nik[:10]}).content.decode()
    assert "Sri Wahyuni" in by_nik
    not_enrolled = client.get(url, {"q": "Tidak Terdaftar"}).content.decode()
    assert "Tidak Terdaftar" not in not_enrolled
    other_area = client.get(url, {"q": "Joko"}).content.decode()
    assert "Joko" not in other_area


def test_check_in_records_attendance_and_refuses_people_outside_the_program(client, world):
    event = _event(world)
    client.force_login(world.cast.field_worker_a)
    url = reverse("delivery:event_checkin", args=[event.pk])
    ok = client.post(
        url, {"person": world.people_a[0].pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert ok.status_code == 200 and "list-group-item-success" in ok.content.decode()
    refused = client.post(
        url, {"person": world.outsider_person.pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert "list-group-item-danger" in refused.content.decode()
    other_area = client.post(
        url, {"person": world.people_b[0].pk, "status": "present"}, HTTP_HX_REQUEST="true"
    )
    assert "list-group-item-danger" in other_area.content.decode()
    assert list(Attendance.objects.values_list("person_id", flat=True)) == [world.people_a[0].pk]


def test_ticking_the_list_records_receipts_only_within_scope(client, world):
    distribution = _round(world)
    lines = {r.enrolment_id: r for r in distribution.recipients.all()}
    mine = lines[world.enrolments_a[0].pk]
    theirs = lines[world.enrolments_b[0].pk]
    client.force_login(world.cast.field_worker_a)
    page = client.get(reverse("delivery:round_detail", args=[distribution.pk])).content.decode()
    assert "Siti Aminah" in page and "Joko Susilo" not in page
    client.post(
        reverse("delivery:round_receive", args=[distribution.pk]),
        {"recipient": [mine.pk, theirs.pk], "delivered_on": "2026-02-10"},
    )
    assert list(ServiceDelivery.objects.values_list("enrolment_id", flat=True)) == [
        world.enrolments_a[0].pk
    ]


def test_importing_the_returned_csv_reports_bad_rows_and_keeps_good_ones(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    distribution = _round(world)
    lines = {r.enrolment_id: r.line for r in distribution.recipients.all()}
    first = lines[world.enrolments_a[0].pk]
    second = lines[world.enrolments_a[1].pk]
    services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=[distribution.recipients.get(line=second)],
        delivered_on=date(2026, 2, 10),
    )
    body = f"line,name,received\n{first},x,yes\n{second},y,yes\n999,z,yes\n{first},x,maybe\n"
    client.force_login(world.cast.field_worker_a)
    response = client.post(
        reverse("delivery:round_import", args=[distribution.pk]),
        {
            "file": SimpleUploadedFile("list.csv", body.encode(), content_type="text/csv"),
            "delivered_on": "2026-02-10",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "1 receipts recorded" in text
    assert "Row 3" in text and "Row 4" in text and "Row 5" in text
    assert ServiceDelivery.objects.filter(round=distribution).count() == 2


def test_the_recipient_list_prints_as_a_pdf_with_the_names(client, world):
    from io import BytesIO

    distribution = _round(world)
    client.force_login(world.cast.manager)
    response = client.get(reverse("delivery:round_pdf", args=[distribution.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 1000
    # Read the text back with WeasyPrint's own layout: render the same HTML and walk the boxes.
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from bakti.delivery import selectors

    html = render_to_string(
        "delivery/round_pdf.html",
        {
            "round": distribution,
            "recipients": selectors.recipients_for_user(world.cast.manager, distribution),
            "printed": None,
            "show_names": True,
        },
    )
    document = HTML(string=html).render()
    text = []

    def walk(box):
        if hasattr(box, "text"):
            text.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    joined = " ".join(text)
    for name in ["Siti Aminah", "Joko Susilo", "Rina Marlina"]:
        assert name in joined
    assert BytesIO(pdf)


@pytest.mark.parametrize(
    "name", ["delivery:event_list", "delivery:round_list", "delivery:delivery_list"]
)
def test_list_query_counts_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries, name
):
    for i in range(3):
        _event(world, topic=f"Event {i}")
    distribution = _round(world)
    services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=list(distribution.recipients.all()),
        delivered_on=date(2026, 2, 10),
    )
    client.force_login(world.cast.field_worker_a)
    client.get(reverse(name))
    with django_assert_max_num_queries(12):
        client.get(reverse(name))
    more_households(world, DESA_A, 10)
    for i in range(10):
        _event(world, topic=f"More {i}")
    second = _round(world)
    services.round_receive(
        actor=world.cast.manager,
        distribution=second,
        recipients=list(second.recipients.all()),
        delivered_on=date(2026, 2, 11),
    )
    with django_assert_max_num_queries(12):
        client.get(reverse(name))


def test_round_page_query_count_does_not_grow_with_recipients(
    client, world, django_assert_max_num_queries
):
    more_households(world, DESA_A, 15)
    distribution = _round(world)
    client.force_login(world.cast.field_worker_a)
    with django_assert_max_num_queries(14):
        client.get(reverse("delivery:round_detail", args=[distribution.pk]))


def test_readers_without_registry_access_see_counts_but_no_names(client, world):
    distribution = _round(world)
    services.round_receive(
        actor=world.cast.manager,
        distribution=distribution,
        recipients=list(distribution.recipients.all()[:1]),
        delivered_on=date(2026, 2, 10),
    )
    client.force_login(world.cast.mne)
    page = client.get(reverse("delivery:round_detail", args=[distribution.pk])).content.decode()
    assert "Siti Aminah" not in page and "1 of 5" in page.replace("dari", "of")
    export = b"".join(
        client.get(
            reverse("delivery:round_detail", args=[distribution.pk]), {"export": "csv"}
        ).streaming_content
    ).decode()
    assert "Siti" not in export and export.count("\n") == 6
    deliveries = client.get(reverse("delivery:delivery_list")).content.decode()
    assert "Siti Aminah" not in deliveries
