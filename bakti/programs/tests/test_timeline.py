"""The server-rendered timeline: geometry of bars, slips, milestones and today's line, and an
SVG that stays valid whatever the page language."""

import datetime as dt
import re

from django.urls import reverse

from bakti.programs.gantt import LABEL_WIDTH, build_timeline
from bakti.programs.models import Activity, Milestone
from bakti.programs.schedule import compute_slips

from .factories import activity, framework, program


def test_timeline_marks_slips_today_and_milestones():
    start, end, today = dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2026, 6, 15)
    late = Activity(
        pk=1,
        code="A",
        name="Late",
        planned_start=dt.date(2026, 3, 1),
        planned_end=dt.date(2026, 5, 31),
        status="in_progress",
        percent_complete=50,
    )
    fine = Activity(
        pk=2,
        code="B",
        name="Fine",
        planned_start=dt.date(2026, 7, 1),
        planned_end=dt.date(2026, 9, 30),
        status="not_started",
        percent_complete=0,
    )
    slips = compute_slips([late, fine], [], today=today)
    milestone = Milestone(pk=1, activity_id=1, name="M", due_date=dt.date(2026, 5, 31))
    timeline = build_timeline(
        start=start,
        end=end,
        activities=[late, fine],
        slips=slips,
        milestones=[milestone],
        today=today,
    )
    first, second = timeline.rows
    assert first.late and first.slip_width > 0 and first.slip_x > first.planned_x
    assert first.done_width == round(first.planned_width / 2, 1)
    assert not second.late and second.slip_width == 0
    assert first.milestones and first.milestones[0]["x"] < first.slip_x
    assert LABEL_WIDTH < timeline.today_x < first.slip_x + first.slip_width + 1
    assert len(timeline.months) == 12


def test_a_long_slip_is_drawn_to_the_edge_of_the_axis():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    late = Activity(
        pk=1,
        code="A",
        name="A",
        planned_start=start,
        planned_end=dt.date(2026, 1, 31),
        status="in_progress",
        percent_complete=0,
    )
    slips = compute_slips([late], [], today=dt.date(2027, 6, 1))
    timeline = build_timeline(
        start=start,
        end=end,
        activities=[late],
        slips=slips,
        milestones=[],
        today=dt.date(2027, 6, 1),
    )
    row = timeline.rows[0]
    assert row.slip_x + row.slip_width <= timeline.width
    assert timeline.today_x is None


def test_svg_numbers_use_a_decimal_point_in_indonesian(client, cast):
    prog = program(cast)
    parts = framework(prog)
    activity(
        prog, parts["output"], planned_start=dt.date(2026, 1, 7), planned_end=dt.date(2026, 2, 3)
    )
    client.force_login(cast.manager)
    client.cookies["bakti_language"] = "id"
    html = client.get(reverse("programs:workplan", args=[prog.pk])).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Linimasa" in svg
    assert not re.search(r'(x|y|width|x1|x2)="\d+,\d', svg)
    assert re.search(r'x="\d+\.\d"', svg)
