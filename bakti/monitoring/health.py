"""Program health: green / amber / red, with the reasons listed.

Five measures, each compared with configurable thresholds (:class:`HealthSettings`): schedule
slips (the programs app computes them), budget absorption against the disbursement plan
(finance), indicators off track (the tracking table), overdue cases (cases) and complaints past
their SLA (community). A measure whose app is not installed is left out, and says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import HealthSettings, HealthStatus
from .tracking import TrackingTable, thresholds_for, tracking_table

LEVELS = {HealthStatus.GREEN: 0, HealthStatus.AMBER: 1, HealthStatus.RED: 2}


@dataclass
class Reason:
    code: str
    level: str
    text: str
    count: Any = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if isinstance(self.count, Decimal):
            data["count"] = str(self.count)
        return data


@dataclass
class Health:
    status: str
    reasons: list[Reason]
    measures: dict[str, Any]

    @property
    def label(self) -> str:
        return str(HealthStatus(self.status).label)


def _level(value: Decimal | int, amber: int, red: int) -> str:
    if value >= red:
        return HealthStatus.RED
    if value >= amber:
        return HealthStatus.AMBER
    return HealthStatus.GREEN


def slipped_activities(program: Any, today: dt.date) -> int:
    from bakti.programs.models import Activity
    from bakti.programs.schedule import compute_slips

    activities = list(Activity.objects.filter(program=program))
    edges = Activity.depends_on.through.objects.filter(from_activity__program=program).values_list(
        "from_activity_id", "to_activity_id"
    )
    slips = compute_slips(activities, list(edges), today=today)
    return sum(1 for slip in slips.values() if slip.late or slip.overdue)


def absorption_against_plan(program: Any, today: dt.date) -> dict[str, Decimal] | None:
    """Realised and planned-to-date spending of the fiscal year containing ``today``, as
    percentages of the budget; None when the program has no budget that year."""
    if not apps.is_installed("bakti.finance"):
        return None
    BudgetLine = apps.get_model("finance", "BudgetLine")
    DisbursementPlan = apps.get_model("finance", "DisbursementPlan")
    Expenditure = apps.get_model("finance", "Expenditure")
    lines = BudgetLine.objects.filter(
        program=program, fiscal_year__start_date__lte=today, fiscal_year__end_date__gte=today
    )
    budget = lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if not budget:
        return None
    planned = DisbursementPlan.objects.filter(line__in=lines, month__lte=today).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    realised = Expenditure.objects.filter(
        line__in=lines, status="approved", date__lte=today
    ).aggregate(total=Sum("amount_idr"))["total"] or Decimal("0")
    hundred = Decimal("100")
    return {
        "budget": budget,
        "planned_percent": (planned * hundred / budget).quantize(Decimal("0.1")),
        "realised_percent": (realised * hundred / budget).quantize(Decimal("0.1")),
    }


def overdue_cases(program: Any, today: dt.date) -> int | None:
    if not (apps.is_installed("bakti.cases") and apps.is_installed("bakti.registry")):
        return None
    from .rules import of_program_households

    Case = apps.get_model("cases", "Case")
    return (
        Case.objects.filter(of_program_households(program))
        .exclude(status="closed")
        .filter(
            Q(assessed_on__isnull=True, assessment_due__lt=today)
            | Q(plan_approved_on__isnull=True, plan_due__lt=today)
        )
        .count()
    )


def complaints_past_sla(program: Any, today: dt.date) -> int | None:
    if not apps.is_installed("bakti.community"):
        return None
    from bakti.community.models import Ticket  # an optional app, installed
    from bakti.community.selectors import overdue_q

    return Ticket.objects.filter(overdue_q(today), program=program).count()


def assess(
    program: Any,
    *,
    today: dt.date | None = None,
    table: TrackingTable | None = None,
    thresholds: HealthSettings | None = None,
    past_sla: int | None = None,
) -> Health:
    """The health of ``program`` today, with a reason for every measure that is not green.
    A caller that has already read the table, the thresholds or the number of complaints past
    their deadline on ``today`` passes them in."""
    today = today or timezone.localdate()
    thresholds = thresholds or thresholds_for(program)
    reasons: list[Reason] = []
    measures: dict[str, Any] = {}

    slipped = slipped_activities(program, today)
    measures["slipped_activities"] = slipped
    level = _level(slipped, thresholds.slipped_activities_amber, thresholds.slipped_activities_red)
    if slipped and level != HealthStatus.GREEN:
        reasons.append(
            Reason(
                "schedule",
                level,
                _("%(count)s work-plan activities are late.") % {"count": slipped},
                slipped,
            )
        )

    absorption = absorption_against_plan(program, today)
    if absorption is not None:
        gap = absorption["planned_percent"] - absorption["realised_percent"]
        measures["absorption"] = {k: str(v) for k, v in absorption.items()}
        level = _level(gap, thresholds.absorption_gap_amber, thresholds.absorption_gap_red)
        if level != HealthStatus.GREEN:
            reasons.append(
                Reason(
                    "absorption",
                    level,
                    _(
                        "Budget absorption is %(realised)s%% against %(planned)s%% planned by "
                        "now (%(gap)s points behind)."
                    )
                    % {
                        "realised": absorption["realised_percent"],
                        "planned": absorption["planned_percent"],
                        "gap": gap,
                    },
                    gap,
                )
            )

    table = table or tracking_table(program, as_of=today, thresholds=thresholds)
    off_track = [row.code for row in table.off_track]
    measures["indicators_off_track"] = off_track
    level = _level(
        len(off_track), thresholds.off_track_indicators_amber, thresholds.off_track_indicators_red
    )
    if off_track and level != HealthStatus.GREEN:
        reasons.append(
            Reason(
                "indicators",
                level,
                _("%(count)s indicators are off track: %(codes)s.")
                % {"count": len(off_track), "codes": ", ".join(off_track)},
                len(off_track),
            )
        )

    cases = overdue_cases(program, today)
    if cases is not None:
        measures["overdue_cases"] = cases
        level = _level(cases, thresholds.overdue_cases_amber, thresholds.overdue_cases_red)
        if cases and level != HealthStatus.GREEN:
            reasons.append(
                Reason(
                    "cases",
                    level,
                    _("%(count)s cases have an overdue assessment or case plan.")
                    % {"count": cases},
                    cases,
                )
            )

    complaints = past_sla if past_sla is not None else complaints_past_sla(program, today)
    if complaints is not None:
        measures["complaints_past_sla"] = complaints
        level = _level(
            complaints, thresholds.complaints_past_sla_amber, thresholds.complaints_past_sla_red
        )
        if complaints and level != HealthStatus.GREEN:
            reasons.append(
                Reason(
                    "complaints",
                    level,
                    _("%(count)s complaints are past their SLA deadline.") % {"count": complaints},
                    complaints,
                )
            )

    status = HealthStatus.GREEN
    for reason in reasons:
        if LEVELS[HealthStatus(reason.level)] > LEVELS[HealthStatus(status)]:
            status = HealthStatus(reason.level)
    return Health(status=str(status), reasons=reasons, measures=measures)
