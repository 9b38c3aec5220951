"""Writes of deduplication: storing candidates, deciding them, merging two people and undoing.

A merge keeps one record and removes the other. Every row anywhere that points to the removed
person is moved to the kept one; the rows are found generically through
``Person._meta.related_objects``, so links added later by other apps (services delivered,
cases, attendance …) move too without this module knowing them. What was moved, and the removed
record itself, are kept on a :class:`PersonMerge` so the merge can be undone from the history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.privacy.audit import record, record_bulk, to_json
from bakti.privacy.models import AuditAction
from bakti.registry.models import (
    DuplicateCandidate,
    DuplicateStatus,
    HouseholdMembership,
    MembershipEnd,
    Person,
    PersonMerge,
)
from bakti.registry.services import reach_people_changed

from .matching import THRESHOLD
from .search import find_pairs

# Relations that are the merge's own bookkeeping, not links to move.
_OWN = (DuplicateCandidate, PersonMerge)
# Fields of the kept record filled from the removed one when the kept one has nothing there.
FILLABLE = (
    "nik",
    "birth_date",
    "birth_place",
    "relationship",
    "marital_status",
    "education",
    "occupation",
    "phone",
)
CREATE_BATCH = 500


def duplicate_search(
    *, actor: Any, kabupaten: Sequence[str] | None = None, threshold: float = THRESHOLD
) -> int:
    """Look for duplicate candidates (in the given kabupaten/kota codes, or everywhere) and
    store the new ones. Pairs already decided or already queued are left as they are. Returns
    how many new candidates were stored."""
    if kabupaten is not None and not kabupaten:
        return 0
    pairs = find_pairs(kabupaten=kabupaten, threshold=threshold)
    if not pairs:
        return 0
    existing: set[tuple[int, int]] = set()
    firsts = sorted({a for a, _b in pairs})
    for start in range(0, len(firsts), CREATE_BATCH):
        existing.update(
            DuplicateCandidate.objects.filter(
                person_a_id__in=firsts[start : start + CREATE_BATCH]
            ).values_list("person_a_id", "person_b_id")
        )
    new = [pair for pair in pairs if pair not in existing]
    regions = {}
    ids = [a for a, _b in new]
    for start in range(0, len(ids), CREATE_BATCH):
        regions.update(
            Person.objects.filter(pk__in=ids[start : start + CREATE_BATCH]).values_list(
                "id", "region_id"
            )
        )
    with transaction.atomic():
        DuplicateCandidate.objects.bulk_create(
            [
                DuplicateCandidate(
                    person_a_id=a,
                    person_b_id=b,
                    score=min(1.0, max(0.0, pairs[(a, b)].score)),
                    reasons=pairs[(a, b)].reasons,
                    region_id=regions[a],
                )
                for a, b in new
            ],
            batch_size=CREATE_BATCH,
            ignore_conflicts=True,
        )
        if new:
            record_bulk(
                actor=actor,
                object_type="registry.duplicatecandidate",
                action=AuditAction.CREATE,
                summary={"found": len(new), "kabupaten": list(kabupaten or [])},
                reason=_("Duplicate search"),
            )
    return len(new)


@transaction.atomic
def duplicate_mark_distinct(*, actor: Any, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Record that the two records are different people; the pair is not proposed again."""
    if candidate.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This pair has already been decided."))
    candidate.status = DuplicateStatus.DISTINCT
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=candidate,
        changes={"status": [DuplicateStatus.OPEN, DuplicateStatus.DISTINCT]},
    )
    return candidate


def _snapshot(person: Person) -> dict[str, Any]:
    fields = {f.attname: to_json(getattr(person, f.attname)) for f in Person._meta.concrete_fields}
    return {
        "fields": fields,
        "ppks": sorted(person.ppks.values_list("pk", flat=True)),
        "memberships": to_json(
            list(
                HouseholdMembership.objects.filter(person=person).values(
                    "id", "household_id", "relationship", "start_date", "end_date", "end_reason"
                )
            )
        ),
        "consents": to_json(
            list(person.consents.values("id", "purpose", "legal_basis", "given_on"))
        ),
        "candidates": [
            {
                "id": c.pk,
                "person_a_id": c.person_a_id,
                "person_b_id": c.person_b_id,
                "score": c.score,
                "reasons": c.reasons,
                "status": c.status,
                "region_id": c.region_id,
                "decided_by_id": c.decided_by_id,
                "decided_at": to_json(c.decided_at),
            }
            for c in DuplicateCandidate.objects.filter(
                models.Q(person_a=person) | models.Q(person_b=person)
            )
        ],
    }


def _links_to(person: Person) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every foreign key anywhere that points to a Person, hidden ones
    (``related_name="+"``) included, except this module's own records and the tables of
    Person's own many-to-many fields (PPKS), which are the person's data and handled apart.
    A many-to-many from another model to Person is moved through its table's foreign key."""
    own_tables = {f.remote_field.through for f in Person._meta.many_to_many}
    links = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not rel.auto_created or rel.concrete or rel.many_to_many:
            continue
        if rel.related_model in _OWN or rel.related_model in own_tables:
            continue
        if getattr(rel.related_model, "derived_data", False):
            continue  # rollups: written again from the moved records below
        links.append((rel.related_model, rel.field.name))
    return links


@transaction.atomic
def person_merge(
    *, actor: Any, candidate: DuplicateCandidate, keep: Person, reason: str = ""
) -> PersonMerge:
    """Merge the candidate pair into ``keep``: move every link of the other record to it, fill
    the kept record's empty fields from the other, and remove the other record."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != DuplicateStatus.OPEN:
        raise ValidationError(_("This pair has already been decided."))
    if keep.pk not in (candidate.person_a_id, candidate.person_b_id):
        raise ValidationError(_("The record to keep must be one of the pair."))
    removed_id = (
        candidate.person_b_id if keep.pk == candidate.person_a_id else candidate.person_a_id
    )
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    removed = Person.objects.select_for_update().get(pk=removed_id)
    snapshot = _snapshot(removed)
    snapshot["candidate_id"] = candidate.pk
    today = timezone.localdate()

    # Two open memberships cannot both belong to the kept person: end the removed one's.
    ended = []
    if HouseholdMembership.objects.filter(person=keep, end_date__isnull=True).exists():
        for membership in HouseholdMembership.objects.filter(person=removed, end_date__isnull=True):
            membership.end_date = max(today, membership.start_date)
            membership.end_reason = MembershipEnd.MERGED
            membership.save(update_fields=["end_date", "end_reason"])
            ended.append(membership.pk)
    snapshot["ended_memberships"] = ended

    moved: list[dict[str, Any]] = []
    for model, field_name in _links_to(removed):
        queryset = model._default_manager.filter(**{field_name: removed})
        pks = list(queryset.values_list("pk", flat=True))
        if not pks:
            continue
        try:
            with transaction.atomic():
                model._default_manager.filter(pk__in=pks).update(**{field_name: keep})
        except IntegrityError:
            raise ValidationError(
                _(
                    "These records cannot be merged: both have %(things)s that cannot be "
                    "combined (for example an open enrolment in the same program). Resolve "
                    "that first, then merge."
                )
                % {"things": model._meta.verbose_name_plural}
            ) from None
        moved.extend({"model": model._meta.label, "field": field_name, "pk": pk} for pk in pks)

    added_ppks = sorted(set(snapshot["ppks"]) - set(keep.ppks.values_list("pk", flat=True)))
    snapshot["added_ppks"] = added_ppks

    # The candidate rows of the removed record go with it (they point to it); the snapshot keeps
    # them, so undo can put them back, the merged pair open again for a new decision.
    removed_label = str(removed)
    reach_people_changed([keep.pk])  # ``removed`` leaves the counts as it is deleted
    removed.delete()

    filled = {}
    for name in FILLABLE:
        mine, theirs = getattr(keep, name), snapshot["fields"].get(name)
        if mine in (None, "") and theirs not in (None, ""):
            filled[name] = theirs
    snapshot["filled"] = sorted(filled)
    if filled:
        for name, value in filled.items():
            setattr(keep, name, keep._meta.get_field(name).to_python(value))
        keep.version = models.F("version") + 1
        keep.save(update_fields=[*filled, "version", "updated_at"])
        keep.refresh_from_db(fields=["version"])
    if added_ppks:
        keep.ppks.add(*added_ppks)
    if filled:
        reach_people_changed([keep.pk])

    merge = PersonMerge.objects.create(
        kept=keep, removed_snapshot=snapshot, moved_links=moved, merged_by=actor
    )
    record(
        actor=actor,
        action=AuditAction.MERGE,
        obj=keep,
        changes={
            "merged_from": [removed_id, None],
            "moved_links": [None, len(moved)],
            "filled": [None, sorted(filled)],
        },
        reason=reason
        or _("Merged duplicate record %(name)s (#%(id)s).")
        % {"name": removed_label, "id": removed_id},
    )
    return merge


@transaction.atomic
def person_merge_undo(*, actor: Any, merge: PersonMerge) -> Person:
    """Bring the removed record back with its own links, as before the merge."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    snapshot = merge.removed_snapshot
    keep = Person.objects.select_for_update().get(pk=merge.kept_id)
    fields = snapshot["fields"]
    # Give back the values the merge copied into the kept record (the NIK must be free first).
    if snapshot.get("filled"):
        for name in snapshot["filled"]:
            field = Person._meta.get_field(name)
            setattr(keep, name, None if field.null else "")
        keep.save(update_fields=snapshot["filled"])
    restored = Person(
        **{
            f.attname: fields.get(f.attname)
            if f.is_relation
            else f.to_python(fields.get(f.attname))
            for f in Person._meta.concrete_fields
        }
    )
    restored.save(force_insert=True)
    if snapshot.get("ppks"):
        restored.ppks.set(snapshot["ppks"])
    if snapshot.get("added_ppks"):
        keep.ppks.remove(*snapshot["added_ppks"])
    by_model: dict[tuple[str, str], list[Any]] = {}
    for link in merge.moved_links:
        by_model.setdefault((link["model"], link["field"]), []).append(link["pk"])
    from django.apps import apps

    for (label, field_name), pks in by_model.items():
        model = apps.get_model(label)
        model._default_manager.filter(pk__in=pks).update(**{field_name: restored})
    HouseholdMembership.objects.filter(pk__in=snapshot.get("ended_memberships", [])).update(
        end_date=None, end_reason=""
    )
    reach_people_changed([keep.pk, restored.pk])
    DuplicateCandidate.objects.bulk_create(
        [
            DuplicateCandidate(
                **{
                    **c,
                    **(
                        {"status": DuplicateStatus.OPEN, "decided_by_id": None, "decided_at": None}
                        if c.get("id") == snapshot.get("candidate_id")
                        else {}
                    ),
                }
            )
            for c in snapshot.get("candidates", [])
        ],
        ignore_conflicts=True,
    )
    merge.undone_at = timezone.now()
    merge.undone_by = actor
    merge.save(update_fields=["undone_at", "undone_by"])
    record(
        actor=actor,
        action=AuditAction.MERGE,
        obj=restored,
        changes={
            "unmerged_from": [keep.pk, None],
            "links_restored": [None, len(merge.moved_links)],
        },
        reason=_("Merge undone."),
    )
    return restored
