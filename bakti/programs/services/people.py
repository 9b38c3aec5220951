"""The risk register and the team: kept up while the program runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bakti.privacy.audit import audited_create, audited_delete, audited_update

from ..models import Program, Risk, TeamMember
from .common import check_can_edit

RISK_FIELDS = (
    "description",
    "category",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "status",
    "review_date",
)


@transaction.atomic
def risk_create(*, actor: Any, program: Program, description: str, **fields: Any) -> Risk:
    check_can_edit(actor, program, structure=False)
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise TypeError(f"Unknown risk fields: {sorted(unknown)}")
    return audited_create(
        Risk(program=program, description=description.strip(), **fields), actor=actor
    )


@transaction.atomic
def risk_update(
    *, actor: Any, risk: Risk, data: Mapping[str, Any], expected_version: int | None = None
) -> Risk:
    check_can_edit(actor, risk.program, structure=False)
    plain = {k: v for k, v in data.items() if k in RISK_FIELDS}
    risk, _changes = audited_update(
        risk, actor=actor, data=plain, expected_version=expected_version
    )
    return risk


@transaction.atomic
def risk_delete(*, actor: Any, risk: Risk) -> None:
    check_can_edit(actor, risk.program, structure=False)
    audited_delete(risk, actor=actor)


TEAM_FIELDS = ("role", "start_date", "end_date", "allocation_percent")


def _check_member(member: TeamMember) -> None:
    if member.start_date and member.end_date and member.end_date < member.start_date:
        raise ValidationError({"end_date": _("The end date must not be before the start date.")})
    if not member.user.is_active:
        raise ValidationError({"user": _("This account is not active.")})


@transaction.atomic
def team_member_add(
    *, actor: Any, program: Program, user: Any, role: str, **fields: Any
) -> TeamMember:
    check_can_edit(actor, program, structure=False)
    member = TeamMember(program=program, user=user, role=role.strip(), **fields)
    _check_member(member)
    return audited_create(member, actor=actor)


@transaction.atomic
def team_member_update(*, actor: Any, member: TeamMember, data: Mapping[str, Any]) -> TeamMember:
    check_can_edit(actor, member.program, structure=False)
    plain = {k: v for k, v in data.items() if k in TEAM_FIELDS}
    preview = TeamMember(
        **{f.attname: getattr(member, f.attname) for f in TeamMember._meta.concrete_fields}
    )
    for key, value in plain.items():
        setattr(preview, key, value)
    _check_member(preview)
    member, _changes = audited_update(member, actor=actor, data=plain)
    return member


@transaction.atomic
def team_member_remove(*, actor: Any, member: TeamMember) -> None:
    check_can_edit(actor, member.program, structure=False)
    audited_delete(member, actor=actor)
