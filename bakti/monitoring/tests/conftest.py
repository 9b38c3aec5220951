import datetime as dt

import pytest
from django.utils import translation

from bakti.monitoring import services

from .factories import QUARTERS_2026, make_indicator, make_program


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the source language); pages follow the request."""
    with translation.override("en"):
        yield


@pytest.fixture
def tracked(cast):
    """A program of the Rehsos division with three indicators (one per cumulative rule), the
    first disaggregated by sex, with approved values for Q1 and Q2 2026."""
    program = make_program(cast.division_rehsos, code="PKH-1", manager=cast.manager)
    people = make_indicator(
        program,
        code="OUT-1",
        name="Families assisted",
        rule="per_period",
        targets=[100, 100, 100, 100],
        disaggregations=["sex"],
    )
    running = make_indicator(program, code="OUT-2", rule="cumulative", targets=[50, 100, 150, 200])
    rate = make_indicator(
        program, code="OC-1", rule="non_summing", unit="percentage", targets=[60, 65, 70, 75]
    )
    values = {
        people: [
            (80, {("sex", "F"): 50, ("sex", "M"): 30}),
            (95, {("sex", "F"): 60, ("sex", "M"): 35}),
        ],
        running: [(40, {}), (110, {})],
        rate: [(58.5, {}), (66.25, {})],
    }
    for indicator, series in values.items():
        for (start, end, _label), (value, breakdown) in zip(QUARTERS_2026, series, strict=False):
            result = services.indicator_result_save(
                actor=cast.officer,
                indicator=indicator,
                period_start=start,
                period_end=end,
                value=value,
                breakdown=breakdown,
            )
            services.indicator_result_submit(actor=cast.officer, result=result)
            services.indicator_result_approve(actor=cast.mne, result=result)
    program.as_of = dt.date(2026, 6, 30)
    return program


@pytest.fixture
def evaluation(cast, tracked):
    return services.evaluation_create(
        actor=cast.mne,
        program=tracked,
        title="Midline survey",
        evaluation_type="midline",
        start_date=dt.date(2026, 6, 1),
        end_date=dt.date(2026, 6, 20),
        evaluator_kind="partner",
        evaluator_name="Universitas Gadjah Mada",
        method="Household survey, 300 households",
        findings="Food packages arrive late in Godean.",
        status="completed",
    )
