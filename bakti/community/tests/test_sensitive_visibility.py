"""A sensitive ticket is visible only to its named investigators: on every page, export and API
route, for every other user (404 where it is asked for directly); never to the staff or partner
named in it, even if they are in the investigators' pool."""

import pytest
from django.urls import reverse

from bakti.community import codes, services
from bakti.community.models import SensitiveInvestigator
from bakti.partners import services as partner_services
from bakti.partners.models import OrganisationType

from .factories import ticket

pytestmark = pytest.mark.django_db

DESA_A = "34.04.01.2001"


@pytest.fixture
def sensitive(cast):
    SensitiveInvestigator.objects.create(user=cast.manager)
    SensitiveInvestigator.objects.create(user=cast.officer)  # named below: must be dropped
    SensitiveInvestigator.objects.create(user=cast.partner)  # works for the named partner
    org = partner_services.organisation_create(
        actor=cast.manager, name="LKS Harapan", org_type=OrganisationType.LKS
    )
    partner_services.organisation_user_link(actor=cast.manager, user=cast.partner, organisation=org)
    t = ticket(
        actor=cast.manager,
        category_code="sea",
        region=DESA_A,
        named_staff=[cast.officer],
        named_organisation=org,
        description="Pendamping meminta imbalan seksual",
    )
    ordinary = ticket(actor=cast.manager, region=DESA_A, description="Bantuan terlambat")
    return t, ordinary


def _everyone_but(cast, *keep):
    return [u for name, u in cast.all_users().items() if u not in keep]


def test_only_unnamed_pool_members_become_investigators(cast, sensitive) -> None:
    t, _ = sensitive
    assert list(t.investigators.all()) == [cast.manager]


def test_invisible_on_every_page_export_and_api_route(client, cast, sensitive) -> None:
    t, _ordinary = sensitive
    cast.head.is_superuser = True  # not even a superuser
    cast.head.save()
    code = codes.display(t.code)
    routes_404 = [
        reverse("community:ticket_detail", args=[t.pk]),
        f"/api/v1/feedback/tickets/{t.pk}",
    ]
    for user in _everyone_but(cast, cast.manager):
        client.force_login(user)
        for url in routes_404:
            response = client.get(url)
            assert response.status_code in {403, 404}, (user, url)
        assert client.post(
            f"/api/v1/feedback/tickets/{t.pk}/transition",
            {"action": "acknowledge"},
            content_type="application/json",
        ).status_code in {403, 404}
        for url in [
            reverse("community:ticket_list"),
            reverse("community:ticket_list") + "?export=csv",
            reverse("community:ticket_list") + "?q=" + t.code,
            "/api/v1/feedback/tickets",
            "/api/v1/feedback/tickets?q=" + t.code,
        ]:
            response = client.get(url)
            if response.status_code == 403:
                continue
            if response.streaming:
                body = b"".join(response.streaming_content)
            elif response.get("Content-Type", "").startswith("application/json"):
                body = response.content
            else:  # a page: the search box may echo the code typed, so look at the rows
                body = b"".join(
                    x.code.encode() + x.description.encode() for x in response.context["page"]
                )
            assert t.code.encode() not in body and code.encode() not in body, (user, url)
            assert b"imbalan seksual" not in body
    # the board does not count it either
    client.force_login(cast.auditor)
    board = client.get(reverse("community:ticket_list")).context["board"]
    assert sum(row["total"] for row in board) == 1


def test_the_investigator_sees_it_everywhere(client, cast, sensitive) -> None:
    t, _ = sensitive
    client.force_login(cast.manager)
    assert client.get(reverse("community:ticket_detail", args=[t.pk])).status_code == 200
    export = client.get(reverse("community:ticket_list") + "?export=csv")
    assert codes.display(t.code).encode() in b"".join(export.streaming_content)
    api = client.get("/api/v1/feedback/tickets").json()
    assert t.code in [item["code"] for item in api["items"]]
    assert client.get(f"/api/v1/feedback/tickets/{t.pk}").status_code == 200


def test_named_people_cannot_be_made_investigators_or_assignees(cast, sensitive) -> None:
    from django.core.exceptions import ValidationError

    t, _ = sensitive
    with pytest.raises(ValidationError):
        services.ticket_set_investigators(actor=cast.manager, ticket=t, users=[cast.officer])
    with pytest.raises(ValidationError):
        services.ticket_set_investigators(actor=cast.manager, ticket=t, users=[cast.partner])
    with pytest.raises(ValidationError):
        services.ticket_transition(
            actor=cast.manager, ticket=t, action="assign", assignee=cast.head
        )


def test_non_investigators_cannot_handle_it(cast, sensitive) -> None:
    from django.core.exceptions import PermissionDenied

    t, _ = sensitive
    with pytest.raises(PermissionDenied):
        services.ticket_transition(actor=cast.head, ticket=t, action="acknowledge")


def test_a_named_staff_member_does_not_see_an_ordinary_complaint_about_them(client, cast) -> None:
    t = ticket(actor=cast.manager, category_code="conduct", named_staff=[cast.officer])
    client.force_login(cast.officer)
    assert client.get(reverse("community:ticket_detail", args=[t.pk])).status_code == 404
    client.force_login(cast.head)
    assert client.get(reverse("community:ticket_detail", args=[t.pk])).status_code == 200


def test_the_audit_trail_does_not_carry_what_a_sensitive_complaint_says(cast, sensitive) -> None:
    from bakti.privacy.models import AuditEvent

    t, _ordinary = sensitive
    services.ticket_transition(actor=cast.manager, ticket=t, action="start")
    services.ticket_transition(
        actor=cast.manager, ticket=t, action="resolve", resolution="Pelaku diberhentikan."
    )
    logged = str(list(AuditEvent.objects.filter(object_id=str(t.pk)).values("changes", "reason")))
    assert "imbalan seksual" not in logged
    assert "diberhentikan" not in logged
