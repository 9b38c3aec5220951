import datetime as dt
from decimal import Decimal

import pytest

from bakti.registry import services, targeting
from bakti.registry.models import Enrolment
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A, DESA_A2, DESA_B

pytestmark = pytest.mark.usefixtures("english")

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def registry(cast):
    """Twelve households with known desil, toddlers and disability, in three desa."""
    made = []
    for i in range(12):
        desa = (DESA_A, DESA_A2, DESA_B)[i % 3]
        home = factories.household(desa, desil=(i % 6) + 1)
        factories.person(
            home, name=f"Head {i}", sex="M", born=dt.date(1970, 1, 1), relationship="head"
        )
        factories.person(home, name=f"Wife {i}", sex="F", born=dt.date(1975, 1, 1))
        if i % 2 == 0:
            factories.person(home, name=f"Baby {i}", sex="F", born=dt.date(2023, 5, 5))
        if i % 4 == 0:
            factories.person(
                home, name=f"Grandpa {i}", sex="M", born=dt.date(1940, 1, 1), wg_walking=3
            )
        made.append(home)
    return made


def _scheme(cast, **fields):
    fields.setdefault(
        "rules",
        {"all": [{"rule": "desil_at_most", "value": 4}, {"rule": "member_under_age", "value": 6}]},
    )
    return targeting.targeting_scheme_create(
        actor=cast.manager,
        program=factories.program(cast),
        name="T",
        benefit_amount=Decimal("300000"),
        periods_per_year=4,
        budget_amount=Decimal("50000000"),
        **fields,
    )


def _independent(homes, desil_max, under):
    """Who qualifies, counted in Python from the records."""
    chosen = []
    for home in homes:
        members = list(home.members.filter(deceased=False))
        young = any(services.age_on(p.birth_date, TODAY) < under for p in members)
        if home.desil <= desil_max and young:
            chosen.append((home, members))
    return chosen


def test_simulation_counts_match_an_independent_count(cast, registry) -> None:
    scheme = _scheme(cast)
    sim = targeting.simulate(scheme, today=TODAY)
    expected = _independent(registry, 4, 6)
    people = [p for _h, members in expected for p in members]
    assert sim.households == len(expected)
    assert sim.people == len(people)
    assert sim.by_sex == {s: sum(1 for p in people if p.sex == s) for s in {p.sex for p in people}}
    assert sim.with_disability == sum(1 for p in people if p.has_disability)
    assert sim.by_age["0-5"] == sum(1 for p in people if p.birth_date.year == 2023)
    assert sum(r["households"] for r in sim.by_region) == len(expected)
    assert sim.cost_per_period == Decimal("300000") * len(expected)
    assert sim.cost_per_year == Decimal("1200000") * len(expected)
    assert sim.budget == Decimal("50000000") and sim.budget_source == "scheme"
    # The what-if table moves the desil threshold; each row counted independently.
    assert sim.what_if_rule == "desil_at_most"
    for row in sim.what_if:
        assert row["households"] == len(_independent(registry, row["value"], 6))


def test_benefit_per_member_costs_per_person(cast, registry) -> None:
    scheme = _scheme(cast, benefit_unit="member")
    sim = targeting.simulate(scheme, today=TODAY)
    assert sim.cost_per_period == Decimal("300000") * sim.people


def test_quota_keeps_the_poorest_first(cast, registry) -> None:
    scheme = _scheme(
        cast,
        rules={"all": [{"rule": "desil_at_most", "value": 6}]},
        quotas={DESA_A: 1},
    )
    chosen = targeting.select(scheme, today=TODAY)
    in_a = [pk for pk, region in chosen if region == DESA_A]
    assert len(in_a) == 1
    poorest_a = min((h for h in registry if h.region_id == DESA_A), key=lambda h: (h.desil, h.pk))
    assert in_a == [poorest_a.pk]
    others = [h for h in registry if h.region_id != DESA_A]
    assert len(chosen) == 1 + len(others)


def test_any_rules_ppks_and_disability(cast, registry) -> None:
    services.person_update(
        actor=None, person=registry[1].head, data={}, ppks=[factories.ppks("11")]
    )
    scheme = _scheme(
        cast,
        rules={"any": [{"rule": "ppks_in", "codes": ["11"]}, {"rule": "member_with_disability"}]},
    )
    chosen = {pk for pk, _r in targeting.select(scheme, today=TODAY)}
    expected = {registry[1].pk} | {h.pk for i, h in enumerate(registry) if i % 4 == 0}
    assert chosen == expected


def test_apply_creates_proposals_once(cast, registry) -> None:
    scheme = _scheme(cast)
    made = targeting.targeting_scheme_apply(actor=cast.manager, scheme=scheme)
    assert made == len(_independent(registry, 4, 6))
    assert Enrolment.objects.filter(status="proposed", targeting_scheme=scheme).count() == made
    assert targeting.targeting_scheme_apply(actor=cast.manager, scheme=scheme) == 0


def test_score_rules_read_the_scoring_schemes_current_run_only(cast, registry) -> None:
    from bakti.registry import scoring

    def bands(low_desil: int, high_desil: int) -> list[dict]:
        return [
            {
                "variable": "desil",
                "bands": [{"max": 3, "points": low_desil}, {"min": 3, "points": high_desil}],
            }
        ]

    scorer = scoring.scoring_scheme_create(
        actor=None, name="Desil points", formula="points", variables=bands(10, 1)
    )
    first = scoring.scoring_run_start(actor=None, scheme=scorer, run_now=True)
    scoring.scoring_scheme_update(actor=None, scheme=scorer, data={"variables": bands(1, 10)})
    second = scoring.scoring_run_start(actor=None, scheme=scorer, run_now=True)
    assert first.status == second.status == "done"
    scheme = _scheme(
        cast, scoring_scheme=scorer, rules={"all": [{"rule": "score_above", "value": 5}]}
    )
    # The second run scores desil 3 and above 10 points; the first run said the opposite.
    chosen = list(targeting.qualifying(scheme, today=TODAY))
    assert {h.pk for h in chosen} == {h.pk for h in registry if h.desil >= 3}
    assert {h.current_score for h in chosen} == {Decimal("10")}
    below = {"all": [{"rule": "score_below", "value": 5}]}
    assert {h.pk for h in targeting.qualifying(scheme, rules=below, today=TODAY)} == {
        h.pk for h in registry if h.desil < 3
    }
