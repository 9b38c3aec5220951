"""Scoring in the database gives the very scores and deciles the Python formula gives.

The same random registry (ties, missing values, households without members or head, deceased
members, households that left, objections to automated scoring under UU PDP, floor areas per
person that round on a half) is scored by each scheme twice: in SQL and in Python. Both must
also equal ``score_of`` and ``assign_deciles`` applied by hand to the selected households.
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from bakti.privacy.pdp.models import LimitKind, ProcessingLimit
from bakti.registry import scoring, scoring_sql
from bakti.registry.models import (
    Education,
    Household,
    HouseholdScore,
    JobStatus,
    Person,
    ScoringScheme,
)
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A, DESA_A2, DESA_B

pytestmark = pytest.mark.usefixtures("english")

FLOORS = ["earth", "bamboo_wood", "cement", "tile", ""]
WALLS = ["bamboo", "wood", ""]
SANITATION = ["none", "shared", ""]
EDUCATION = [*Education.values, ""]
SPENDING = [None, Decimal("750000.50"), Decimal("1000000.00"), Decimal("1000000.01")]

POINTS_EDGES = [
    {
        "variable": "floor_material",
        "bands": [{"value": "earth", "points": 12}, {"value": "bamboo_wood", "points": 8}],
    },
    {"variable": "wall_material", "bands": [{"value": "bamboo", "points": "10.5"}]},
    {"variable": "sanitation", "bands": [{"value": True, "points": 1}]},
    {"variable": "has_motorcycle", "bands": [{"value": False, "points": 5}]},
    {"variable": "has_car", "bands": [{"value": "true", "points": -3}]},
    {"variable": "has_land", "bands": [{"min": 1, "points": 2}]},
    {
        "variable": "member_count",
        "bands": [{"min": 6, "points": 8}, {"min": "3.5", "max": 6, "points": 4}],
    },
    {"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]},
    {"variable": "children_under_18", "bands": [{"value": True, "points": "0.25"}]},
    {"variable": "elderly_60", "bands": [{"value": "2", "points": 3}, {"value": 1, "points": 4}]},
    {"variable": "disabled_count", "bands": [{"min": 1, "points": 6}]},
    {"variable": "head_female", "bands": [{"value": True, "points": 4}]},
    {"variable": "head_education", "bands": [{"value": "none", "points": 7}]},
    {"variable": "desil", "bands": [{"value": "3", "points": 2}, {"value": 4.0, "points": 99}]},
    {"variable": "desil", "bands": [{"max": "2.5", "points": "1.0001"}]},
    {
        "variable": "floor_area_per_person",
        "bands": [{"value": "0.12", "points": 9}, {"max": "7.125", "points": 3}],
    },
    {"variable": "floor_area_m2", "bands": [{"min": 20, "max": 36, "points": 1}]},
    {
        "variable": "monthly_expenditure",
        "bands": [{"value": "750000.50", "points": 20}, {"max": "1000000.005", "points": 2}],
    },
]

PMT_EDGES = [
    {"variable": "member_count", "weight": "-0.0731"},
    {
        "variable": "floor_material",
        "weights": {"tile": "0.25", "earth": "-0.3", "": "-0.00005", "None": 9},
    },
    {"variable": "head_female", "weights": {"True": "-0.11", "False": 0.02, "None": "0.5"}},
    {"variable": "head_education", "weights": {"university": "0.4", "None": "-0.2", "": "0.1"}},
    {"variable": "desil", "weights": {"1": "-0.5", "10": "0.5", "None": "0.123456"}},
    {"variable": "has_motorcycle", "weight": "0.2"},
    {"variable": "floor_area_per_person", "weight": "0.01"},
    {"variable": "floor_area_per_person", "weights": {"0.12": 1, "None": "-1"}},
    {"variable": "monthly_expenditure", "weight": "0.00000013"},
    {"variable": "children_under_6", "weight": "-0.15"},
    {"variable": "elderly_60", "weight": "-0.00005"},
]


def _world(seed: int) -> list[Household]:
    """A random registry written in bulk (test data, not a user's write)."""
    rng = random.Random(seed)
    today = timezone.localdate()
    homes = Household.objects.bulk_create(
        [
            Household(
                no_kk=f"{seed:02d}{i:014d}",
                region_id=rng.choice([DESA_A, DESA_A, DESA_A2, DESA_B]),
                status=rng.choice(["active"] * 8 + ["moved"]),
                desil=rng.choice([None, 1, 2, 3, 4, 10]),
                floor_material=rng.choice(FLOORS),
                wall_material=rng.choice(WALLS),
                sanitation=rng.choice(SANITATION),
                floor_area_m2=rng.choice([None, 0, 1, 3, 21, 36, 57, 100]),
                monthly_expenditure=rng.choice(
                    [*SPENDING, Decimal(rng.randint(0, 300_000_000)) / 100]
                ),
                has_motorcycle=rng.random() < 0.5,
                has_car=rng.random() < 0.1,
                has_land=rng.random() < 0.3,
            )
            for i in range(160)
        ]
    )
    people = []
    for home in homes:
        for j in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 8])):
            born = rng.choice(
                [None, today - dt.timedelta(days=rng.randint(0, 90 * 365))]
                + [today.replace(year=today.year - y) for y in (6, 18, 60)]
            )
            people.append(
                Person(
                    full_name=f"P {home.pk} {j}",
                    sex=rng.choice("MF"),
                    birth_date=born,
                    household=home,
                    region_id=home.region_id,
                    education=rng.choice(EDUCATION),
                    has_disability=rng.random() < 0.1,
                    deceased=rng.random() < 0.08,
                )
            )
    Person.objects.bulk_create(people)
    first = {}
    for person in Person.objects.order_by("pk"):
        first.setdefault(person.household_id, person)
    heads = []
    for home in homes:
        if home.pk in first and rng.random() < 0.85:
            home.head = first[home.pk]
            heads.append(home)
    Household.objects.bulk_update(heads, ["head"])
    objecting = [home for home in homes if home.pk in first][::11]
    for n, home in enumerate(objecting):
        ProcessingLimit.objects.create(
            kind=LimitKind.SCORING_OBJECTION,
            person=first[home.pk],
            household=home,
            lifted_at=timezone.now() if n % 3 == 0 else None,  # a lifted one counts again
        )
    return homes


def _results(run) -> dict[int, tuple[Decimal, int]]:
    return {
        hh: (score, decile)
        for hh, score, decile in HouseholdScore.objects.filter(run=run).values_list(
            "household_id", "score", "decile"
        )
    }


def _by_hand(scheme: ScoringScheme) -> dict[int, tuple[Decimal, int]]:
    rows = list(scoring.household_rows(scoring.households_of(scheme)))
    scores = {row["pk"]: scoring.score_of(scheme, row) for row in rows}
    deciles = scoring.assign_deciles(list(scores.items()), higher_is_poorer=scheme.higher_is_poorer)
    return {pk: (score, deciles[pk]) for pk, score in scores.items()}


def _run(scheme: ScoringScheme, engine: str, batch_size: int = 37):
    run = scoring.scoring_run_start(actor=None, scheme=scheme, run_now=False)
    run = scoring.scoring_run_execute(run_id=run.pk, engine=engine, batch_size=batch_size)
    assert run.status == JobStatus.DONE, run.message
    return run


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize(
    ("formula", "variables", "intercept", "higher_is_poorer", "region"),
    [
        ("points", POINTS_EDGES, "0", True, None),
        ("points", POINTS_EDGES, "0", False, "34.04.01"),
        ("pmt", PMT_EDGES, "13.5", False, None),
        ("pmt", PMT_EDGES, "-2.0001", True, "34.04.01.2001"),
    ],
)
def test_sql_scores_and_deciles_equal_the_python_formula(
    cast, seed, formula, variables, intercept, higher_is_poorer, region
) -> None:
    homes = _world(seed)
    scheme = scoring.scoring_scheme_create(
        actor=None,
        name=f"S {formula} {seed}",
        formula=formula,
        variables=variables,
        intercept=Decimal(intercept),
        higher_is_poorer=higher_is_poorer,
        scope_region_id=region,
    )
    assert scoring_sql.plan(scheme) is not None, "this scheme must be scored in SQL"
    in_sql = _results(_run(scheme, "auto"))  # one INSERT that also ranks
    in_python = _results(_run(scheme, "python"))  # chunks of 37, ranked by one UPDATE
    expected = _by_hand(scheme)
    assert in_sql == in_python == expected
    # The data did exercise what it should: objections, other statuses, ties, every decile.
    objected = set(
        ProcessingLimit.objects.filter(lifted_at__isnull=True).values_list("household", flat=True)
    )
    assert objected and not objected & set(in_sql)
    assert any(h.status != "active" for h in homes)
    if formula == "points":
        assert len({score for score, _d in in_sql.values()}) < len(in_sql)
    if region is None:
        assert {d for _s, d in in_sql.values()} == set(range(1, 11))


def test_a_rerun_in_sql_becomes_the_current_run_and_audits_once(cast) -> None:
    from bakti.privacy.models import AuditEvent

    _world(3)
    scheme = scoring.scoring_scheme_create(
        actor=None, name="P", formula="points", variables=POINTS_EDGES
    )
    before = AuditEvent.objects.filter(object_type="registry.householdscore").count()
    first = _run(scheme, "auto")
    second = _run(scheme, "auto")
    events = AuditEvent.objects.filter(object_type="registry.householdscore").order_by("pk")
    assert events.count() == before + 2  # one per run, not one per household
    assert events.last().changes["engine"] == "sql"
    assert events.last().changes["households"] == second.total
    scheme.refresh_from_db()
    assert scheme.current_run == second
    current = HouseholdScore.objects.filter(run=scheme.current_run)
    assert second.processed == second.total == current.count()
    # The first run's scores stay as they were: history, not rewritten.
    assert HouseholdScore.objects.filter(run=first).count() == first.total


def test_sql_run_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries) -> None:
    _world(4)
    scheme = scoring.scoring_scheme_create(
        actor=None, name="P", formula="points", variables=POINTS_EDGES
    )
    run = scoring.scoring_run_start(actor=None, scheme=scheme, run_now=False)
    # 160 households: a handful of queries, none per household.
    with django_assert_max_num_queries(12):
        run = scoring.scoring_run_execute(run_id=run.pk)
    assert run.status == JobStatus.DONE, run.message
    assert run.total > 100


@pytest.mark.parametrize(
    "variables",
    [
        [{"variable": "desil", "bands": [{"min": 1, "points": "0.00001"}]}],  # beyond the column
        [{"variable": "floor_material", "bands": [{"min": 1, "points": 1}]}],  # a number band
    ],
)
def test_schemes_sql_cannot_reproduce_fall_back_to_python(cast, variables) -> None:
    _world(5)
    scheme = scoring.scoring_scheme_create(
        actor=None, name="Odd", formula="points", variables=variables
    )
    assert scoring_sql.plan(scheme) is None
    runs = []
    for engine in ("auto", "python"):
        run = scoring.scoring_run_start(actor=None, scheme=scheme, run_now=False)
        runs.append(scoring.scoring_run_execute(run_id=run.pk, engine=engine))
    auto, python = runs
    assert (auto.status, auto.message) == (python.status, python.message)
    assert _results(auto) == _results(python)


def test_a_pmt_whose_total_could_overflow_is_scored_in_python(cast) -> None:
    homes = _world(6)
    Household.objects.filter(pk=homes[0].pk).update(monthly_expenditure=Decimal("-300000000.55"))
    variables = [{"variable": "monthly_expenditure", "weight": "1000000000"}]
    scheme = scoring.scoring_scheme_create(
        actor=None, name="Big", formula="pmt", variables=variables
    )
    assert scoring_sql.plan(scheme) is None  # |-3e10 hundredths x 1e11| is past 2**62
    small = scoring.scoring_scheme_create(
        actor=None, name="Small", formula="pmt", variables=[{**variables[0], "weight": "0.01"}]
    )
    assert scoring_sql.plan(small) is not None
    assert _results(_run(small, "auto")) == _results(_run(small, "python")) == _by_hand(small)
