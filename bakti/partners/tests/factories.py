import datetime as dt
from typing import Any

from bakti.partners import services
from bakti.partners.models import AgreementKind, AgreementStatus, OrganisationType


def organisation(actor: Any, name: str = "LKS Bina Sejahtera", **extra: Any):
    return services.organisation_create(
        actor=actor, name=name, org_type=extra.pop("org_type", OrganisationType.LKS), **extra
    )


def agreement(actor: Any, org: Any, owner: Any, end: dt.date, **extra: Any):
    return services.agreement_create(
        actor=actor,
        organisation=org,
        kind=AgreementKind.PKS,
        title=extra.pop("title", "PKS pendampingan lansia"),
        start_date=extra.pop("start", end - dt.timedelta(days=365)),
        end_date=end,
        status=extra.pop("status", AgreementStatus.ACTIVE),
        owner=owner,
        **extra,
    )
