"""Case data is seen by its caseworker, their supervisors and auditors; everyone else gets 404,
on pages, exports and the API. Partners see only referrals to their own organisation."""

import json

import pytest
from django.urls import reverse

from bakti.cases import services
from bakti.cases.models import CaseStatus, Referral

from .helpers import give_referral_consent, link_partner, open_case, organisation


@pytest.fixture
def case(world):
    return open_case(world)


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_case_page_is_seen_by_caseworker_supervisors_and_auditor_only(client, world, case):
    url = reverse("cases:case_detail", args=[case.pk])
    cast = world.cast
    assert _status(client, cast.field_worker_a, url) == 200
    assert _status(client, cast.manager, url) == 200
    assert _status(client, cast.head, url) == 200
    assert _status(client, cast.auditor, url) == 200
    # Another caseworker, even one with the same role in the same division, does not see it.
    assert _status(client, cast.field_worker_b, url) == 404
    # The officer works cases in another division and supervises nobody.
    assert _status(client, cast.officer, url) == 404
    for user in (cast.mne, cast.finance, cast.partner, cast.outsider, cast.admin):
        assert _status(client, user, url) in (403, 404)


def test_lists_and_exports_leave_out_cases_of_others(client, world, case):
    client.force_login(world.cast.field_worker_b)
    page = client.get(reverse("cases:case_list")).content.decode()
    assert case.reference not in page
    export = b"".join(client.get(reverse("cases:case_list"), {"export": "csv"}).streaming_content)
    assert case.reference.encode() not in export
    client.force_login(world.cast.field_worker_a)
    export = b"".join(client.get(reverse("cases:case_list"), {"export": "csv"}).streaming_content)
    assert case.reference.encode() in export


def test_the_api_gives_404_to_everyone_else(client, world, case):
    url = f"/api/v1/cases/{case.pk}"
    client.force_login(world.cast.field_worker_b)
    assert client.get(url).status_code == 404
    assert case.reference not in client.get("/api/v1/cases/").content.decode()
    client.force_login(world.cast.field_worker_a)
    assert client.get(url).json()["reference"] == case.reference
    client.force_login(world.cast.partner)
    assert client.get(url).status_code == 403


def test_the_auditor_reads_but_cannot_change(client, world, case):
    client.force_login(world.cast.auditor)
    response = client.post(reverse("cases:case_action", args=[case.pk, "start_assessment"]))
    assert response.status_code == 403
    response = client.post(
        f"/api/v1/cases/{case.pk}/follow-ups",
        data=json.dumps({"due_date": "2026-03-01", "purpose": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_another_worker_cannot_act_on_the_case(client, world, case):
    client.force_login(world.cast.field_worker_b)
    response = client.post(reverse("cases:case_action", args=[case.pk, "start_assessment"]))
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_the_caseworker_moves_the_case_from_its_page(client, world, case):
    client.force_login(world.cast.field_worker_a)
    client.post(reverse("cases:case_action", args=[case.pk, "start_assessment"]))
    client.post(
        reverse("cases:case_action", args=[case.pk, "assessment"]),
        {
            "assessment-assessment": "Tinggal sendiri, butuh pengasuh",
            "assessment-risk_level": "high",
        },
    )
    client.post(
        reverse("cases:case_action", args=[case.pk, "follow_up"]),
        {"follow_up-due_date": "2026-03-01", "follow_up-purpose": "Kunjungan rumah"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CASE_PLAN and case.risk_level == "high"
    assert case.follow_ups.count() == 1


def test_a_referral_without_consent_is_refused_on_the_page_with_the_reason(client, world, case):
    _org, service = organisation()
    client.force_login(world.cast.field_worker_a)
    response = client.post(
        reverse("cases:case_action", args=[case.pk, "refer"]),
        {"refer-service": service.pk, "refer-need": "Konseling"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "no recorded consent" in response.content.decode()
    assert not Referral.objects.exists()


def test_partner_sees_and_answers_only_referrals_to_their_organisation(client, world, case):
    give_referral_consent(world.people_a[0])
    org, service = organisation("LKS Mitra")
    _other_org, other_service = organisation("Yayasan Lain")
    mine = services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=service, need="Konseling keluarga"
    )
    theirs = services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=other_service, need="Rumah aman"
    )
    link_partner(world.cast.partner, org)
    client.force_login(world.cast.partner)
    inbox = client.get(reverse("cases:referral_inbox")).content.decode()
    assert (
        "Pendampingan" in inbox and str(reverse("cases:referral_detail", args=[mine.pk])) in inbox
    )
    assert str(reverse("cases:referral_detail", args=[theirs.pk])) not in inbox
    assert client.get(reverse("cases:referral_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:referral_detail", args=[mine.pk])).status_code == 200
    client.post(reverse("cases:referral_respond", args=[mine.pk]), {"decision": "accept"})
    response = client.post(
        f"/api/v1/cases/referrals/inbox/{theirs.pk}/answer",
        data=json.dumps({"decision": "accept"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    api_inbox = client.get("/api/v1/cases/referrals/inbox").json()
    assert [r["id"] for r in api_inbox["items"]] == [mine.pk]
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == "accepted" and theirs.status == "sent"


def test_a_partner_without_an_organisation_sees_nothing(client, world, case):
    give_referral_consent(world.people_a[0])
    _org, service = organisation()
    services.referral_create(
        actor=world.cast.field_worker_a, case=case, service=service, need="Konseling"
    )
    client.force_login(world.cast.partner)
    assert "Pendampingan" not in client.get(reverse("cases:referral_inbox")).content.decode()


def test_supervisor_pages_are_refused_to_caseworkers(client, world):
    client.force_login(world.cast.field_worker_a)
    assert client.get(reverse("cases:overdue_board")).status_code == 403
    assert client.get(reverse("cases:approval_list")).status_code == 403
    client.force_login(world.cast.manager)
    assert client.get(reverse("cases:overdue_board")).status_code == 200
    assert client.get(reverse("cases:approval_list")).status_code == 200
