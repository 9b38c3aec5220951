"""Writing to the audit trail and the access log.

Every service that writes calls one of these. ``audited_create`` and ``audited_update`` do the
common part of a service (validate, save only what changed, record old → new, bump the version
that guards against lost updates); services with more to do call :func:`record` themselves.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from .models import AccessLog, AuditAction, AuditEvent

M = TypeVar("M", bound=models.Model)

# Set per request by AuditContextMiddleware; tasks and commands leave it empty.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""

    def __init__(self, current: models.Model, differing: dict[str, list[Any]]):
        # ``differing`` maps each submitted field whose saved value is now different to
        # ``[saved value, submitted value]``, so a form can show both.
        self.current = current
        self.differing = differing
        super().__init__(_("This record was changed by someone else while you were editing it."))


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk if isinstance(value.pk, int) else str(value.pk)
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    return str(value)


def _repr(obj: models.Model) -> str:
    return str(obj)[:200]


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record one write. ``actor`` is a user or None for the system (jobs, migrations)."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=_repr(obj),
        changes=to_json(dict(changes or {})),
        reason=reason,
        ip_address=current_ip.get(),
    )


def record_bulk(
    *,
    actor: Any,
    object_type: str,
    summary: Mapping[str, Any],
    action: str = AuditAction.IMPORT,
    reason: str = "",
) -> AuditEvent:
    """Record a write to many rows at once (a file load, an import batch) as one event."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        object_id="*",
        object_repr="",
        changes=to_json(dict(summary)),
        reason=reason,
        ip_address=current_ip.get(),
    )


def record_access(*, actor: Any, obj: models.Model, what: str, reason: str = "") -> AccessLog:
    """Record that ``actor`` was shown ``what`` (e.g. "NIK", "full record") of ``obj``."""
    return AccessLog.objects.create(
        actor=actor,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=_repr(obj),
        what=what,
        reason=reason,
        ip_address=current_ip.get(),
    )


def _field_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    values = {}
    for name in names:
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        values[name] = getattr(instance, attname)
    return values


def _concrete_names(instance: models.Model) -> list[str]:
    skip = {"id", "created_at", "updated_at", "version"}
    return [
        f.name for f in instance._meta.concrete_fields if f.name not in skip and not f.primary_key
    ]


@transaction.atomic
def audited_create(
    instance: M,
    *,
    actor: Any,
    reason: str = "",
    exclude_from_log: Iterable[str] = (),
) -> M:
    """Validate and insert ``instance`` and record its initial values."""
    instance.full_clean()
    instance.save(force_insert=True)
    hidden = set(exclude_from_log)
    values = {
        name: ([None, "***"] if name in hidden else [None, value])
        for name, value in _field_values(instance, _concrete_names(instance)).items()
        if value not in (None, "")
    }
    record(actor=actor, action=AuditAction.CREATE, obj=instance, changes=values, reason=reason)
    return instance


@transaction.atomic
def audited_update(
    instance: M,
    *,
    actor: Any,
    data: Mapping[str, Any],
    reason: str = "",
    expected_version: int | None = None,
    action: str = AuditAction.UPDATE,
    exclude_from_log: Iterable[str] = (),
) -> tuple[M, dict[str, list[Any]]]:
    """Set ``data`` on ``instance``, validate, save only the changed fields and record them.

    When the model has a ``version`` field, it is bumped; with ``expected_version`` the save is
    refused (:class:`StaleEdit`) if someone saved the record since that version was read.
    Returns the instance and the changes (``{field: [old, new]}``; empty when nothing changed).
    """
    model = instance._meta.model  # not type(): request.user is a lazy proxy
    has_version = any(f.name == "version" for f in model._meta.concrete_fields)
    if has_version and expected_version is not None:
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:
            now = _field_values(current, data.keys())
            differing = {
                name: [to_json(now[name]), to_json(value)]
                for name, value in data.items()
                if now[name] != (value.pk if isinstance(value, models.Model) else value)
            }
            raise StaleEdit(current, differing)
    before = _field_values(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value)
    after = _field_values(instance, data.keys())
    changes = {name: [before[name], after[name]] for name in data if before[name] != after[name]}
    if not changes:
        return instance, {}
    instance.full_clean()
    fields = list(changes)
    if has_version:
        instance.version = F("version") + 1  # type: ignore[attr-defined]
        fields.append("version")
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        fields.append("updated_at")
    instance.save(update_fields=fields)
    if has_version:
        instance.refresh_from_db(fields=["version"])
    hidden = set(exclude_from_log)
    logged = {k: (["***", "***"] if k in hidden else v) for k, v in changes.items()}
    record(actor=actor, action=action, obj=instance, changes=logged, reason=reason)
    return instance, changes


@transaction.atomic
def audited_delete(instance: models.Model, *, actor: Any, reason: str = "") -> None:
    values = _field_values(instance, _concrete_names(instance))
    record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=instance,
        changes={k: [v, None] for k, v in values.items() if v not in (None, "")},
        reason=reason,
    )
    instance.delete()
