"""Changes to a person that the registry has no service for: the legal holds that forbid
erasing a record, and anonymisation (the identity removed, the statistics kept).

Anonymisation replaces the name, NIK, phone, birth place and exact birth date of the person
(the birth year stays), moves the person and, once every member is anonymised, the household
to the kecamatan (the desa code is dropped) and clears the household's address, RT/RW, map
position and family card number. Sex, birth year, disability, PPKS categories, desil,
enrolments and deliveries stay, so counts and reports do not change. The old values are also
removed from the audit trail and the access log (the events stay, their values become
``***``), otherwise the history would keep what the person asked to erase; so are the name and
contact on the requests the person made themself, and the name of a parent or guardian who
gave consent. Free text written about the person elsewhere (case notes, complaint texts) is not
rewritten: cases and complaints are kept for their own retention periods and reviewed by the
data protection officer."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bakti.cases.models import Case, CaseStatus
from bakti.privacy.audit import audited_update, record
from bakti.privacy.models import AccessLog, AuditAction, AuditEvent
from bakti.registry.models import Consent, Enrolment, EnrolmentStatus, Household, Person
from bakti.registry.services import reach_people_changed

from .models import Anonymisation, DataSubjectRequest, RetentionRun

OPEN_ENROLMENT = (EnrolmentStatus.PROPOSED, EnrolmentStatus.ENROLLED, EnrolmentStatus.SUSPENDED)
PERSON_FIELDS = (
    "full_name",
    "nik",
    "phone",
    "birth_date",
    "birth_place",
    "occupation",
    "region",
    "region_id",
)
HOUSEHOLD_FIELDS = ("no_kk", "address", "rt", "rw", "latitude", "longitude", "region", "region_id")
HIDDEN = "***"


def kecamatan_of(code: str) -> str:
    """``34.04.01.2001`` → ``34.04.01``; codes at kecamatan level or above are kept."""
    return ".".join(code.split(".")[:3])


def open_enrolments(person: Person) -> Any:
    own = Q(person=person)
    if person.household_id:
        own |= Q(household_id=person.household_id, person__isnull=True)
    return Enrolment.objects.filter(own, status__in=OPEN_ENROLMENT).select_related("program")


def legal_holds(person: Person) -> list[str]:
    """Why the department must keep this person's record as it is (empty: nothing holds it).
    An open enrolment (the program must account for who it serves) and an open case (the
    department has a duty of care) are legal obligations under the social welfare laws."""
    reasons = []
    for enrolment in open_enrolments(person):
        reasons.append(
            _("Enrolled in %(program)s (%(status)s): the record is kept while enrolled.")
            % {"program": enrolment.program, "status": enrolment.get_status_display()}
        )
    for case in Case.objects.filter(person=person).exclude(status=CaseStatus.CLOSED):
        reasons.append(
            _("Case %(reference)s is open: the record is kept until the case is closed.")
            % {"reference": case.reference}
        )
    return reasons


def is_anonymised(person: Person) -> bool:
    return Anonymisation.objects.filter(person=person).exists()


def _scrub_history(object_type: str, object_id: Any, fields: tuple[str, ...], repr_: str) -> int:
    """Replace the old values of ``fields`` in the audit trail of one object."""
    changed = 0
    events = AuditEvent.objects.filter(object_type=object_type, object_id=str(object_id))
    for event in events.only("pk", "changes", "object_repr"):
        changes = dict(event.changes or {})
        for name in fields:
            if name in changes:
                changes[name] = [HIDDEN, HIDDEN]
        AuditEvent.objects.filter(pk=event.pk).update(changes=changes, object_repr=repr_)
        changed += 1
    AccessLog.objects.filter(object_type=object_type, object_id=str(object_id)).update(
        object_repr=repr_
    )
    return changed


@transaction.atomic
def person_anonymise(
    *,
    actor: Any,
    person: Person,
    reason: str,
    request: DataSubjectRequest | None = None,
    run: RetentionRun | None = None,
) -> Anonymisation:
    """Remove a person's identity and keep their statistics (see the module docstring).
    Refused (ValueError) while a legal hold applies; safe to call twice."""
    existing = Anonymisation.objects.filter(person=person).first()
    if existing is not None:
        return existing
    holds = legal_holds(person)
    if holds:
        raise ValueError(" ".join(holds))
    birth = person.birth_date
    label = f"ANONIM-{person.pk}"
    person, _changes = audited_update(
        person,
        actor=actor,
        data={
            "full_name": label,
            "nik": None,
            "phone": "",
            "birth_date": dt.date(birth.year, 1, 1) if birth else None,
            "birth_place": "",
            "occupation": "",
            "nik_flags": [],
            "region_id": kecamatan_of(person.region_id),
        },
        reason=reason,
        exclude_from_log=("full_name", "nik", "phone", "birth_date", "birth_place", "occupation"),
    )
    _scrub_history("registry.person", person.pk, PERSON_FIELDS, label)
    reach_people_changed([person.pk])  # the reports' rollup keeps a copy of birth date and desa
    for consent in Consent.objects.filter(person=person).exclude(given_by_name=""):
        audited_update(
            consent,
            actor=actor,
            data={"given_by_name": ""},
            reason=reason,
            exclude_from_log=("given_by_name",),
        )
        _scrub_history("registry.consent", consent.pk, ("given_by_name",), str(consent))
    # Requests the person made themself name them too; the requests stay (they are the record
    # that the duty was met), without the name and contact.
    own_requests = DataSubjectRequest.objects.filter(person=person, requester_relation="self")
    for own in own_requests:
        audited_update(
            own,
            actor=actor,
            data={"requester_name": label, "requester_contact": ""},
            reason=reason,
            exclude_from_log=("requester_name", "requester_contact"),
        )
        _scrub_history(
            "pdp.datasubjectrequest", own.pk, ("requester_name", "requester_contact"), str(own)
        )
    marker = Anonymisation.objects.create(person=person, actor=actor, request=request, run=run)
    if person.household_id:
        _anonymise_household_when_empty(actor, person.household, reason)
    record(
        actor=actor,
        action=AuditAction.OTHER,
        obj=marker,
        changes={"person": [None, person.pk]},
        reason=reason,
    )
    return marker


def _anonymise_household_when_empty(actor: Any, household: Household, reason: str) -> None:
    """A household keeps its address while anyone identified still lives in it."""
    members = Person.objects.filter(household=household).values_list("pk", flat=True)
    done = set(Anonymisation.objects.filter(person_id__in=members).values_list("person", flat=True))
    if set(members) - done:
        return
    label = f"X{household.pk:015d}"
    audited_update(
        household,
        actor=actor,
        data={
            "no_kk": label,
            "address": "",
            "rt": "",
            "rw": "",
            "latitude": None,
            "longitude": None,
            "region_id": kecamatan_of(household.region_id),
        },
        reason=reason,
        exclude_from_log=("no_kk", "address", "rt", "rw", "latitude", "longitude"),
    )
    _scrub_history("registry.household", household.pk, HOUSEHOLD_FIELDS, str(household))
