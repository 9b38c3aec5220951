"""Writing the registry in the default import layout, so that the file imports back unchanged.

One row per person in a household, the household's columns repeated, a household's rows
together (head first). Text cells that a spreadsheet would run as a formula are neutralised
(``bakti.core.spreadsheet_safety``); the importer removes that quote again.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.core.scoping import region_q
from bakti.core.spreadsheet_safety import neutralise
from bakti.privacy.audit import record_bulk
from bakti.privacy.models import AuditAction
from bakti.registry.models import Person, Relationship
from bakti.registry.selectors import in_scope

from .layouts import BAKTI_COLUMNS

HOUSEHOLD_COLUMNS = {"no_kk", "region_code", "address", "rt", "rw", "desil"}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


def _row(person: Person) -> list[Any]:
    household = person.household
    values: dict[str, Any] = {}
    for column in BAKTI_COLUMNS:
        if column == "region_code":
            values[column] = household.region_id  # type: ignore[union-attr]
        elif column == "sex":
            values[column] = "L" if person.sex == "M" else "P"
        elif column in HOUSEHOLD_COLUMNS:
            values[column] = getattr(household, column)
        else:
            values[column] = getattr(person, column)
    return [_cell(values[c]) for c in BAKTI_COLUMNS]


def registry_export(out: IO[str], *, actor: Any = None, region: str | None = None) -> int:
    """Write every person in a household (within ``region``, and within ``actor``'s view scope
    when an actor is given) to ``out`` as CSV; return the number of rows. Recorded in the audit
    trail as one event."""
    people = Person.objects.filter(household__isnull=False)
    if actor is not None:
        people = people.filter(in_scope(scope_for(actor, "registry.view"), "region_id"))
    if region:
        people = people.filter(region_q("region_id", region))
    people = (
        people.select_related("household")
        .annotate(
            head_first=Case(
                When(relationship=Relationship.HEAD, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("household__no_kk", "head_first", "id")
    )
    writer = csv.writer(out)
    writer.writerow(BAKTI_COLUMNS)
    count = 0
    for person in people.iterator(chunk_size=2000):
        writer.writerow(_row(person))
        count += 1
    record_bulk(
        actor=actor,
        object_type="registry.person",
        action=AuditAction.OTHER,
        summary={"export": "registry", "rows": count, "region": region or ""},
        reason=_("Registry export"),
    )
    return count
