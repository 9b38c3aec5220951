"""/api/v1/partners/: organisations, the services they offer (for referrals), agreements."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from bakti.accounts.access import has

from . import selectors, services
from .schemas import AgreementOut, OrganisationIn, OrganisationOut, ServiceOut

router = Router(tags=["partners"])


@router.get("/organisations", response=list[OrganisationOut])
@paginate
def list_organisations(request: HttpRequest, q: str = "", org_type: str = "") -> Any:
    return selectors.organisation_list_for_user(request.user, {"q": q, "org_type": org_type})


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request: HttpRequest, organisation_id: int) -> Any:
    return selectors.organisation_get_for_user(request.user, organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Any:
    if not has(request.user, "partners.edit"):
        raise PermissionDenied("You may not do this.")
    data = payload.dict()
    data["region_id"] = data.pop("region_code") or None
    return Status(201, services.organisation_create(actor=request.user, **data))


@router.get("/services", response=list[ServiceOut], summary="Services partners offer")
@paginate
def list_services(request: HttpRequest, q: str = "") -> Any:
    return selectors.service_list_for_user(request.user, {"q": q})


@router.get("/agreements", response=list[AgreementOut])
@paginate
def list_agreements(request: HttpRequest, status: str = "", expiring: int | None = None) -> Any:
    return selectors.agreement_list_for_user(request.user, {"status": status, "expiring": expiring})


@router.get("/agreements/{agreement_id}", response=AgreementOut)
def get_agreement(request: HttpRequest, agreement_id: int) -> Any:
    return selectors.agreement_get_for_user(request.user, agreement_id)
