"""Partner pages: access, query counts, the timeline, forms with clear errors, the API."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bakti.partners import services
from bakti.partners.models import ContributionKind, InteractionKind, Organisation

from .factories import agreement, organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    ["partners:organisation_list", "partners:agreement_list", "partners:organisation_create"],
)
def test_access_denied(client, cast, name) -> None:
    for user in (cast.outsider, cast.field_worker_a, cast.partner):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302


def test_editing_is_for_partners_editors(client, cast) -> None:
    org = organisation(cast.manager)
    client.force_login(cast.finance)  # may view, not edit
    assert client.get(reverse("partners:organisation_detail", args=[org.pk])).status_code == 200
    assert client.get(reverse("partners:organisation_edit", args=[org.pk])).status_code == 403
    assert (
        client.get(reverse("partners:organisation_add", args=[org.pk, "contact"])).status_code
        == 403
    )


def test_a_partner_user_sees_only_their_organisation_through_the_api(client, cast) -> None:
    own = organisation(cast.manager, "Karang Taruna Tunas Muda")
    other = organisation(cast.manager, "Yayasan Lain")
    services.organisation_user_link(actor=cast.manager, user=cast.partner, organisation=own)
    client.force_login(cast.partner)
    names = [o["name"] for o in client.get("/api/v1/partners/organisations").json()["items"]]
    assert names == ["Karang Taruna Tunas Muda"]
    assert client.get(f"/api/v1/partners/organisations/{other.pk}").status_code == 404


def test_organisation_list_query_count(client, cast, django_assert_max_num_queries) -> None:
    client.force_login(cast.officer)
    for i in range(3):
        organisation(cast.manager, f"Org {i}")
    with django_assert_max_num_queries(10):
        client.get(reverse("partners:organisation_list"))
    for i in range(25):
        organisation(cast.manager, f"Org lain {i}")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("partners:organisation_list"))
    assert len(response.context["page"]) == 28
    with django_assert_max_num_queries(10):
        client.get("/api/v1/partners/organisations")
    export = client.get(reverse("partners:organisation_list") + "?export=csv")
    assert b"Org lain 24" in b"".join(export.streaming_content)


def test_agreement_list_query_count_and_expiring_filter(
    client, cast, django_assert_max_num_queries
) -> None:
    client.force_login(cast.officer)
    org = organisation(cast.manager)
    today = dt.date.today()
    for days in (5, 25, 80, 200, 400):
        agreement(
            cast.manager, org, cast.officer, today + dt.timedelta(days=days), title=f"A{days}"
        )
    with django_assert_max_num_queries(10):
        response = client.get(reverse("partners:agreement_list"), {"expiring": "30"})
    assert [a.title for a in response.context["page"]] == ["A5", "A25"]
    export = client.get(reverse("partners:agreement_list") + "?export=xlsx")
    assert export.status_code == 200


def test_organisation_page_shows_everything_in_one_timeline(client, cast) -> None:
    org = organisation(cast.manager)
    a = agreement(cast.manager, org, cast.manager, dt.date(2027, 6, 30), value=Decimal("150000000"))
    services.contribution_create(
        actor=cast.manager,
        organisation=org,
        agreement=a,
        kind=ContributionKind.IN_KIND,
        description="200 paket sembako",
        value=Decimal("30000000"),
        date=dt.date(2026, 9, 1),
    )
    services.interaction_create(
        actor=cast.manager,
        organisation=org,
        kind=InteractionKind.VISIT,
        date=dt.date(2026, 10, 5),
        subject="Kunjungan ke panti",
        follow_ups=[
            {
                "action": "Kirim data penerima",
                "owner": cast.officer,
                "due_date": dt.date(2026, 10, 20),
            }
        ],
    )
    services.service_create(actor=cast.manager, organisation=org, name="Rehabilitasi lansia")
    client.force_login(cast.officer)
    page = client.get(reverse("partners:organisation_detail", args=[org.pk])).content.decode()
    for text in (
        "200 paket sembako",
        "Kunjungan ke panti",
        "Kirim data penerima",
        "Rehabilitasi lansia",
        "PKS pendampingan lansia",
    ):
        assert text in page
    timeline = page[page.index('id="timeline"') :]
    assert timeline.index("Kunjungan ke panti") < timeline.index("200 paket sembako")


def test_forms_say_what_is_wrong(client, cast) -> None:
    client.force_login(cast.officer)
    response = client.post(
        reverse("partners:organisation_create"),
        {"name": "Yayasan X", "org_type": "ngo", "tax_number": "12.345", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "NPWP" in response.content.decode()
    response = client.post(
        reverse("partners:organisation_create"),
        {"name": "Yayasan X", "org_type": "ngo", "tax_number": "01.234.567.8-901.000"},
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Yayasan X")
    response = client.post(
        reverse("partners:agreement_create"),
        {
            "organisation": org.pk,
            "kind": "mou",
            "title": "MoU",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "value": "0",
            "currency": "IDR",
            "status": "draft",
            "owner": cast.officer.pk,
        },
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors


def test_services_api_lists_what_partners_offer(client, cast) -> None:
    org = organisation(cast.manager)
    services.service_create(actor=cast.manager, organisation=org, name="Konseling keluarga")
    client.force_login(cast.officer)
    items = client.get("/api/v1/partners/services").json()["items"]
    assert [(i["name"], i["organisation"]) for i in items] == [
        ("Konseling keluarga", "LKS Bina Sejahtera")
    ]


def test_notifications_page_shows_only_mine(client, cast) -> None:
    services.notify(user=cast.officer, title="Untuk staf", email=False)
    services.notify(user=cast.manager, title="Untuk manajer", email=False)
    client.force_login(cast.officer)
    page = client.get(reverse("partners:notification_list")).content.decode()
    assert "Untuk staf" in page and "Untuk manajer" not in page


def test_every_detail_and_edit_view_denies_outsiders(client, cast) -> None:
    org = organisation(cast.manager)
    a = agreement(cast.manager, org, cast.manager, dt.date(2027, 1, 31))
    urls = [
        reverse("partners:organisation_detail", args=[org.pk]),
        reverse("partners:organisation_edit", args=[org.pk]),
        reverse("partners:organisation_add", args=[org.pk, "interaction"]),
        reverse("partners:agreement_detail", args=[a.pk]),
        reverse("partners:agreement_edit", args=[a.pk]),
        reverse("partners:agreement_create"),
    ]
    client.force_login(cast.outsider)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.logout()
    for url in [*urls, reverse("partners:notification_list")]:
        assert client.get(url).status_code == 302, url
    client.force_login(cast.officer)
    assert (
        client.get(reverse("partners:organisation_add", args=[org.pk, "nope"])).status_code == 404
    )
