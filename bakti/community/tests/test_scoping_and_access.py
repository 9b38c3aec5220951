"""Region scoping, access denied for every view, and query counts that do not grow."""

import pytest
from django.urls import reverse

from bakti.community import services
from bakti.community.models import Holiday, MeetingKind

from .factories import ticket

pytestmark = pytest.mark.django_db

DESA_A = "34.04.01.2001"
DESA_B = "34.04.02.2001"


def test_field_workers_see_only_their_kecamatan(client, cast) -> None:
    a = ticket(actor=cast.officer, region=DESA_A)
    b = ticket(actor=cast.officer, region=DESA_B)
    client.force_login(cast.field_worker_a)
    codes = [t.code for t in client.get(reverse("community:ticket_list")).context["page"]]
    assert codes == [a.code]
    assert client.get(reverse("community:ticket_detail", args=[b.pk])).status_code == 404
    assert client.get(f"/api/v1/feedback/tickets/{b.pk}").status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "community:ticket_list",
        "community:ticket_create",
        "community:meeting_list",
        "community:meeting_create",
        "community:sla_matrix",
        "community:holiday_list",
    ],
)
def test_access_denied(client, cast, name) -> None:
    client.force_login(cast.outsider)
    assert client.get(reverse(name)).status_code == 403
    client.force_login(cast.partner)
    assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_configuration_is_for_managers_only(client, cast) -> None:
    client.force_login(cast.officer)
    assert client.get(reverse("community:sla_matrix")).status_code == 403
    client.force_login(cast.manager)
    assert client.get(reverse("community:sla_matrix")).status_code == 200
    response = client.post(
        reverse("community:holiday_list"),
        {"date": "2026-12-31", "name": "Libur daerah", "kind": "local"},
    )
    assert response.status_code == 302
    assert Holiday.objects.filter(name="Libur daerah").exists()


def test_detail_pages_deny_outsiders(client, cast) -> None:
    t = ticket(actor=cast.officer, region=DESA_A)
    meeting = services.meeting_create(
        actor=cast.officer,
        kind=MeetingKind.MUSDES,
        title="Musdes",
        date="2026-11-01",
        region_id=DESA_A,
        participants_female=3,
        participants_male=2,
    )
    client.force_login(cast.outsider)
    assert client.get(reverse("community:ticket_detail", args=[t.pk])).status_code == 403
    assert client.get(reverse("community:meeting_detail", args=[meeting.pk])).status_code == 403
    client.force_login(cast.field_worker_b)
    assert client.get(reverse("community:meeting_detail", args=[meeting.pk])).status_code == 404


def _make(n, cast):
    for i in range(n):
        ticket(actor=cast.officer, region=DESA_A if i % 2 else DESA_B)


def test_ticket_list_query_count_does_not_grow(client, cast, django_assert_max_num_queries):
    client.force_login(cast.manager)
    _make(3, cast)
    with django_assert_max_num_queries(14):
        client.get(reverse("community:ticket_list"))
    _make(20, cast)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("community:ticket_list"))
    assert len(response.context["page"]) == 23
    with django_assert_max_num_queries(14):
        client.get("/api/v1/feedback/tickets")


def test_meeting_list_query_count_and_participant_checks(
    client, cast, django_assert_max_num_queries
):
    from django.core.exceptions import ValidationError

    client.force_login(cast.officer)
    for i in range(12):
        services.meeting_create(
            actor=cast.officer,
            kind=MeetingKind.SOCIALISATION,
            title=f"Sosialisasi {i}",
            date="2026-10-01",
            region_id=DESA_A,
            participants_female=10,
            participants_male=5,
            participants_18_59=15,
            participants_disability=2,
            facilitator=cast.officer,
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("community:meeting_list"))
    assert response.status_code == 200
    export = client.get(reverse("community:meeting_list") + "?export=xlsx")
    assert export.status_code == 200
    with pytest.raises(ValidationError) as error:
        services.meeting_create(
            actor=cast.officer,
            kind=MeetingKind.FOCUS_GROUP,
            title="FGD",
            date="2026-10-01",
            region_id=DESA_A,
            participants_female=4,
            participants_male=4,
            participants_18_59=3,
        )
    assert "participants_60_plus" in error.value.message_dict


def test_meeting_form_creates_and_edits(client, cast) -> None:
    client.force_login(cast.officer)
    data = {
        "kind": MeetingKind.MUSDES,
        "title": "Musyawarah desa Balecatur",
        "date": "2026-11-20",
        "region": DESA_A,
        "participants_female": 12,
        "participants_male": 8,
        "participants_under_18": 0,
        "participants_18_59": 15,
        "participants_60_plus": 5,
        "participants_disability": 1,
        "topics": "Verifikasi DTKS",
    }
    response = client.post(reverse("community:meeting_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    client.force_login(cast.mne)
    assert client.get(response["Location"]).status_code == 200


def test_attachment_and_meeting_edit_deny_outsiders(client, cast, settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    png = SimpleUploadedFile("bukti.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 10, "image/png")
    t = ticket(actor=cast.officer, region=DESA_A, attachments=[png])
    attachment = t.attachments.get()
    url = reverse("community:attachment_download", args=[t.pk, attachment.pk])
    meeting = services.meeting_create(
        actor=cast.officer,
        kind=MeetingKind.OUTREACH,
        title="Penjangkauan",
        date="2026-11-01",
        region_id=DESA_A,
    )
    edit = reverse("community:meeting_edit", args=[meeting.pk])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 403
    assert client.get(edit).status_code == 403
    client.force_login(cast.field_worker_b)  # may view tickets, but not this kecamatan's
    assert client.get(url).status_code == 404
    client.force_login(cast.field_worker_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get(edit).status_code == 403  # field workers do not handle


def test_categories_and_priorities_are_editable_with_default_deadlines(client, cast) -> None:
    from bakti.community.models import Category, Priority, SLARule

    url = reverse("community:category_list")
    client.force_login(cast.officer)
    assert client.get(url).status_code == 403
    client.force_login(cast.manager)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "category",
            "category-code": "disaster",
            "category-name": "Bantuan bencana",
            "category-order": 20,
            "category-is_active": "on",
        },
    )
    assert response.status_code == 302
    new = Category.objects.get(code="disaster")
    assert SLARule.objects.filter(category=new).count() == Priority.objects.count()
    response = client.post(
        url,
        {
            "kind": "priority",
            "priority-code": "very_low",
            "priority-name": "Sangat rendah",
            "priority-order": 9,
        },
    )
    assert response.status_code == 302
    assert SLARule.objects.filter(priority__code="very_low").count() == Category.objects.count()
    duplicate = client.post(
        url,
        {
            "kind": "category",
            "category-code": "disaster",
            "category-name": "x",
            "category-order": 1,
        },
    )
    assert duplicate.status_code == 200
    assert "code" in duplicate.context["form"].errors
