import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bakti.registry import scoring, services
from bakti.registry.models import HouseholdScore, JobStatus
from bakti.registry.tests import factories
from bakti.registry.tests.factories import english  # noqa: F401 - fixture
from conftest import DESA_A, DESA_A2, DESA_B

pytestmark = pytest.mark.usefixtures("english")

POINTS = [
    {"variable": "floor_material", "bands": [{"value": "earth", "points": 10}]},
    {
        "variable": "member_count",
        "bands": [{"min": 5, "points": 6}, {"min": 3, "max": 5, "points": 3}],
    },
    {"variable": "has_motorcycle", "bands": [{"value": False, "points": 4}]},
    {"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]},
]


def _home(desa, *, floor, motorcycle, members, toddlers):
    home = factories.household(desa, floor_material=floor, has_motorcycle=motorcycle)
    for i in range(members):
        born = dt.date(2024, 1, 1) if i < toddlers else dt.date(1980, 1, 1)
        factories.person(home, name=f"M{i}", sex="M", born=born, with_nik=False)
    return home


def _expected(floor, motorcycle, members, toddlers):
    """The same points, worked out by hand."""
    total = 10 if floor == "earth" else 0
    total += 6 if members >= 5 else 3 if members >= 3 else 0
    total += 4 if not motorcycle else 0
    total += 5 if toddlers >= 1 else 0
    return Decimal(total)


SHAPES = [
    ("earth", False, 6, 2),
    ("tile", True, 2, 0),
    ("cement", False, 3, 0),
    ("earth", True, 4, 1),
    ("tile", False, 1, 0),
]


def test_points_scheme_scores_match_a_hand_calculation_and_rank_deciles(
    cast, django_capture_on_commit_callbacks
) -> None:
    homes = [
        _home(DESA_A if i % 2 else DESA_A2, floor=f, motorcycle=m, members=n, toddlers=t)
        for i, (f, m, n, t) in enumerate(SHAPES)
    ]
    outside = _home(DESA_B, floor="earth", motorcycle=False, members=6, toddlers=1)
    scheme = scoring.scoring_scheme_create(
        actor=cast.manager,
        name="Points A",
        formula="points",
        variables=POINTS,
        scope_region_id="34.04.01",
        status="active",
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = scoring.scoring_run_start(actor=cast.manager, scheme=scheme)
    run.refresh_from_db()
    assert (run.status, run.total, run.processed) == (JobStatus.DONE, 5, 5)
    got = {s.household_id: s for s in HouseholdScore.objects.filter(run=run)}
    assert outside.pk not in got
    for home, shape in zip(homes, SHAPES, strict=True):
        assert got[home.pk].score == _expected(*shape)
    # Deciles: higher score = poorer = lower decile; 5 households → deciles 1, 3, 5, 7, 9.
    ranked = sorted(got.values(), key=lambda s: -s.score)
    assert [s.decile for s in ranked] == [1, 3, 5, 7, 9]


def test_rerun_keeps_history_and_becomes_the_current_run(
    cast, client, django_capture_on_commit_callbacks
) -> None:
    home = _home(DESA_A, floor="earth", motorcycle=False, members=2, toddlers=0)
    scheme = scoring.scoring_scheme_create(
        actor=None, name="P", formula="points", variables=POINTS, status="active"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = scoring.scoring_run_start(actor=None, scheme=scheme)
    with django_capture_on_commit_callbacks(execute=True):
        second = scoring.scoring_run_start(actor=None, scheme=scheme)
    assert HouseholdScore.objects.filter(scheme=scheme).count() == 2
    scheme.refresh_from_db()
    assert scheme.current_run == second
    # The household page lists both scores and marks the older one.
    client.force_login(cast.manager)
    page = client.get(reverse("registry:household_detail", args=[home.pk])).content.decode()
    assert page.count("(penskoran sebelumnya)") == 1  # "earlier run"
    # The scheme's page marks the current run among its runs.
    page = client.get(reverse("registry:scoring_detail", args=[scheme.pk])).content.decode()
    assert page.count("penskoran yang berlaku") == 1  # "current run"
    assert page.index(f'id="run-{second.pk}"') > page.index("penskoran yang berlaku")
    # Running a finished run again does nothing: it does not become current again.
    scoring.scoring_run_execute(run_id=first.pk)
    assert HouseholdScore.objects.filter(run=first).count() == 1
    scheme.refresh_from_db()
    assert scheme.current_run == second


def test_pmt_is_intercept_plus_weighted_sum(cast, django_capture_on_commit_callbacks) -> None:
    home = _home(DESA_A, floor="tile", motorcycle=True, members=4, toddlers=1)
    services.household_update(actor=None, household=home, data={"floor_area_m2": 36})
    variables = [
        {"variable": "member_count", "weight": -0.1},
        {"variable": "floor_material", "weights": {"tile": 0.25, "earth": -0.3}},
        {"variable": "has_motorcycle", "weight": 0.2},
        {"variable": "floor_area_per_person", "weight": 0.01},
    ]
    scheme = scoring.scoring_scheme_create(
        actor=None,
        name="PMT",
        formula="pmt",
        intercept=Decimal("13.5"),
        variables=variables,
        higher_is_poorer=False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = scoring.scoring_run_start(actor=None, scheme=scheme)
    score = HouseholdScore.objects.get(run=run).score
    expected = Decimal("13.5") - Decimal("0.4") + Decimal("0.25") + Decimal("0.2") + Decimal("0.09")
    assert score == expected


def test_deciles_share_ties_and_spread_over_ten() -> None:
    scores = [(i, Decimal(i)) for i in range(1, 21)] + [(99, Decimal(20))]
    deciles = scoring.assign_deciles(scores, higher_is_poorer=False)
    assert [deciles[i] for i in (1, 2, 3, 4)] == [1, 1, 1, 2]  # 21 rows: ranks 0-2 → 1
    assert deciles[20] == deciles[99] == 10


@pytest.mark.parametrize(
    ("variables", "fragment"),
    [
        ([], "at least one"),
        ([{"variable": "shoe_size", "bands": []}], "unknown variable"),
        ([{"variable": "desil", "bands": [{"min": 1}]}], "points"),
        ([{"variable": "desil", "bands": [{"points": "x", "min": 1}]}], "not a number"),
    ],
)
def test_bad_variables_are_refused_saying_where(variables, fragment) -> None:
    with pytest.raises(ValidationError) as error:
        scoring.check_variables(variables, "points")
    assert fragment in error.value.messages[0]


def test_an_assessment_scores_the_answers_not_the_old_record(cast) -> None:
    home = _home(DESA_A, floor="tile", motorcycle=True, members=1, toddlers=0)
    scheme = scoring.scoring_scheme_create(
        actor=None, name="P", formula="points", variables=POINTS, status="active"
    )
    assessment = scoring.assessment_record(
        actor=cast.field_worker_a,
        household=home,
        assessed_on=dt.date(2026, 10, 1),
        answers={"floor_material": "earth", "has_motorcycle": False},
        scheme=scheme,
        update_household=True,
    )
    assert assessment.score == Decimal(14)
    home.refresh_from_db()
    assert home.floor_material == "earth"
