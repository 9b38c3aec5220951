"""The supervisors' overdue board: counts per caseworker, checked against the data, and query
counts that do not grow with cases."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from bakti.cases import selectors, services

from .helpers import give_referral_consent, open_case, organisation


def _overdue_world(world):
    today = timezone.localdate()
    long_ago = today - timedelta(days=60)
    a, b, m = world.cast.field_worker_a, world.cast.field_worker_b, world.cast.manager
    # Worker A: two cases whose assessment is late; one of them also has a late follow-up.
    late1 = open_case(world, worker=a, opened_on=long_ago)
    open_case(world, worker=a, opened_on=long_ago, person=world.people_a[1])
    services.follow_up_add(actor=a, case=late1, due_date=today - timedelta(days=2), purpose="x")
    services.follow_up_add(actor=a, case=late1, due_date=today + timedelta(days=2), purpose="y")
    # A case on time is not counted.
    open_case(world, worker=a, person=world.people_a[2])
    # Worker B: a case plan that is late, and a referral nobody answered.
    late_plan = open_case(world, worker=b, person=world.people_b[0], opened_on=long_ago)
    services.case_record_assessment(actor=b, case=late_plan, assessment="x", risk_level="low")
    give_referral_consent(world.people_b[0])
    _org, service = organisation()
    referral = services.referral_create(actor=b, case=late_plan, service=service, need="x")
    referral.respond_by = today - timedelta(days=1)
    referral.save(update_fields=["respond_by"])
    # Closed cases do not count, however late.
    closed = open_case(world, worker=m, person=world.people_b[1], opened_on=long_ago)
    closed.case_type.closure_needs_approval = False
    closed.case_type.save()
    services.case_close(actor=m, case=closed, reason="moved")
    return today


def test_board_counts_per_caseworker(world):
    today = _overdue_world(world)
    rows = {r["caseworker"].username: r for r in selectors.overdue_board(world.cast.head, today)}
    assert rows["worker_a"]["assessment"] == 2
    assert rows["worker_a"]["follow_up"] == 1
    assert rows["worker_a"]["plan"] == 0
    assert rows["worker_b"]["plan"] == 1
    assert rows["worker_b"]["referral"] == 1
    assert rows["worker_b"]["assessment"] == 0
    assert "manager" not in rows


def test_board_shows_only_what_the_supervisor_may_see(world):
    today = _overdue_world(world)
    # The field worker sees only their own cases (and is no supervisor).
    rows = selectors.overdue_board(world.cast.field_worker_a, today)
    assert [r["caseworker"].username for r in rows] == ["worker_a"]


def test_board_page_links_to_the_cases_and_keeps_its_query_count(
    client, world, django_assert_max_num_queries
):
    _overdue_world(world)
    client.force_login(world.cast.manager)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("cases:overdue_board")).content.decode()
    assert "overdue=assessment&amp;caseworker=" in page
    for i in range(6):
        open_case(world, opened_on=timezone.localdate() - timedelta(days=30 + i))
    with django_assert_max_num_queries(10):
        client.get(reverse("cases:overdue_board"))
    listed = client.get(
        reverse("cases:case_list"),
        {"overdue": "assessment", "caseworker": world.cast.field_worker_a.pk},
    )
    assert listed.context["page"].paginator.count == 8


def test_case_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for _i in range(3):
        open_case(world)
    client.force_login(world.cast.manager)
    client.get(reverse("cases:case_list"))
    with django_assert_max_num_queries(10):
        client.get(reverse("cases:case_list"))
    for _i in range(12):
        open_case(world)
    with django_assert_max_num_queries(10):
        client.get(reverse("cases:case_list"))
