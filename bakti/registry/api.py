"""The registry API at /api/v1/registry/: households, persons, consents and enrolments.

The same selectors decide what a caller sees (404 outside their scope) and the same services
what they may change (403) and whether it is valid (422). NIK and KK are masked in every
answer; ``POST …/reveal`` returns the full value and writes the access log.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from bakti.accounts.access import has, scope_for
from bakti.privacy.audit import StaleEdit
from bakti.programs.models import PPKSCategory, Program

from . import selectors, services, targeting
from .models import Consent, Enrolment, Household, Person, mask_id
from .schemas import (
    ConsentIn,
    ConsentOut,
    EnrolmentActionIn,
    EnrolmentIn,
    EnrolmentOut,
    HouseholdDetailOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    MemberOut,
    PersonIn,
    PersonOut,
    PersonPatch,
    RevealOut,
    SimulationOut,
    WithdrawIn,
)

router = Router(tags=["registry"])


def conflict_on_stale(view: Callable[..., Any]) -> Callable[..., Any]:
    """A stale edit (someone saved since the client read ``version``) answers 409."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except StaleEdit as stale:
            raise HttpError(409, str(stale)) from stale

    return wrapped


def _need(request: HttpRequest, capability: str) -> None:
    if not has(request.user, capability):
        raise PermissionDenied(_("Your role does not allow this."))


def _in(request: HttpRequest, capability: str, region_code: str) -> None:
    if not scope_for(request.user, capability).contains_region(region_code):
        raise PermissionDenied(_("This record is outside your area."))


# --- Output builders --------------------------------------------------------------------------


def _household_out(h: Household) -> dict[str, Any]:
    return {
        "id": h.pk,
        "no_kk_masked": mask_id(h.no_kk),
        "region_code": h.region_id,
        "region_name": h.region.name,
        "address": h.address,
        "head_id": h.head_id,
        "head_name": h.head.full_name if h.head else None,
        "member_count": getattr(h, "member_count", None),
        "desil": h.desil,
        "status": h.status,
        "version": h.version,
    }


def _person_out(p: Person, *, sensitive: bool) -> dict[str, Any]:
    return {
        "id": p.pk,
        "nik_masked": mask_id(p.nik),
        "full_name": p.full_name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "household_id": p.household_id,
        "region_code": p.region_id,
        "relationship": p.relationship,
        "deceased": p.deceased,
        "nik_flags": p.nik_flags,
        "has_disability": p.has_disability if sensitive else None,
        "ppks": [c.code for c in p.ppks.all()] if sensitive else None,
        "version": p.version,
    }


def _member_out(p: Person, sensitive: bool) -> MemberOut:
    values = _person_out(p, sensitive=sensitive)
    return MemberOut(**{k: v for k, v in values.items() if k in MemberOut.model_fields})


def _enrolment_out(e: Enrolment) -> dict[str, Any]:
    return {
        "id": e.pk,
        "program_id": e.program_id,
        "program_code": e.program.code,
        "household_id": e.household_id,
        "person_id": e.person_id,
        "region_code": e.region_id,
        "status": e.status,
        "enrolled_on": e.enrolled_on,
        "suspended_on": e.suspended_on,
        "exited_on": e.exited_on,
        "status_reason": e.status_reason,
        "version": e.version,
    }


# --- Households -------------------------------------------------------------------------------


class RegistryQuery(Schema):
    q: str | None = None
    region: str | None = None
    desil_max: int | None = None
    program_id: int | None = None
    ppks: str | None = None


def _filters(query: RegistryQuery) -> selectors.RegistryFilters:
    return selectors.RegistryFilters(
        q=query.q or "",
        region=query.region or "",
        desil_max=query.desil_max,
        program=Program.objects.filter(pk=query.program_id).first() if query.program_id else None,
        ppks=PPKSCategory.objects.filter(code=query.ppks).first() if query.ppks else None,
    )


@router.get("/households", response=list[HouseholdOut], summary="Households in your scope")
@paginate
def household_list(request: HttpRequest, filters: Query[RegistryQuery]) -> Any:
    _need(request, "registry.view")
    rows = selectors.household_list_for_user(request.user, _filters(filters)).order_by("pk")
    return _Mapped(rows, _household_out)


class _Mapped:
    """A queryset whose items are turned into dicts as ninja's paginator slices it (so only
    the page is read, never the whole list)."""

    def __init__(self, queryset: Any, fn: Callable[[Any], Any]):
        self.queryset, self.fn = queryset, fn

    def __len__(self) -> int:
        return self.queryset.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, item: Any) -> Any:
        rows = self.queryset[item]
        if isinstance(item, slice):
            return [self.fn(row) for row in rows]
        return self.fn(rows)

    def __iter__(self) -> Any:
        return (self.fn(row) for row in self.queryset)


@router.get("/households/{pk}", response=HouseholdDetailOut, summary="One household")
def household_get(request: HttpRequest, pk: int) -> Any:
    _need(request, "registry.view")
    household = selectors.household_get_for_user(request.user, pk)
    sensitive = selectors.sees_sensitive(request.user, household.region_id)
    members = selectors.household_members_for_user(request.user, household)
    return {
        **_household_out(household),
        "members": [_member_out(p, sensitive) for p in members],
        "hidden_members": selectors.hidden_member_count(request.user, household),
    }


@router.post("/households", response={201: HouseholdOut}, summary="Register a household")
def household_create(request: HttpRequest, payload: HouseholdIn) -> Any:
    _need(request, "registry.edit")
    data = payload.dict()
    household = services.household_create(
        actor=request.user,
        no_kk=data.pop("no_kk"),
        region=data.pop("region_code"),
        **{k: v for k, v in data.items() if v is not None},
    )
    return 201, _household_out(household)


@router.patch("/households/{pk}", response=HouseholdOut, summary="Change a household")
@conflict_on_stale
def household_patch(request: HttpRequest, pk: int, payload: HouseholdPatch) -> Any:
    _need(request, "registry.edit")
    household = selectors.household_get_for_user(request.user, pk)
    _in(request, "registry.edit", household.region_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    household = services.household_update(
        actor=request.user, household=household, data=data, expected_version=version
    )
    return _household_out(household)


@router.post("/households/{pk}/reveal", response=RevealOut, summary="The full KK (logged)")
def household_reveal(request: HttpRequest, pk: int) -> Any:
    _need(request, "registry.reveal_id")
    household = selectors.household_for_reveal(request.user, pk)
    return {"value": services.household_reveal_kk(actor=request.user, household=household)}


# --- Persons ----------------------------------------------------------------------------------


@router.get("/persons", response=list[PersonOut], summary="People in your scope")
@paginate
def person_list(request: HttpRequest, filters: Query[RegistryQuery]) -> Any:
    _need(request, "registry.view")
    rows = (
        selectors.person_list_for_user(request.user, _filters(filters))
        .prefetch_related("ppks")
        .order_by("pk")
    )
    sensitive = selectors.sensitive_scope(request.user)
    return _Mapped(rows, lambda p: _person_out(p, sensitive=sensitive.contains_region(p.region_id)))


@router.get("/persons/{pk}", response=PersonOut, summary="One person")
def person_get(request: HttpRequest, pk: int) -> Any:
    _need(request, "registry.view")
    person = selectors.person_get_for_user(request.user, pk)
    return _person_out(person, sensitive=selectors.sees_sensitive(request.user, person.region_id))


@router.post("/persons", response={201: PersonOut}, summary="Register a person in a household")
def person_create(request: HttpRequest, payload: PersonIn) -> Any:
    _need(request, "registry.edit")
    data = payload.dict()
    household = selectors.household_get_for_user(request.user, data.pop("household_id"))
    person = services.person_create(
        actor=request.user,
        household=household,
        **{k: v for k, v in data.items() if v not in (None, "")},
    )
    return 201, _person_out(
        person, sensitive=selectors.sees_sensitive(request.user, person.region_id)
    )


@router.patch("/persons/{pk}", response=PersonOut, summary="Change a person")
@conflict_on_stale
def person_patch(request: HttpRequest, pk: int, payload: PersonPatch) -> Any:
    _need(request, "registry.edit")
    person = selectors.person_get_for_user(request.user, pk)
    _in(request, "registry.edit", person.region_id)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    person = services.person_update(
        actor=request.user, person=person, data=data, expected_version=version
    )
    return _person_out(person, sensitive=selectors.sees_sensitive(request.user, person.region_id))


@router.post("/persons/{pk}/reveal", response=RevealOut, summary="The full NIK (logged)")
def person_reveal(request: HttpRequest, pk: int) -> Any:
    _need(request, "registry.reveal_id")
    person = selectors.person_for_reveal(request.user, pk)
    return {"value": services.person_reveal_nik(actor=request.user, person=person)}


# --- Consents ---------------------------------------------------------------------------------


class ConsentQuery(Schema):
    person_id: int | None = None


@router.get("/consents", response=list[ConsentOut], summary="Consents in your scope")
@paginate
def consent_list(request: HttpRequest, filters: Query[ConsentQuery]) -> Any:
    _need(request, "registry.view")
    rows = selectors.consent_list_for_user(request.user)
    if filters.person_id:
        rows = rows.filter(person_id=filters.person_id)
    return rows.order_by("pk")


@router.post("/consents", response={201: ConsentOut}, summary="Record consent or legal basis")
def consent_create(request: HttpRequest, payload: ConsentIn) -> Any:
    _need(request, "registry.edit")
    data = payload.dict()
    person = selectors.person_get_for_user(request.user, data.pop("person_id"))
    program_id = data.pop("program_id")
    program = None
    if program_id:
        program = Program.objects.filter(pk=program_id).first()
        if program is None:
            raise ValidationError({"program_id": _("No program with this id.")})
    consent = services.consent_give(actor=request.user, person=person, program=program, **data)
    return 201, consent


@router.post("/consents/{pk}/withdraw", response=ConsentOut, summary="Withdraw consent")
def consent_withdraw(request: HttpRequest, pk: int, payload: WithdrawIn) -> Any:
    _need(request, "registry.edit")
    consent: Consent = selectors.consent_get_for_user(request.user, pk)
    return services.consent_withdraw(actor=request.user, consent=consent, **payload.dict())


# --- Enrolments -------------------------------------------------------------------------------


class EnrolmentQuery(Schema):
    program_id: int | None = None
    status: str | None = None
    region: str | None = None


@router.get("/enrolments", response=list[EnrolmentOut], summary="Enrolments in your scope")
@paginate
def enrolment_list(request: HttpRequest, filters: Query[EnrolmentQuery]) -> Any:
    _need(request, "registry.view")
    rows = selectors.enrolment_list_for_user(
        request.user,
        selectors.EnrolmentFilters(
            program=Program.objects.filter(pk=filters.program_id).first()
            if filters.program_id
            else None,
            status=filters.status or "",
            region=filters.region or "",
        ),
    ).order_by("pk")
    return _Mapped(rows, _enrolment_out)


@router.post("/enrolments", response={201: EnrolmentOut}, summary="Propose an enrolment")
def enrolment_create(request: HttpRequest, payload: EnrolmentIn) -> Any:
    _need(request, "registry.edit")
    household = selectors.household_get_for_user(request.user, payload.household_id)
    person = (
        selectors.person_get_for_user(request.user, payload.person_id)
        if payload.person_id
        else None
    )
    program = Program.objects.filter(pk=payload.program_id).first()
    if program is None:
        raise ValidationError({"program_id": _("No program with this id.")})
    enrolment = services.enrolment_propose(
        actor=request.user,
        program=program,
        household=household,
        person=person,
        reason=payload.reason,
    )
    return 201, _enrolment_out(enrolment)


@router.post(
    "/enrolments/{pk}/{action}",
    response=EnrolmentOut,
    summary="approve, reject, suspend, resume or exit an enrolment",
)
@conflict_on_stale
def enrolment_action(request: HttpRequest, pk: int, action: str, payload: EnrolmentActionIn) -> Any:
    _need(request, "registry.view")
    enrolment = selectors.enrolment_get_for_user(request.user, pk)
    common = {
        "actor": request.user,
        "enrolment": enrolment,
        "expected_version": payload.version,
    }
    if action == "approve":
        enrolment = services.enrolment_approve(
            enrolled_on=payload.on, reason=payload.reason, **common
        )
    elif action == "reject":
        enrolment = services.enrolment_reject(reason=payload.reason, **common)
    elif action in {"suspend", "resume", "exit"}:
        _in(request, "registry.edit", enrolment.region_id)
        if action == "resume":
            enrolment = services.enrolment_resume(reason=payload.reason, **common)
        elif payload.on is None:
            raise ValidationError({"on": _("Give the date.")})
        elif action == "suspend":
            enrolment = services.enrolment_suspend(on=payload.on, reason=payload.reason, **common)
        else:
            enrolment = services.enrolment_exit(on=payload.on, reason=payload.reason, **common)
    else:
        raise Http404
    enrolment.refresh_from_db()
    return _enrolment_out(enrolment)


# --- Targeting --------------------------------------------------------------------------------


@router.get(
    "/targeting/{pk}/simulation",
    response=SimulationOut,
    summary="Who a targeting scheme would take, and the cost",
)
def targeting_simulation(request: HttpRequest, pk: int) -> Any:
    _need(request, "registry.target")
    scheme = selectors.targeting_scheme_get_for_user(request.user, pk)
    return targeting.simulate(scheme)
