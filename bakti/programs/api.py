"""The programs API at /api/v1/programs/: programs, results, indicators, targets, activities,
milestones and risks. The same selectors decide what a user sees (404 outside it) and the same
services what they may change (403) and whether the change is valid (422)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from bakti.accounts.access import has
from bakti.accounts.models import OrgUnit
from bakti.privacy.audit import StaleEdit
from bakti.regions.models import Region

from . import selectors, services
from .models import (
    Activity,
    Indicator,
    Milestone,
    PPKSCategory,
    Program,
    ProgramType,
    Result,
    Risk,
)
from .schemas import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    FromTemplateIn,
    IndicatorIn,
    IndicatorOut,
    IndicatorPatch,
    MilestoneIn,
    MilestoneOut,
    MilestonePatch,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    ResultIn,
    ResultOut,
    ResultPatch,
    RiskIn,
    RiskOut,
    RiskPatch,
    TargetOut,
    TargetsIn,
    TransitionIn,
)

router = Router(tags=["programs"])


def conflict_on_stale(view: Callable[..., Any]) -> Callable[..., Any]:
    """A stale edit (someone saved since the client read ``version``) answers 409."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except StaleEdit as stale:
            raise HttpError(409, str(stale)) from stale

    return wrapped


class ProgramFilters(Schema):
    status: str | None = None
    program_type_id: int | None = None
    region: str | None = None
    year: int | None = Field(None, ge=1900, le=2999)
    org_unit_id: int | None = None
    q: str | None = None


def _viewer(request: HttpRequest) -> Any:
    from django.core.exceptions import PermissionDenied

    if not has(request.user, "programs.view"):
        raise PermissionDenied(_("You may not see programs."))
    return request.user


def _editor(request: HttpRequest) -> Any:
    """A user whose role may not edit programs gets 403 before any record is looked up (an
    out-of-scope record still answers 404 afterwards)."""
    from django.core.exceptions import PermissionDenied

    if not has(request.user, "programs.edit"):
        raise PermissionDenied(_("You may not edit programs."))
    return request.user


def _program(request: HttpRequest, program_id: int) -> Program:
    return selectors.program_get_for_user(_viewer(request), program_id)


def _child(request: HttpRequest, model: type[Model], pk: int) -> Any:
    """A result, indicator, activity, milestone or risk whose program the user may see."""
    visible = Program.objects.filter(selectors.program_visibility_q(_viewer(request)))
    return get_object_or_404(
        model._default_manager.select_related("program").filter(program__in=visible), pk=pk
    )


def _ref(model: type[Model], pk: Any, field: str, **scope: Any) -> Any:
    """The row ``pk`` of ``model`` (within ``scope``), or a 422 naming the field."""
    if pk is None:
        return None
    found = model._default_manager.filter(pk=pk, **scope).first()
    if found is None:
        raise ValidationError({field: _("No such record: %(value)s.") % {"value": pk}})
    return found


def _refs(model: type[Model], keys: list[Any], field: str, key: str = "pk", **scope: Any) -> list:
    found = list(model._default_manager.filter(**{f"{key}__in": keys}, **scope))
    missing = set(map(str, keys)) - {str(getattr(obj, key)) for obj in found}
    if missing:
        raise ValidationError(
            {field: _("No such record: %(value)s.") % {"value": ", ".join(sorted(missing))}}
        )
    return found


def _program_out(program: Program) -> Program:
    return Program.objects.prefetch_related("regions", "target_groups").get(pk=program.pk)


# --- programs -----------------------------------------------------------------------------------


@router.get("/", response=list[ProgramOut], summary="Programs I may see")
@paginate
def list_programs(request: HttpRequest, filters: Query[ProgramFilters]) -> QuerySet[Program]:
    data = filters.dict(exclude_none=True)
    if "program_type_id" in data:
        data["program_type"] = data.pop("program_type_id")
    if "org_unit_id" in data:
        data["org_unit"] = get_object_or_404(OrgUnit, pk=data.pop("org_unit_id"))
    return selectors.program_list_for_user(_viewer(request), data).prefetch_related(
        "regions", "target_groups"
    )


def _program_data(payload: dict[str, Any]) -> dict[str, Any]:
    data = dict(payload)
    if "program_type_id" in data:
        data["program_type"] = _ref(ProgramType, data.pop("program_type_id"), "program_type_id")
    if "org_unit_id" in data:
        data["org_unit"] = _ref(OrgUnit, data.pop("org_unit_id"), "org_unit_id")
    if "manager_id" in data:
        data["manager"] = _ref(get_user_model(), data.pop("manager_id"), "manager_id")
    if "region_codes" in data:
        data["regions"] = _refs(Region, data.pop("region_codes"), "region_codes")
    if "target_group_codes" in data:
        data["target_groups"] = _refs(
            PPKSCategory, data.pop("target_group_codes"), "target_group_codes", key="code"
        )
    return data


@router.post("/", response={201: ProgramOut}, summary="Create a program (draft)")
def create_program(request: HttpRequest, payload: ProgramIn) -> tuple[int, Program]:
    _editor(request)
    data = _program_data(payload.dict())
    if Program.objects.filter(code=data["code"].strip()).exists():
        raise ValidationError({"code": _("A program with this code already exists.")})
    program = services.program_create(actor=request.user, **data)
    return 201, _program_out(program)


@router.post("/from-template", response={201: ProgramOut}, summary="Copy a program")
def create_from_template(request: HttpRequest, payload: FromTemplateIn) -> tuple[int, Program]:
    _editor(request)
    template = _program(request, payload.template_id)
    if Program.objects.filter(code=payload.code.strip()).exists():
        raise ValidationError({"code": _("A program with this code already exists.")})
    program = services.program_create_from_template(
        actor=request.user,
        template=template,
        code=payload.code,
        name=payload.name,
        start_date=payload.start_date,
        org_unit=_ref(OrgUnit, payload.org_unit_id, "org_unit_id"),
    )
    return 201, _program_out(program)


@router.get("/{int:program_id}", response=ProgramOut)
def get_program(request: HttpRequest, program_id: int) -> Program:
    return _program_out(_program(request, program_id))


@router.patch("/{int:program_id}", response=ProgramOut)
@conflict_on_stale
def update_program(request: HttpRequest, program_id: int, payload: ProgramPatch) -> Program:
    _editor(request)
    program = _program(request, program_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    program = services.program_update(
        actor=request.user, program=program, data=_program_data(data), expected_version=version
    )
    return _program_out(program)


@router.post("/{int:program_id}/transitions", response=ProgramOut, summary="Lifecycle step")
def transition_program(request: HttpRequest, program_id: int, payload: TransitionIn) -> Program:
    program = _program(request, program_id)
    program = services.program_transition(
        actor=request.user, program=program, action=payload.action, comment=payload.comment
    )
    return _program_out(program)


# --- results ------------------------------------------------------------------------------------


@router.get("/{int:program_id}/results", response=list[ResultOut])
@paginate
def list_results(request: HttpRequest, program_id: int) -> QuerySet[Result]:
    program = _program(request, program_id)
    return selectors.result_list_for_user(request.user, program.pk)


@router.post("/{int:program_id}/results", response={201: ResultOut})
def create_result(request: HttpRequest, program_id: int, payload: ResultIn) -> tuple[int, Result]:
    _editor(request)
    program = _program(request, program_id)
    data = payload.dict()
    parent = _ref(Result, data.pop("parent_id"), "parent_id", program=program)
    return 201, services.result_create(actor=request.user, program=program, parent=parent, **data)


@router.patch("/results/{int:result_id}", response=ResultOut)
@conflict_on_stale
def update_result(request: HttpRequest, result_id: int, payload: ResultPatch) -> Result:
    _editor(request)
    result = _child(request, Result, result_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "parent_id" in data:
        data["parent"] = _ref(Result, data.pop("parent_id"), "parent_id", program=result.program)
    return services.result_update(
        actor=request.user, result=result, data=data, expected_version=version
    )


@router.delete("/results/{int:result_id}", response={204: None})
def delete_result(request: HttpRequest, result_id: int) -> tuple[int, None]:
    _editor(request)
    services.result_delete(actor=request.user, result=_child(request, Result, result_id))
    return 204, None


# --- indicators and targets ---------------------------------------------------------------------


@router.get("/{int:program_id}/indicators", response=list[IndicatorOut])
@paginate
def list_indicators(request: HttpRequest, program_id: int) -> QuerySet[Indicator]:
    program = _program(request, program_id)
    return selectors.indicator_list_for_user(request.user, program.pk)


@router.post("/{int:program_id}/indicators", response={201: IndicatorOut})
def create_indicator(
    request: HttpRequest, program_id: int, payload: IndicatorIn
) -> tuple[int, Indicator]:
    _editor(request)
    program = _program(request, program_id)
    data = payload.dict()
    result = _ref(Result, data.pop("result_id"), "result_id", program=program)
    if Indicator.objects.filter(program=program, code=data["code"]).exists():
        raise ValidationError({"code": _("This program already has an indicator with this code.")})
    return 201, services.indicator_create(
        actor=request.user, program=program, result=result, **data
    )


@router.patch("/indicators/{int:indicator_id}", response=IndicatorOut)
@conflict_on_stale
def update_indicator(request: HttpRequest, indicator_id: int, payload: IndicatorPatch) -> Indicator:
    _editor(request)
    indicator = _child(request, Indicator, indicator_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "result_id" in data:
        data["result"] = _ref(Result, data.pop("result_id"), "result_id", program=indicator.program)
    return services.indicator_update(
        actor=request.user, indicator=indicator, data=data, expected_version=version
    )


@router.delete("/indicators/{int:indicator_id}", response={204: None})
def delete_indicator(request: HttpRequest, indicator_id: int) -> tuple[int, None]:
    _editor(request)
    indicator = _child(request, Indicator, indicator_id)
    services.indicator_delete(actor=request.user, indicator=indicator)
    return 204, None


@router.get("/indicators/{int:indicator_id}/targets", response=list[TargetOut])
@paginate
def list_targets(request: HttpRequest, indicator_id: int) -> Any:
    indicator = _child(request, Indicator, indicator_id)
    return selectors.target_list_for_user(request.user, indicator.pk)


@router.put("/indicators/{int:indicator_id}/targets", response=list[TargetOut])
@conflict_on_stale
def set_targets(request: HttpRequest, indicator_id: int, payload: TargetsIn) -> Any:
    """Replace the period targets and the end-of-program target (checked against each other by
    the indicator's cumulative rule)."""
    _editor(request)
    indicator = _child(request, Indicator, indicator_id)
    services.indicator_set_targets(
        actor=request.user,
        indicator=indicator,
        targets=[services.TargetInput(**item.dict()) for item in payload.targets],
        end_target=payload.end_target,
        expected_version=payload.version,
    )
    return list(indicator.targets.order_by("period_start"))


# --- activities ---------------------------------------------------------------------------------


def _with_slips(request: HttpRequest, program: Program) -> None:
    _activities, slips, _depends = selectors.work_plan(program)
    request.bakti_slips = slips  # type: ignore[attr-defined]


def _activity_data(program: Program, payload: dict[str, Any]) -> dict[str, Any]:
    data = dict(payload)
    if "output_id" in data:
        data["output"] = _ref(Result, data.pop("output_id"), "output_id", program=program)
    if "owner_id" in data:
        data["owner"] = _ref(get_user_model(), data.pop("owner_id"), "owner_id")
    if "depends_on" in data:
        data["depends_on"] = _refs(Activity, data["depends_on"], "depends_on", program=program)
    if "locations" in data:
        data["locations"] = _refs(Region, data["locations"], "locations")
    return data


def _activity_out(request: HttpRequest, activity: Activity) -> Activity:
    _with_slips(request, activity.program)
    return Activity.objects.prefetch_related("depends_on", "locations").get(pk=activity.pk)


@router.get("/{int:program_id}/activities", response=list[ActivityOut])
@paginate
def list_activities(request: HttpRequest, program_id: int) -> QuerySet[Activity]:
    """The work plan with each activity's computed slip."""
    program = _program(request, program_id)
    _with_slips(request, program)
    return selectors.activity_list_for_user(request.user, program.pk).prefetch_related(
        "depends_on", "locations"
    )


@router.post("/{int:program_id}/activities", response={201: ActivityOut})
def create_activity(
    request: HttpRequest, program_id: int, payload: ActivityIn
) -> tuple[int, Activity]:
    _editor(request)
    program = _program(request, program_id)
    data = _activity_data(program, payload.dict())
    activity = services.activity_create(actor=request.user, program=program, **data)
    return 201, _activity_out(request, activity)


@router.patch("/activities/{int:activity_id}", response=ActivityOut)
@conflict_on_stale
def update_activity(request: HttpRequest, activity_id: int, payload: ActivityPatch) -> Activity:
    _editor(request)
    activity = _child(request, Activity, activity_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    activity = services.activity_update(
        actor=request.user,
        activity=activity,
        data=_activity_data(activity.program, data),
        expected_version=version,
    )
    return _activity_out(request, activity)


@router.delete("/activities/{int:activity_id}", response={204: None})
def delete_activity(request: HttpRequest, activity_id: int) -> tuple[int, None]:
    _editor(request)
    services.activity_delete(actor=request.user, activity=_child(request, Activity, activity_id))
    return 204, None


# --- milestones ---------------------------------------------------------------------------------


@router.get("/{int:program_id}/milestones", response=list[MilestoneOut])
@paginate
def list_milestones(request: HttpRequest, program_id: int) -> QuerySet[Milestone]:
    program = _program(request, program_id)
    return selectors.milestone_list_for_user(request.user, program.pk)


@router.post("/{int:program_id}/milestones", response={201: MilestoneOut})
def create_milestone(
    request: HttpRequest, program_id: int, payload: MilestoneIn
) -> tuple[int, Milestone]:
    _editor(request)
    program = _program(request, program_id)
    data = payload.dict()
    data["activity"] = _ref(Activity, data.pop("activity_id"), "activity_id", program=program)
    return 201, services.milestone_create(actor=request.user, program=program, **data)


@router.patch("/milestones/{int:milestone_id}", response=MilestoneOut)
@conflict_on_stale
def update_milestone(request: HttpRequest, milestone_id: int, payload: MilestonePatch) -> Milestone:
    _editor(request)
    milestone = _child(request, Milestone, milestone_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "activity_id" in data:
        data["activity"] = _ref(
            Activity, data.pop("activity_id"), "activity_id", program=milestone.program
        )
    return services.milestone_update(
        actor=request.user, milestone=milestone, data=data, expected_version=version
    )


@router.delete("/milestones/{int:milestone_id}", response={204: None})
def delete_milestone(request: HttpRequest, milestone_id: int) -> tuple[int, None]:
    _editor(request)
    milestone = _child(request, Milestone, milestone_id)
    services.milestone_delete(actor=request.user, milestone=milestone)
    return 204, None


# --- risks --------------------------------------------------------------------------------------


@router.get("/{int:program_id}/risks", response=list[RiskOut])
@paginate
def list_risks(request: HttpRequest, program_id: int) -> QuerySet[Risk]:
    program = _program(request, program_id)
    return selectors.risk_list_for_user(request.user, program.pk).order_by("id")


@router.post("/{int:program_id}/risks", response={201: RiskOut})
def create_risk(request: HttpRequest, program_id: int, payload: RiskIn) -> tuple[int, Risk]:
    _editor(request)
    program = _program(request, program_id)
    data = payload.dict()
    data["owner"] = _ref(get_user_model(), data.pop("owner_id"), "owner_id")
    return 201, services.risk_create(actor=request.user, program=program, **data)


@router.patch("/risks/{int:risk_id}", response=RiskOut)
@conflict_on_stale
def update_risk(request: HttpRequest, risk_id: int, payload: RiskPatch) -> Risk:
    _editor(request)
    risk = _child(request, Risk, risk_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    if "owner_id" in data:
        data["owner"] = _ref(get_user_model(), data.pop("owner_id"), "owner_id")
    return services.risk_update(actor=request.user, risk=risk, data=data, expected_version=version)


@router.delete("/risks/{int:risk_id}", response={204: None})
def delete_risk(request: HttpRequest, risk_id: int) -> tuple[int, None]:
    _editor(request)
    services.risk_delete(actor=request.user, risk=_child(request, Risk, risk_id))
    return 204, None
