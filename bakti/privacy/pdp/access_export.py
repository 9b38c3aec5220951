"""Everything Bakti holds about one person, for an access request (UU PDP: access and copy).

The tables are found from the models, not listed by hand: every model with a foreign key to
the person or their household is included, so a table added later is exported without a change
here (a test checks it). Case records are given as a summary: their free-text fields (the
caseworker's assessment, notes, referral needs) may hold other people's data and are released
only after a review by the caseworker's supervisor."""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bakti.cases.models import Case, Referral
from bakti.privacy.audit import to_json
from bakti.privacy.models import AccessLog, AuditEvent
from bakti.registry.models import Household, Person

from .models import Breach, DataSubjectRequest, ProcessingLimit

# Free text withheld from the summary of case records (see the module docstring).
WITHHELD = {
    "cases.case": {"summary", "assessment", "closure_note"},
    "cases.referral": {"need", "outcome", "rejection_reason", "consent_override_reason"},
}
# Links that make up the person and household themselves, not related records.
SKIP_LINKS = {("registry.person", "household"), ("registry.household", "head")}


def related_links() -> list[tuple[type[models.Model], str]]:
    """(model, field) for every foreign key to a person or a household, in a stable order."""
    links = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.is_relation and field.many_to_one and field.concrete):
                continue
            if field.related_model not in (Person, Household):
                continue
            if (model._meta.label_lower, field.name) in SKIP_LINKS:
                continue
            links.append((model, field.name))
    return sorted(links, key=lambda link: (link[0]._meta.label_lower, link[1]))


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        return {"id": to_json(related_id), "label": str(getattr(obj, field.name))}
    return to_json(getattr(obj, field.attname))


def row_of(obj: models.Model) -> dict[str, Any]:
    withheld = WITHHELD.get(obj._meta.label_lower, set())
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in withheld or not field.name or field.name.endswith("_alerted_at"):
            continue
        row[field.name] = _value(obj, field)
    for field in obj._meta.many_to_many:
        if obj._meta.label_lower in WITHHELD:
            continue
        row[field.name] = [str(o) for o in getattr(obj, field.name).all()]
    return row


def _rows(queryset: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [row_of(obj) for obj in queryset]


def person_data_export(person: Person) -> dict[str, Any]:
    """The export as a JSON-ready dict: ``person``, ``household``, ``records`` (one list per
    table, keyed ``app.model``), ``audit_events`` and ``access_log`` about those records."""
    household = person.household
    records: dict[str, list[dict[str, Any]]] = {}
    touched: dict[str, set[str]] = {"registry.person": {str(person.pk)}}
    if household is not None:
        touched["registry.household"] = {str(household.pk)}
    for model, field_name in related_links():
        condition = Q(**{field_name: person})
        if household is not None and model._meta.get_field(field_name).related_model is Household:
            condition = Q(**{field_name: household})
        elif model._meta.get_field(field_name).related_model is Household:
            continue
        label = model._meta.label_lower
        rows = list(model._default_manager.filter(condition))
        records.setdefault(label, [])
        known = {row["id"] for row in records[label] if "id" in row}
        for obj in rows:
            if obj.pk not in known:
                records[label].append(row_of(obj))
                touched.setdefault(label, set()).add(str(obj.pk))
    # Objects reached through a case or through a limit or breach of this person.
    cases = Case.objects.filter(person=person)
    records["cases.referral"] = _rows(Referral.objects.filter(case__in=cases))
    records["pdp.processinglimit"] = _rows(ProcessingLimit.objects.filter(person=person))
    records["pdp.datasubjectrequest"] = _rows(DataSubjectRequest.objects.filter(person=person))
    records["pdp.breach"] = [
        {"id": b.pk, "title": b.title, "discovered_at": to_json(b.discovered_at)}
        for b in Breach.objects.filter(persons=person)
    ]
    for label in ("cases.referral", "pdp.processinglimit", "pdp.datasubjectrequest"):
        touched.setdefault(label, set()).update(str(row["id"]) for row in records[label])
    about = Q(pk__in=[])
    for label, ids in touched.items():
        about |= Q(object_type=label, object_id__in=sorted(ids))
    events = AuditEvent.objects.filter(about).select_related("actor").order_by("at", "id")
    accesses = AccessLog.objects.filter(about).select_related("actor").order_by("at", "id")
    return {
        "generated_at": to_json(timezone.now()),
        "person": row_of(person),
        "household": row_of(household) if household is not None else None,
        "records": records,
        "audit_events": [
            {
                "at": to_json(e.at),
                "by": e.actor.get_full_name() or e.actor.username if e.actor else None,
                "action": e.get_action_display(),
                "object": f"{e.object_type}#{e.object_id}",
                "changes": e.changes,
                "reason": e.reason,
            }
            for e in events
        ],
        "access_log": [
            {
                "at": to_json(a.at),
                "by": a.actor.get_full_name() or a.actor.username,
                "object": f"{a.object_type}#{a.object_id}",
                "what": a.what,
                "reason": a.reason,
            }
            for a in accesses
        ],
    }
