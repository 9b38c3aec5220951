"""Who may open which monitoring page: 403 without the capability, 404 out of scope."""

import datetime as dt

import pytest
from django.urls import reverse

from bakti.monitoring import services
from bakti.monitoring.models import IndicatorResult

from .factories import make_indicator, make_program


@pytest.fixture
def other_division_program(cast):
    """A program of Linjamsos: outside the Rehsos officer's org unit."""
    program = make_program(cast.division_linjamsos, code="LJS-1", manager=cast.manager)
    make_indicator(program, code="L-1", targets=[10, 10, 10, 10])
    return program


PAGES = [
    ("monitoring:program_list", []),
    ("monitoring:result_list", []),
    ("monitoring:evaluation_list", []),
    ("monitoring:alert_list", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_lists_need_monitoring_view(client, cast, name, args):
    for user in (cast.outsider, cast.field_worker_a, cast.partner, cast.finance):
        client.force_login(user)
        assert client.get(reverse(name, args=args)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("monitoring:program_list"))
    assert response.status_code == 302


def test_pages_open_for_mne(client, cast, tracked):
    client.force_login(cast.mne)
    indicator = tracked.indicators.first()
    result = IndicatorResult.objects.filter(indicator=indicator).first()
    for url in (
        reverse("monitoring:program_list"),
        reverse("monitoring:result_list"),
        reverse("monitoring:evaluation_list"),
        reverse("monitoring:alert_list"),
        reverse("monitoring:health_settings"),
        reverse("monitoring:tracking", args=[tracked.pk]),
        reverse("monitoring:result_detail", args=[result.pk]),
        reverse("monitoring:result_enter", args=[indicator.pk]) + "?start=2026-07-01",
        reverse("monitoring:rule_edit", args=[indicator.pk]),
        reverse("monitoring:evaluation_create", args=[tracked.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_out_of_scope_program_is_404(client, cast, other_division_program):
    client.force_login(cast.officer)
    indicator = other_division_program.indicators.first()
    assert (
        client.get(reverse("monitoring:tracking", args=[other_division_program.pk])).status_code
        == 404
    )
    assert client.get(reverse("monitoring:result_enter", args=[indicator.pk])).status_code == 404
    assert (
        client.get(f"/api/v1/monitoring/programs/{other_division_program.pk}/tracking").status_code
        == 404
    )


def test_officer_cannot_approve_or_set_rules(client, cast, tracked):
    client.force_login(cast.officer)
    indicator = tracked.indicators.get(code="OUT-1")
    assert client.get(reverse("monitoring:rule_edit", args=[indicator.pk])).status_code == 403
    assert client.get(reverse("monitoring:health_settings")).status_code == 403
    result = services.indicator_result_save(
        actor=cast.officer,
        indicator=indicator,
        period_start=dt.date(2026, 7, 1),
        period_end=dt.date(2026, 9, 30),
        value=10,
        breakdown={("sex", "F"): 10},
    )
    services.indicator_result_submit(actor=cast.officer, result=result)
    client.post(reverse("monitoring:result_action", args=[result.pk, "approve"]))
    result.refresh_from_db()
    assert result.status == "submitted"
    response = client.post(f"/api/v1/monitoring/actuals/{result.pk}/approve")
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["monitoring:program_list", "monitoring:result_list"])
def test_list_query_counts_do_not_grow(client, cast, tracked, name, django_assert_max_num_queries):
    client.force_login(cast.mne)
    with django_assert_max_num_queries(15):
        assert client.get(reverse(name)).status_code == 200
    for n in range(5):
        make_program(cast.division_rehsos, code=f"MORE-{n}")
    with django_assert_max_num_queries(15):
        assert client.get(reverse(name)).status_code == 200


def test_list_exports(client, cast, tracked):
    client.force_login(cast.mne)
    response = client.get(
        reverse("monitoring:result_list"), {"export": "csv", "status": "approved"}
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("\n") == 1 + 6  # header + 6 approved values
    assert "PKH-1" in body


def test_enter_and_approve_through_the_pages(client, cast, tracked):
    indicator = tracked.indicators.get(code="OUT-1")
    client.force_login(cast.officer)
    client.cookies["bakti_language"] = "en"
    url = reverse("monitoring:result_enter", args=[indicator.pk]) + "?start=2026-07-01"
    response = client.post(url, {"value": "90", "d__sex__F": "50", "d__sex__M": "30"})
    assert response.status_code == 200
    assert "add up to 80" in response.content.decode()
    response = client.post(
        url, {"value": "90", "d__sex__F": "55", "d__sex__M": "35", "submit_now": "1"}
    )
    result = IndicatorResult.objects.get(indicator=indicator, period_start=dt.date(2026, 7, 1))
    assert response.status_code == 302
    assert result.status == "submitted"
    client.force_login(cast.mne)
    client.post(reverse("monitoring:result_action", args=[result.pk, "approve"]))
    result.refresh_from_db()
    assert result.status == "approved"


def test_every_page_refuses_a_user_without_the_capability(client, cast, tracked):
    """Field workers have no monitoring capability: every page and action answers 403."""
    indicator = tracked.indicators.get(code="OUT-1")
    result = IndicatorResult.objects.filter(indicator=indicator).first()
    evaluation = services.evaluation_create(
        actor=cast.mne,
        program=tracked,
        title="Baseline",
        start_date=dt.date(2026, 1, 1),
        evaluator_name="Tim internal",
    )
    recommendation = services.recommendation_create(
        actor=cast.mne, evaluation=evaluation, text="Do better"
    )
    urls = [
        reverse("monitoring:tracking", args=[tracked.pk]),
        reverse("monitoring:compute", args=[tracked.pk]),
        reverse("monitoring:evaluation_create", args=[tracked.pk]),
        reverse("monitoring:result_detail", args=[result.pk]),
        reverse("monitoring:result_action", args=[result.pk, "lock"]),
        reverse("monitoring:result_enter", args=[indicator.pk]),
        reverse("monitoring:rule_edit", args=[indicator.pk]),
        reverse("monitoring:evaluation_detail", args=[evaluation.pk]),
        reverse("monitoring:evaluation_edit", args=[evaluation.pk]),
        reverse("monitoring:evaluation_document_add", args=[evaluation.pk]),
        reverse("monitoring:recommendation_create", args=[evaluation.pk]),
        reverse("monitoring:recommendation_edit", args=[recommendation.pk]),
        reverse("monitoring:health_settings"),
    ]
    client.force_login(cast.field_worker_a)
    for url in urls:
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url).status_code == 403, url
    for path in (
        f"/api/v1/monitoring/programs/{tracked.pk}/tracking",
        "/api/v1/monitoring/actuals",
        "/api/v1/monitoring/evaluations",
    ):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("name", ["monitoring:evaluation_list", "monitoring:alert_list"])
def test_more_list_query_counts(client, cast, tracked, name, django_assert_max_num_queries):
    from bakti.monitoring.models import Alert

    client.force_login(cast.manager)
    for n in range(6):
        services.evaluation_create(
            actor=cast.mne,
            program=tracked,
            title=f"E{n}",
            start_date=dt.date(2026, 1, 1),
            evaluator_name="Tim",
        )
        Alert.objects.create(
            recipient=cast.manager, program=tracked, kind="threshold", level="amber", message="x"
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse(name)).status_code == 200
