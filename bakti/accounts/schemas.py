from ninja import Schema


class MembershipOut(Schema):
    role: str
    role_label: str
    org_unit: str
    org_unit_id: int
    region_code: str | None
    region_name: str | None


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    preferred_language: str
    memberships: list[MembershipOut]
    modules: list[str]
