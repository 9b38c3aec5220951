"""Limits a person put on processing under UU PDP reach the registry's automated work: an
objection takes the household out of scoring runs; a restriction keeps it out of targeting."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.privacy.pdp import services as pdp
from bakti.privacy.pdp.models import Channel, RequesterRelation, RequestKind
from bakti.registry import scoring, targeting
from bakti.registry.models import HouseholdScore
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def officer(cast):
    account_services.membership_grant(
        actor=None, user=cast.outsider, role=Role.DPO, org_unit=cast.department
    )
    return cast.outsider


@pytest.fixture
def homes(cast):
    made = []
    for i in range(3):
        home = factories.household(DESA_A, desil=2)
        factories.person(
            home, name=f"Head {i}", sex="M", born=dt.date(1970, 1, 1 + i), relationship="head"
        )
        factories.person(home, name=f"Baby {i}", sex="F", born=dt.date(2024, 5, 1 + i))
        made.append(home)
    return made


def _limit(officer, home, kind):
    request = pdp.dsr_receive(
        actor=officer,
        kind=kind,
        requester_name="Head",
        requester_relation=RequesterRelation.SELF,
        channel=Channel.IN_PERSON,
        received_at=timezone.now(),
        person=home.head,
    )
    answer = {"answer": "Done.", "answer_channel": Channel.IN_PERSON}
    if kind == RequestKind.OBJECTION:
        pdp.dsr_object_to_scoring(actor=officer, request=request, **answer)
    else:
        pdp.dsr_restrict(actor=officer, request=request, **answer)


def test_a_household_that_objected_is_left_out_of_scoring(
    cast, officer, homes, django_capture_on_commit_callbacks
):
    _limit(officer, homes[0], RequestKind.OBJECTION)
    scheme = scoring.scoring_scheme_create(
        actor=cast.manager,
        name="Points",
        formula="points",
        variables=[{"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]}],
        status="active",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = scoring.scoring_run_start(actor=cast.manager, scheme=scheme)
    scored = set(HouseholdScore.objects.filter(run=run).values_list("household_id", flat=True))
    assert scored == {homes[1].pk, homes[2].pk}


def test_a_household_with_a_restricted_member_is_not_targeted(cast, officer, homes):
    _limit(officer, homes[1], RequestKind.RESTRICTION)
    scheme = targeting.targeting_scheme_create(
        actor=cast.manager,
        program=factories.program(cast),
        name="T",
        rules={"all": [{"rule": "desil_at_most", "value": 4}]},
        benefit_amount=Decimal("100000"),
        periods_per_year=4,
        budget_amount=Decimal("10000000"),
    )
    chosen = set(targeting.qualifying(scheme).values_list("pk", flat=True))
    assert chosen == {homes[0].pk, homes[2].pk}
