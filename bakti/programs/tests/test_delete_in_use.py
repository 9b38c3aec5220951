"""Deleting an activity or a result that other modules still point at (a budget line) is
refused with a message, on the page and in the API, instead of failing with a server error
(found by the scope matrix, tests/security)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bakti.finance import services as finance_services
from bakti.finance.tests import factories as finance_factories
from bakti.programs import services
from bakti.programs.models import Activity, Result

from .factories import activity, framework, program


@pytest.fixture
def planned(cast):
    prog = program(cast, code="P-DEL")
    parts = framework(prog)
    # An output of its own (no indicators), so only the budget line holds it.
    output = services.result_create(
        actor=None, program=prog, statement="Food delivered", code="1.1.2", parent=parts["outcome"]
    )
    act = activity(prog, output)
    finance_services.budget_line_create(
        actor=None,
        program=prog,
        fiscal_year=finance_factories.fiscal_year(2026),
        account_class=finance_factories.account(),
        funding_source=finance_factories.funding_source(),
        description="Paket sembako",
        amount=Decimal("1000000"),
        activity=act,
    )
    return prog, act


@pytest.mark.django_db
def test_deleting_an_activity_with_a_budget_line_is_refused_on_the_page(client, cast, planned):
    prog, act = planned
    client.force_login(cast.manager)
    response = client.post(
        reverse("programs:activity_delete", args=[prog.pk, act.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert Activity.objects.filter(pk=act.pk).exists()
    assert "still used by budget lines" in response.content.decode()


@pytest.mark.django_db
def test_deleting_an_activity_with_a_budget_line_is_refused_in_the_api(client, cast, planned):
    _prog, act = planned
    client.force_login(cast.manager)
    response = client.delete(f"/api/v1/programs/activities/{act.pk}")
    assert response.status_code == 422
    assert Activity.objects.filter(pk=act.pk).exists()


@pytest.mark.django_db
def test_deleting_a_result_with_a_budget_line_is_refused(client, cast, planned):
    prog, act = planned
    output = act.output
    other = Result.objects.get(program=prog, code="1.1.1")
    Activity.objects.filter(pk=act.pk).update(output=other)
    assert not output.children.exists() and not output.indicators.exists()
    client.force_login(cast.manager)
    response = client.delete(f"/api/v1/programs/results/{output.pk}")
    assert response.status_code == 422
    assert Result.objects.filter(pk=output.pk).exists()
