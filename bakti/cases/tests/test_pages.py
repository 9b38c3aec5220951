"""Case pages: opening a case, approving from the page, and who may open which page."""

from django.urls import reverse

from bakti.cases import services
from bakti.cases.models import Approval, Case, CaseStatus

from .helpers import case_type, open_case


def test_opening_a_case_finds_the_person_in_scope_only(client, world):
    client.force_login(world.cast.field_worker_a)
    found = client.get(reverse("cases:case_open"), {"q": "Siti"}).content.decode()
    assert "Siti Aminah" in found
    not_found = client.get(reverse("cases:case_open"), {"q": "Joko"}).content.decode()
    assert "Joko Susilo" not in not_found
    other = client.get(reverse("cases:case_open"), {"person": world.people_b[0].pk})
    assert other.status_code == 404
    kind = case_type()
    response = client.post(
        reverse("cases:case_open"),
        {
            "person": world.people_a[0].pk,
            "case_type": kind.pk,
            "risk_level": "high",
            "summary": "Lansia sendirian",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.caseworker == world.cast.field_worker_a
    assert case.risk_level == "high"


def test_opening_needs_the_work_capability(client, world):
    for user in (world.cast.auditor, world.cast.mne, world.cast.partner, world.cast.head):
        client.force_login(user)
        assert client.get(reverse("cases:case_open")).status_code == 403


def test_supervisor_approves_from_the_case_page_and_caseworker_cannot(client, world):
    case = open_case(world)
    worker = world.cast.field_worker_a
    services.case_record_assessment(actor=worker, case=case, assessment="x", risk_level="low")
    services.goal_add(actor=worker, case=case, description="Aman")
    services.case_plan_submit(actor=worker, case=case)
    approval = Approval.objects.get()
    url = reverse("cases:approval_decide", args=[approval.pk])
    client.force_login(worker)
    assert client.post(url, {"decision": "approve"}).status_code == 403
    client.force_login(world.cast.head)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert url in page
    response = client.post(
        url,
        {"decision": "approve", "next": reverse("cases:case_detail", args=[case.pk])},
    )
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    case.refresh_from_db()
    assert case.status == CaseStatus.SERVICE_PROVISION


def test_an_approval_outside_the_supervisors_scope_is_not_found(client, world):
    case = open_case(world, worker=world.cast.manager)
    worker = world.cast.manager
    services.case_record_assessment(actor=worker, case=case, assessment="x", risk_level="low")
    services.goal_add(actor=worker, case=case, description="Aman")
    services.case_plan_submit(actor=worker, case=case)
    approval = Approval.objects.get()
    client.force_login(world.cast.manager)  # their own request: not in their list
    assert (
        client.post(
            reverse("cases:approval_decide", args=[approval.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert approval.pk not in [
        a.pk for a in client.get(reverse("cases:approval_list")).context["page"]
    ]


def test_referral_inbox_is_for_partners_only(client, world):
    for user in (world.cast.field_worker_a, world.cast.manager, world.cast.auditor):
        client.force_login(user)
        assert client.get(reverse("cases:referral_inbox")).status_code == 403
    client.force_login(world.cast.partner)
    assert client.get(reverse("cases:referral_inbox")).status_code == 200
    assert client.get(reverse("cases:referral_list")).status_code == 403


def test_referral_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    from .helpers import give_referral_consent, organisation

    give_referral_consent(world.people_a[0])
    _org, service = organisation()
    case = open_case(world)
    for _i in range(3):
        services.referral_create(
            actor=world.cast.field_worker_a, case=case, service=service, need="x"
        )
    client.force_login(world.cast.field_worker_a)
    with django_assert_max_num_queries(8):
        client.get(reverse("cases:referral_list"))
    for _i in range(10):
        services.referral_create(
            actor=world.cast.field_worker_a, case=case, service=service, need="y"
        )
    with django_assert_max_num_queries(8):
        client.get(reverse("cases:referral_list"))


def test_case_page_shows_the_workflow_and_closes_with_a_reason(client, world):
    case = open_case(world, case_type=case_type(closure_approval=False))
    client.force_login(world.cast.field_worker_a)
    page = client.get(reverse("cases:case_detail", args=[case.pk]))
    assert page.status_code == 200
    client.post(
        reverse("cases:case_action", args=[case.pk, "close"]),
        {"close-closure_reason": "moved", "close-note": "Pindah ke Bantul"},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closure_reason == "moved"
