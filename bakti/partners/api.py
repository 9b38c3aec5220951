"""/api/v1/partners/: organisations, the services they offer (for referrals), agreements."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from bakti.accounts.access import has

from . import selectors, services
from .schemas import AgreementOut, OrganisationIn, OrganisationOut, ServiceOut

router = Router(tags=["partners"])


def _need(request: HttpRequest, capability: str) -> None:
    """A user whose role lacks ``capability`` gets 403 (the pages' answer); a record outside
    their scope still answers 404 from the selector."""
    if not has(request.user, capability):
        raise PermissionDenied(_("You may not do this."))


def _reader(request: HttpRequest, *capabilities: str) -> None:
    """Reading partner records: a role with one of ``capabilities``, or a partner user linked to
    an organisation (the selectors then show that organisation only). Anyone else: 403."""
    user = request.user
    if any(has(user, capability) for capability in capabilities):
        return
    if selectors.organisation_of_user(user) is None:
        raise PermissionDenied(_("You may not do this."))


@router.get("/organisations", response=list[OrganisationOut])
@paginate
def list_organisations(request: HttpRequest, q: str = "", org_type: str = "") -> Any:
    _reader(request, "partners.view")
    return selectors.organisation_list_for_user(request.user, {"q": q, "org_type": org_type})


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> Any:
    _reader(request, "partners.view")
    return selectors.organisation_get_for_user(request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    _need(request, "partners.edit")
    data = payload.dict()
    data["region_id"] = data.pop("region_code") or None
    return Status(201, services.organisation_create(actor=request.user, **data))


@router.get("/services", response=list[ServiceOut], summary="Services partners offer")
@paginate
def list_services(request: HttpRequest, q: str = "") -> Any:
    _reader(request, "partners.view", "cases.view")
    return selectors.service_list_for_user(request.user, {"q": q})


@router.get("/agreements", response=list[AgreementOut])
@paginate
def list_agreements(
    request: HttpRequest,
    status: str = "",
    expiring: int | None = Query(None, ge=0, le=3650, description="Ending within this many days."),
) -> Any:
    _reader(request, "partners.view")
    return selectors.agreement_list_for_user(request.user, {"status": status, "expiring": expiring})


@router.get("/agreements/{agreement_id}", response=AgreementOut)
def get_agreement(request: HttpRequest, agreement_id: int) -> Any:
    _reader(request, "partners.view")
    return selectors.agreement_get_for_user(request.user, agreement_id)
