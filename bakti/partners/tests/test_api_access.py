"""The partners API: a role without partners.view gets 403 (as on the pages), a record it cannot
see 404, and bad filters a 422 naming the field."""

import datetime as dt

import pytest

from bakti.accounts.services import api_token_create

from . import factories


@pytest.mark.parametrize(
    "url",
    ["/api/v1/partners/organisations", "/api/v1/partners/services", "/api/v1/partners/agreements"],
)
def test_a_role_without_partners_view_gets_403_on_the_lists(client, cast, url):
    client.force_login(cast.outsider)
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["detail"]
    client.force_login(cast.manager)
    assert client.get(url).status_code == 200


def test_a_role_without_partners_view_gets_403_on_one_record(client, cast):
    org = factories.organisation(cast.manager)
    agreement = factories.agreement(cast.manager, org, cast.manager, dt.date(2027, 1, 1))
    client.force_login(cast.partner)
    assert client.get(f"/api/v1/partners/organisations/{org.pk}").status_code == 403
    assert client.get(f"/api/v1/partners/agreements/{agreement.pk}").status_code == 403
    client.force_login(cast.manager)
    assert client.get(f"/api/v1/partners/organisations/{org.pk}").status_code == 200
    assert client.get("/api/v1/partners/organisations/999999").status_code == 404


def test_an_expiry_window_too_large_is_a_422_naming_it_not_a_500(client, cast):
    _, raw = api_token_create(actor=cast.manager, name="fuzz")
    response = client.get(
        "/api/v1/partners/agreements?expiring=4532908970108724736",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "query.expiring"


def test_case_workers_read_the_services_they_refer_to(client, cast):
    client.force_login(cast.field_worker_a)
    assert client.get("/api/v1/partners/services").status_code == 200
    assert client.get("/api/v1/partners/organisations").status_code == 403


def test_a_linked_partner_user_reads_their_own_organisation_only(client, cast):
    from bakti.partners import services

    own = factories.organisation(cast.manager, "Karang Taruna Tunas Muda")
    other = factories.organisation(cast.manager, "Yayasan Lain")
    services.organisation_user_link(actor=cast.manager, user=cast.partner, organisation=own)
    client.force_login(cast.partner)
    assert client.get(f"/api/v1/partners/organisations/{own.pk}").status_code == 200
    assert client.get(f"/api/v1/partners/organisations/{other.pk}").status_code == 404
    assert client.get("/api/v1/partners/agreements").status_code == 200
