"""Set-up for cases tests: case types, a partner organisation with a service, consent."""

from datetime import date

from bakti.cases import services
from bakti.cases.models import CaseType
from bakti.partners.models import Organisation, OrganisationService, OrganisationUser
from bakti.registry.models import Consent, ConsentPurpose


def case_type(*, plan_approval: bool = True, closure_approval: bool = True) -> CaseType:
    code = f"T{int(plan_approval)}{int(closure_approval)}"
    return CaseType.objects.get_or_create(
        code=code,
        defaults={
            "name": f"Type {code}",
            "plan_needs_approval": plan_approval,
            "closure_needs_approval": closure_approval,
        },
    )[0]


def open_case(world, *, worker=None, person=None, **kwargs):
    worker = worker or world.cast.field_worker_a
    return services.case_open(
        actor=worker,
        case_type=kwargs.pop("case_type", None) or case_type(),
        person=person or world.people_a[0],
        summary="Lansia tinggal sendiri tanpa pengasuh",
        **kwargs,
    )


def organisation(name: str = "LKS Sejahtera"):
    org = Organisation.objects.create(name=name, org_type="lks")
    service = OrganisationService.objects.create(organisation=org, name="Pendampingan psikososial")
    return org, service


def link_partner(user, org) -> None:
    OrganisationUser.objects.create(user=user, organisation=org)


def give_referral_consent(person) -> Consent:
    return Consent.objects.create(
        person=person, purpose=ConsentPurpose.DATA_SHARING, given_on=date(2026, 1, 2)
    )
