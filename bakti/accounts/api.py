from django.http import HttpRequest
from ninja import Router

from .access import memberships, visible_modules
from .schemas import MembershipOut, MeOut

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="Who am I, with my roles and modules")
def me(request: HttpRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        full_name=user.full_name,  # type: ignore[union-attr]
        email=user.email,  # type: ignore[union-attr]
        preferred_language=user.preferred_language,  # type: ignore[union-attr]
        memberships=[
            MembershipOut(
                role=m.role,
                role_label=str(m.get_role_display()),
                org_unit=m.org_unit.name,
                org_unit_id=m.org_unit_id,
                region_code=m.region_id,
                region_name=m.region.name if m.region else None,
            )
            for m in memberships(user)
        ],
        modules=sorted(visible_modules(user)),
    )
