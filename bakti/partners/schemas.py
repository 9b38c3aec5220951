import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    org_type: str
    legal_number: str
    tax_number: str
    region_code: str | None
    phone: str
    email: str
    is_active: bool

    @staticmethod
    def resolve_region_code(obj: Any) -> str | None:
        return obj.region_id


class OrganisationIn(Schema):
    name: str
    short_name: str = ""
    org_type: str
    legal_number: str = ""
    tax_number: str = ""
    address: str = ""
    region_code: str | None = None
    phone: str = ""
    email: str = ""


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    organisation_id: int
    organisation: str

    @staticmethod
    def resolve_organisation(obj: Any) -> str:
        return obj.organisation.name


class AgreementOut(Schema):
    id: int
    organisation_id: int
    kind: str
    number: str
    title: str
    start_date: dt.date
    end_date: dt.date
    value: Decimal
    currency: str
    status: str
    owner: str

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.username
