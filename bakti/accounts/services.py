"""Writes for accounts: users, org units, memberships and API tokens. Every one is audited."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from bakti.privacy.audit import audited_create, audited_update, record
from bakti.privacy.models import AuditAction

from .models import ApiToken, Membership, OrgUnit, User, hash_token
from .roles import Role

ADMIN_GROUP = "Bakti administrators"
ADMIN_MODELS = {
    "accounts": ["user", "orgunit", "membership"],
    "regions": ["region", "regionpopulation"],
}


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    full_name: str = "",
    email: str = "",
    phone: str = "",
    preferred_language: str = "id",
) -> User:
    """Create a user; with ``password=None`` the account cannot log in until a reset."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        preferred_language=preferred_language,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    return audited_create(user, actor=actor, exclude_from_log=["password"])


def user_update_profile(
    *, actor: User, user: User, full_name: str, email: str, phone: str, preferred_language: str
) -> User:
    user, _changes = audited_update(
        user,
        actor=actor,
        data={
            "full_name": full_name,
            "email": email,
            "phone": phone,
            "preferred_language": preferred_language,
        },
    )
    return user


def _path_for(unit: OrgUnit) -> str:
    prefix = unit.parent.path if unit.parent_id and unit.parent else "/"
    return f"{prefix}{unit.pk}/"


@transaction.atomic
def org_unit_create(
    *,
    actor: User | None,
    name: str,
    code: str,
    kind: str,
    parent: OrgUnit | None = None,
    region_code: str | None = None,
) -> OrgUnit:
    unit = OrgUnit(name=name, code=code, kind=kind, parent=parent, region_id=region_code)
    unit.path = "/pending/"
    unit = audited_create(unit, actor=actor)
    unit.path = _path_for(unit)
    unit.save(update_fields=["path"])
    return unit


@transaction.atomic
def org_unit_update(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    code: str,
    kind: str,
    parent: OrgUnit | None,
    region_code: str | None,
    is_active: bool = True,
) -> OrgUnit:
    """Update a unit; moving it under another parent moves its whole subtree."""
    if parent is not None and parent.path.startswith(unit.path):
        raise ValidationError(
            {"parent": _("A unit cannot be moved under itself or one of its own sub-units.")}
        )
    old_path = unit.path
    unit, _changes = audited_update(
        unit,
        actor=actor,
        data={
            "name": name,
            "code": code,
            "kind": kind,
            "parent": parent,
            "region_id": region_code,
            "is_active": is_active,
        },
    )
    new_path = _path_for(unit)
    if new_path != old_path:
        for descendant in OrgUnit.objects.filter(path__startswith=old_path):
            descendant.path = new_path + descendant.path[len(old_path) :]
            descendant.save(update_fields=["path"])
    return unit


def _administrators_group() -> Group:
    group, created = Group.objects.get_or_create(name=ADMIN_GROUP)
    if created:
        perms = Permission.objects.filter(
            content_type__app_label__in=list(ADMIN_MODELS),
        )
        group.permissions.set(
            [
                p
                for p in perms
                if p.content_type.model in ADMIN_MODELS[p.content_type.app_label]
                and not p.codename.startswith("delete_")
            ]
        )
    return group


@transaction.atomic
def membership_grant(
    *,
    actor: User | None,
    user: User,
    role: str,
    org_unit: OrgUnit,
    region_code: str | None = None,
    valid_until: date | None = None,
) -> Membership:
    """Give ``user`` a role in ``org_unit`` (and, optionally, only within a region)."""
    membership = audited_create(
        Membership(
            user=user,
            role=role,
            org_unit=org_unit,
            region_id=region_code,
            valid_until=valid_until,
        ),
        actor=actor,
    )
    if role == Role.ADMIN and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(_administrators_group())
        record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"is_staff": [0, 1]})
    return membership


@transaction.atomic
def membership_revoke(*, actor: User | None, membership: Membership, reason: str = "") -> None:
    record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=membership,
        changes={"role": [membership.role, None], "org_unit": [membership.org_unit_id, None]},
        reason=reason,
    )
    user = membership.user
    membership.delete()
    if not user.memberships.filter(role=Role.ADMIN).exists() and user.is_staff:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
        user.groups.remove(*Group.objects.filter(name=ADMIN_GROUP))


TOKEN_PREFIX = "bkt_"  # noqa: S105 - a marker, not a secret


@transaction.atomic
def api_token_create(*, actor: User, name: str, expires_at: Any = None) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; returns it with the raw key, which is never stored."""
    if not name.strip():
        raise ValidationError({"name": _("Give the token a name, e.g. the program that uses it.")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip(),
        prefix=raw[:10],
        key_hash=hash_token(raw),
        expires_at=expires_at,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=token, changes={"name": [None, token.name]})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, action=AuditAction.UPDATE, obj=token, changes={"revoked": [0, 1]})
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw token, or None. Marks the token as used."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def two_factor_pending_device(*, actor: User) -> TOTPDevice:
    """The authenticator device ``actor`` is setting up (made on first use, not yet on)."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=actor, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


@transaction.atomic
def two_factor_confirm(*, actor: User, device: TOTPDevice, token: str) -> bool:
    """Turn on two-factor login with ``device`` when ``token`` is the code it shows now."""
    if device.user_id != actor.pk or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor=actor, action=AuditAction.UPDATE, obj=actor, changes={"2fa": [0, 1]})
    return True


@transaction.atomic
def two_factor_disable(*, actor: User, user: User) -> None:
    """Remove every authenticator device of ``user``."""
    TOTPDevice.objects.filter(user=user).delete()
    record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"2fa": [1, 0]})
