"""Creating a program from another used as a template: framework, indicators with targets and
the work plan are copied, dates moved; progress is not copied."""

import datetime as dt
from decimal import Decimal

from bakti.programs import services
from bakti.programs.models import Activity, Indicator, Milestone, Result

from .factories import activity, framework, program


def test_copy_moves_every_date_by_whole_months_and_keeps_quarters(cast):
    template = program(cast, code="T-2026", regions=["34.04"])
    parts = framework(template)
    first = activity(
        template,
        parts["output"],
        code="A1",
        planned_start=dt.date(2026, 2, 1),
        planned_end=dt.date(2026, 2, 28),
    )
    second = activity(
        template,
        parts["output"],
        code="A2",
        depends_on=[first],
        planned_start=dt.date(2026, 3, 1),
        planned_end=dt.date(2026, 4, 15),
        locations=[],
    )
    services.milestone_create(
        actor=None, program=template, name="Mid", activity=second, due_date=dt.date(2026, 4, 15)
    )
    services.activity_update(
        actor=None,
        activity=first,
        data={
            "status": "done",
            "actual_start": dt.date(2026, 2, 1),
            "actual_end": dt.date(2026, 2, 20),
        },
    )

    copy = services.program_create_from_template(
        actor=cast.manager,
        template=template,
        code="T-2027",
        name="Copy",
        start_date=dt.date(2027, 1, 1),
    )
    assert (copy.start_date, copy.end_date) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    assert copy.template == template and copy.status == "draft"
    assert list(copy.regions.values_list("pk", flat=True)) == ["34.04"]
    statements = list(
        Result.objects.filter(program=copy)
        .order_by("tier")
        .values_list("tier", "statement", "parent__statement")
    )
    assert statements == [(1, "Goal", None), (2, "Outcome", "Goal"), (3, "Output", "Outcome")]
    indicator = Indicator.objects.get(program=copy)
    targets = list(indicator.targets.values_list("period_start", "period_end", "label", "value"))
    assert targets[0] == (dt.date(2027, 1, 1), dt.date(2027, 3, 31), "Q1 2027", Decimal(10))
    assert targets[-1] == (dt.date(2027, 10, 1), dt.date(2027, 12, 31), "Q4 2027", Decimal(40))
    assert indicator.end_target == Decimal(100)
    a1 = Activity.objects.get(program=copy, code="A1")
    a2 = Activity.objects.get(program=copy, code="A2")
    assert (a1.planned_start, a1.planned_end) == (dt.date(2027, 2, 1), dt.date(2027, 2, 28))
    assert (a2.planned_start, a2.planned_end) == (dt.date(2027, 3, 1), dt.date(2027, 4, 15))
    assert a1.status == "not_started" and a1.actual_end is None and a1.percent_complete == 0
    assert list(a2.depends_on.all()) == [a1]
    assert a1.output.program == copy
    milestone = Milestone.objects.get(program=copy)
    assert milestone.due_date == dt.date(2027, 4, 15) and milestone.activity == a2
    # The template is untouched.
    assert Activity.objects.filter(program=template).count() == 2
    assert Activity.objects.get(pk=first.pk).status == "done"


def test_copy_to_an_odd_start_day_moves_dates_by_days(cast):
    template = program(cast, code="T-A")
    parts = framework(template)
    activity(
        template,
        parts["output"],
        code="A1",
        planned_start=dt.date(2026, 2, 1),
        planned_end=dt.date(2026, 2, 10),
    )
    copy = services.program_create_from_template(
        actor=cast.manager, template=template, code="T-B", name="B", start_date=dt.date(2026, 1, 11)
    )
    assert copy.end_date == dt.date(2027, 1, 10)
    a1 = Activity.objects.get(program=copy)
    assert (a1.planned_start, a1.planned_end) == (dt.date(2026, 2, 11), dt.date(2026, 2, 20))


def test_field_worker_cannot_copy(cast):
    import pytest
    from django.core.exceptions import PermissionDenied

    template = program(cast, code="T-X")
    with pytest.raises(PermissionDenied):
        services.program_create_from_template(
            actor=cast.field_worker_a,
            template=template,
            code="T-Y",
            name="Y",
            start_date=dt.date(2027, 1, 1),
        )
