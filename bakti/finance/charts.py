"""Planned versus actual cumulative spending as an SVG drawn on the server (no script, works
offline, the same chart in the page and in a PDF)."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bakti.core.money import format_money

from .analysis import Period

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 110, 20, 20, 50
PLAN_COLOUR = "#6c757d"
ACTUAL_COLOUR = "#0b5d56"
BUDGET_COLOUR = "#b02a37"


def _points(values: list[Decimal], top: Decimal) -> list[tuple[float, float]]:
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(values) - 1, 1)
    out = []
    for index, value in enumerate(values):
        share = float(value / top) if top else 0.0
        out.append((LEFT + index * step, TOP + plot_h * (1 - share)))
    return out


def cumulative_chart(months: list[Period], upto: int | None = None) -> SafeString:
    """The chart for the monthly periods of ``analysis.absorption``; the actual line stops at
    month ``upto`` (count of months shown, e.g. up to today)."""
    title = _("Planned and actual cumulative spending")
    if not months:
        return mark_safe("")
    budget = months[0].budget
    planned = [p.planned_cumulative for p in months]
    actual = [p.realised_cumulative for p in months][: upto or len(months)]
    top = max([budget, *planned, *actual, Decimal("1")])
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="finance-chart-title" class="img-fluid finance-chart">',
        f'<title id="finance-chart-title">{escape(title)}</title>',
        f'<rect x="{LEFT}" y="{TOP}" width="{WIDTH - LEFT - RIGHT}" height="{plot_h}" '
        'fill="#fff" stroke="#dee2e6"/>',
    ]
    for fraction in (0, 0.25, 0.5, 0.75, 1):
        y = TOP + plot_h * (1 - fraction)
        value = top * Decimal(str(fraction))
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{escape(format_money(value))}</text>"
        )
    xs = _points(planned, top)
    for (x, _y), period in zip(xs, months, strict=True):
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" '
            f'text-anchor="middle">{escape(period.start.strftime("%m"))}</text>'
        )
    if budget:
        y = _points([budget], top)[0][1]
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{BUDGET_COLOUR}" stroke-dasharray="2 3"/>'
        )

    def polyline(values: list[Decimal], colour: str, dash: str = "") -> str:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in _points(values, top)[: len(values)])
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        return (
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dashed} points="{pts}"/>'
        )

    # The actual line uses the same x positions as the full year.
    plan_pts = _points(planned, top)
    parts.append(polyline(planned, PLAN_COLOUR, "6 4"))
    if actual:
        act = " ".join(
            f"{plan_pts[i][0]:.1f},{_points([v], top)[0][1]:.1f}" for i, v in enumerate(actual)
        )
        parts.append(
            f'<polyline fill="none" stroke="{ACTUAL_COLOUR}" stroke-width="3" points="{act}"/>'
        )
    legend_y = HEIGHT - 12
    legend = [
        (PLAN_COLOUR, _("Planned (disbursement plan)")),
        (ACTUAL_COLOUR, _("Actual (approved spending)")),
        (BUDGET_COLOUR, _("Budget")),
    ]
    x = LEFT
    for colour, label in legend:
        parts.append(
            f'<rect x="{x}" y="{legend_y - 9}" width="14" height="4" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{legend_y - 4}" font-size="11">{escape(label)}</text>'
        )
        x += 175
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part is escaped above
