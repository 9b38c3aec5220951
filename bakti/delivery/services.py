"""Writes for delivery: service catalogue, workers, events and attendance, deliveries and rounds.

Every function is one action, keyword-only, atomic and audited. Views, the API, the CSV import
and the demo loader all come through here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bakti.core.row_errors import RowError
from bakti.core.scoping import region_q
from bakti.privacy.audit import audited_create, audited_update, record, record_bulk
from bakti.privacy.models import AuditAction
from bakti.registry.limits import check_not_restricted, restricted_among, restricted_households
from bakti.registry.models import Enrolment, EnrolmentStatus, Household, Person

from .models import (
    Attendance,
    AttendanceStatus,
    DistributionRound,
    Event,
    Headcount,
    Recipient,
    RoundStatus,
    ServiceDelivery,
    ServiceType,
    Worker,
    WorkerAssignment,
)

# --- Service catalogue -------------------------------------------------------------------


@transaction.atomic
def service_type_create(*, actor: Any, **fields: Any) -> ServiceType:
    """Add a service or kind of aid to a program's catalogue."""
    return audited_create(ServiceType(**fields), actor=actor)


@transaction.atomic
def service_type_update(
    *,
    actor: Any,
    service_type: ServiceType,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> ServiceType:
    service_type, _changes = audited_update(
        service_type, actor=actor, data=data, expected_version=expected_version
    )
    return service_type


# --- Workers -----------------------------------------------------------------------------


@transaction.atomic
def worker_create(*, actor: Any, coverage: Iterable[Any] = (), **fields: Any) -> Worker:
    """Register a staff member or volunteer of the field workforce."""
    worker = audited_create(Worker(**fields), actor=actor)
    coverage = list(coverage)
    if coverage:
        worker.coverage.set(coverage)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=worker,
            changes={"coverage": [None, [getattr(r, "pk", r) for r in coverage]]},
        )
    return worker


@transaction.atomic
def worker_update(
    *,
    actor: Any,
    worker: Worker,
    data: Mapping[str, Any],
    coverage: Iterable[Any] | None = None,
    expected_version: int | None = None,
) -> Worker:
    worker, _changes = audited_update(
        worker, actor=actor, data=data, expected_version=expected_version
    )
    if coverage is not None:
        before = sorted(worker.coverage.values_list("code", flat=True))
        worker.coverage.set(list(coverage))
        after = sorted(worker.coverage.values_list("code", flat=True))
        if before != after:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=worker,
                changes={"coverage": [before, after]},
            )
    return worker


@transaction.atomic
def worker_assign_activity(
    *, actor: Any, worker: Worker, activity: Any, role: str = ""
) -> WorkerAssignment:
    """Assign a worker to a work-plan activity (once)."""
    if WorkerAssignment.objects.filter(worker=worker, activity=activity).exists():
        raise ValidationError(
            _("%(worker)s is already assigned to this activity.") % {"worker": worker}
        )
    return audited_create(
        WorkerAssignment(worker=worker, activity=activity, role=role), actor=actor
    )


# --- Events and attendance ---------------------------------------------------------------


def _check_event(program: Any, activity: Any) -> None:
    if activity is not None and activity.program_id != program.pk:
        raise ValidationError({"activity": _("This activity belongs to another program.")})


@transaction.atomic
def event_create(*, actor: Any, workers: Iterable[Worker] = (), **fields: Any) -> Event:
    """Schedule or record an occurrence of a work-plan activity."""
    _check_event(fields["program"], fields.get("activity"))
    event = audited_create(Event(created_by=actor, **fields), actor=actor)
    workers = list(workers)
    if workers:
        event.workers.set(workers)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=event,
            changes={"workers": [None, [w.pk for w in workers]]},
        )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    event: Event,
    data: Mapping[str, Any],
    workers: Iterable[Worker] | None = None,
    expected_version: int | None = None,
) -> Event:
    _check_event(data.get("program", event.program), data.get("activity", event.activity))
    event, _changes = audited_update(
        event, actor=actor, data=data, expected_version=expected_version
    )
    if workers is not None:
        before = sorted(event.workers.values_list("pk", flat=True))
        event.workers.set(list(workers))
        after = sorted(event.workers.values_list("pk", flat=True))
        if before != after:
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=event,
                changes={"workers": [before, after]},
            )
    return event


def enrolment_for(program: Any, person: Person) -> Enrolment | None:
    """The person's current enrolment in ``program``: their own, or their household's."""
    return (
        Enrolment.objects.filter(program=program, status=EnrolmentStatus.ENROLLED)
        .filter(Q(person=person) | Q(person__isnull=True, household_id=person.household_id))
        .order_by("person_id")
        .first()
    )


@transaction.atomic
def attendance_record(
    *, actor: Any, event: Event, person: Person, status: str = AttendanceStatus.PRESENT
) -> Attendance:
    """Record (or correct) whether an enrolled person attended an event."""
    if person.household_id is None or enrolment_for(event.program, person) is None:
        raise ValidationError(
            _("%(name)s is not enrolled in %(program)s, so their attendance cannot be recorded.")
            % {"name": person.full_name, "program": event.program.name}
        )
    existing = Attendance.objects.filter(event=event, person=person).first()
    if existing is not None:
        existing, _changes = audited_update(existing, actor=actor, data={"status": status})
        return existing
    check_not_restricted(person_id=person.pk)  # UU PDP: nothing new about a restricted person
    return audited_create(
        Attendance(
            event=event,
            person=person,
            region_id=person.region_id,
            status=status,
            recorded_by=actor,
        ),
        actor=actor,
    )


@transaction.atomic
def headcount_set(*, actor: Any, event: Event, counts: Mapping[tuple[str, str, bool], int]) -> None:
    """Set the number of unregistered participants for each (sex, age group, disability)."""
    current = {
        (h.sex, h.age_group, h.with_disability): h for h in Headcount.objects.filter(event=event)
    }
    changes: dict[str, list[int]] = {}
    for key, count in counts.items():
        if count < 0:
            raise ValidationError(_("A number of participants cannot be negative."))
        row = current.get(key)
        old = row.count if row else 0
        if old == count:
            continue
        if row is None:
            row = Headcount(event=event, sex=key[0], age_group=key[1], with_disability=key[2])
        row.count = count
        row.full_clean()
        row.save()
        changes["/".join([key[0], key[1], "d" if key[2] else "-"])] = [old, count]
    if changes:
        record(actor=actor, action=AuditAction.UPDATE, obj=event, changes={"headcount": changes})


# --- Deliveries --------------------------------------------------------------------------


def already_received_message(enrolment: Enrolment, round: DistributionRound) -> str:
    return _("%(who)s has already received “%(round)s”; nobody receives the same round twice.") % {
        "who": enrolment.person.full_name if enrolment.person_id else enrolment.household.no_kk,
        "round": round.name,
    }


@transaction.atomic
def delivery_record(
    *,
    actor: Any,
    enrolment: Enrolment,
    service_type: ServiceType,
    quantity: Decimal,
    delivered_on: date,
    person: Person | None = None,
    value: Decimal | None = None,
    delivered_by: Worker | None = None,
    place: str = "",
    activity: Any = None,
    round: DistributionRound | None = None,
    evidence: Any = None,
    note: str = "",
) -> ServiceDelivery:
    """Record a service or aid handed to an enrolled household or person.

    Refused when the enrolment is not current, the service belongs to another program, or
    (for a distribution round) the recipient already received the round: a database constraint
    guarantees the last even when two people record the same receipt at once.
    """
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(
            _("This household or person is not enrolled in the program (status: %(status)s).")
            % {"status": enrolment.get_status_display()}
        )
    if service_type.program_id != enrolment.program_id:
        raise ValidationError(
            {"service_type": _("This service belongs to another program than the enrolment.")}
        )
    if person is None:
        person = enrolment.person
    elif enrolment.person_id and person.pk != enrolment.person_id:
        raise ValidationError({"person": _("This person is not the one enrolled.")})
    elif person.household_id != enrolment.household_id:
        raise ValidationError({"person": _("This person is not a member of the household.")})
    # UU PDP: no new delivery to a person (or a household with a member) under a restriction.
    if person is not None:
        check_not_restricted(person_id=person.pk)
    else:
        check_not_restricted(household_id=enrolment.household_id)
    if round is not None:
        if round.status != RoundStatus.OPEN:
            raise ValidationError(_("The round “%(round)s” is closed.") % {"round": round.name})
        if round.service_type_id != service_type.pk:
            raise ValidationError(_("This service is not the one given in this round."))
        if ServiceDelivery.objects.filter(round=round, enrolment=enrolment).exists():
            raise ValidationError(already_received_message(enrolment, round))
    if value is None:
        value = (Decimal(quantity) * service_type.unit_value).quantize(Decimal("0.01"))
    delivery = ServiceDelivery(
        program_id=enrolment.program_id,
        activity=activity,
        service_type=service_type,
        enrolment=enrolment,
        household_id=enrolment.household_id,
        person=person,
        region_id=enrolment.region_id,
        round=round,
        quantity=quantity,
        value=value,
        currency=service_type.currency,
        delivered_on=delivered_on,
        delivered_by=delivered_by,
        place=place,
        note=note,
        recorded_by=actor,
    )
    if evidence:
        delivery.evidence = evidence
    try:
        with transaction.atomic():
            delivery = audited_create(delivery, actor=actor)
            _reach_refresh([delivery])
            return delivery
    except IntegrityError as error:
        if round is not None:
            raise ValidationError(already_received_message(enrolment, round)) from error
        raise


def _reach_refresh(deliveries: Sequence[ServiceDelivery]) -> None:
    """Keep the reports' pre-aggregated "people reached" rows exact (issue 9)."""
    if apps.is_installed("bakti.reports"):
        from bakti.reports.rollups import reach_refresh

        reach_refresh(deliveries=deliveries)


# --- Distribution rounds -----------------------------------------------------------------


def _eligible_enrolments(program: Any, region_code: str) -> Any:
    """Current enrolments in the region, less households with a member whose processing is
    restricted (UU PDP): they are not put on a new list."""
    return (
        Enrolment.objects.filter(program=program, status=EnrolmentStatus.ENROLLED)
        .filter(region_q("region_id", region_code))
        .exclude(household__in=Household.objects.filter(restricted_households()))
        .order_by("region_id", "household__no_kk", "person_id", "pk")
    )


@transaction.atomic
def round_create(
    *,
    actor: Any,
    program: Any,
    service_type: ServiceType,
    name: str,
    region: Any,
    planned_date: date,
    quantity: Decimal = Decimal("1"),
    place: str = "",
    activity: Any = None,
) -> DistributionRound:
    """Create a distribution round and its recipient list from current enrolments."""
    if service_type.program_id != program.pk:
        raise ValidationError({"service_type": _("This service belongs to another program.")})
    if activity is not None and activity.program_id != program.pk:
        raise ValidationError({"activity": _("This activity belongs to another program.")})
    distribution = audited_create(
        DistributionRound(
            program=program,
            service_type=service_type,
            name=name,
            region_id=getattr(region, "pk", region),
            planned_date=planned_date,
            quantity=quantity,
            place=place,
            activity=activity,
            created_by=actor,
        ),
        actor=actor,
    )
    region_code = getattr(region, "pk", region)
    rows = [
        Recipient(
            round=distribution,
            enrolment_id=e.pk,
            household_id=e.household_id,
            person_id=e.person_id,
            region_id=e.region_id,
            line=number,
        )
        for number, e in enumerate(
            _eligible_enrolments(program, region_code).only(
                "pk", "household_id", "person_id", "region_id"
            ),
            start=1,
        )
    ]
    Recipient.objects.bulk_create(rows, batch_size=1000)
    record_bulk(
        actor=actor,
        object_type="delivery.recipient",
        action=AuditAction.CREATE,
        summary={"round": distribution.pk, "recipients": len(rows)},
    )
    return distribution


@transaction.atomic
def round_close(*, actor: Any, distribution: DistributionRound) -> DistributionRound:
    distribution, _changes = audited_update(
        distribution,
        actor=actor,
        data={"status": RoundStatus.CLOSED},
        action=AuditAction.TRANSITION,
    )
    return distribution


@dataclass
class ReceiptResult:
    recorded: int = 0
    errors: list[str] = field(default_factory=list)


def round_receive(
    *,
    actor: Any,
    distribution: DistributionRound,
    recipients: Sequence[Recipient],
    delivered_on: date,
    delivered_by: Worker | None = None,
) -> ReceiptResult:
    """Record receipt for the ticked lines of a round's list. Each line is its own
    transaction: one line already received does not undo the others."""
    result = ReceiptResult()
    for recipient in recipients:
        try:
            delivery_record(
                actor=actor,
                enrolment=recipient.enrolment,
                service_type=distribution.service_type,
                quantity=distribution.quantity,
                delivered_on=delivered_on,
                delivered_by=delivered_by,
                place=distribution.place,
                activity=distribution.activity,
                round=distribution,
            )
            result.recorded += 1
        except ValidationError as error:
            result.errors.append(
                _("Line %(line)s: %(message)s")
                % {"line": recipient.line, "message": " ".join(error.messages)}
            )
    return result


YES = {"1", "y", "yes", "ya", "v", "x", "✓", "true", "received", "diterima", "sudah"}
NO = {"", "0", "n", "no", "tidak", "false", "belum"}


@dataclass
class ImportResult:
    recorded: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)


def _rows(reader: csv.DictReader) -> Iterable[tuple[int, dict | None]]:
    """(line number, row), then (line number, None) if the file cannot be read further."""
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            yield number, row
    except csv.Error:
        yield number + 1, None


def round_import_receipts(
    *,
    actor: Any,
    distribution: DistributionRound,
    recipients: Sequence[Recipient],
    upload: Any,
    delivered_on: date,
    delivered_by: Worker | None = None,
) -> ImportResult:
    """Read the returned list (CSV with the columns of the printed list: ``line`` and
    ``received``) and record receipt for the lines marked received. ``recipients`` are the
    lines the user may record (their scope). Every bad row is reported with its reason; good
    rows are kept."""
    result = ImportResult()
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    by_line = {r.line: r for r in recipients}
    sample = text[:2048]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    try:
        fieldnames = list(reader.fieldnames or [])
    except csv.Error:  # the header line itself cannot be read
        fieldnames = []
    headers = {(h or "").strip().lower(): h for h in fieldnames}
    line_col = headers.get("line") or headers.get("no")
    received_col = headers.get("received") or headers.get("diterima")
    if not line_col or not received_col:
        result.errors.append(
            RowError(
                row=1,
                column="line, received",
                value=", ".join(fieldnames),
                reason=_("The file needs the columns “line” and “received”."),
            )
        )
        return result
    for number, row in _rows(reader):
        if row is None:
            result.errors.append(
                RowError(
                    number,
                    received_col,
                    "",
                    _("This line cannot be read: a cell is far too long (a quote not closed?)."),
                )
            )
            break
        line_value = (row.get(line_col) or "").strip()
        mark = (row.get(received_col) or "").strip().lower()
        if mark in NO:
            result.skipped += 1
            continue
        if mark not in YES:
            result.errors.append(
                RowError(
                    number,
                    received_col,
                    mark,
                    _("Write “yes” when the aid was received, or leave it empty."),
                )
            )
            continue
        # A whole number as written or as a spreadsheet shows it (12, 12.0); never Decimal's
        # "Infinity" or "1e999999999", which int() cannot or takes forever to convert.
        match = re.fullmatch(r"(\d{1,9})(?:[.,]0+)?", line_value)
        if match is None:
            result.errors.append(
                RowError(number, line_col, line_value, _("This is not a line number."))
            )
            continue
        line = int(match.group(1))
        recipient = by_line.get(line)
        if recipient is None:
            result.errors.append(
                RowError(
                    number,
                    line_col,
                    line_value,
                    _("There is no such line on this round's list (or it is outside your area)."),
                )
            )
            continue
        try:
            delivery_record(
                actor=actor,
                enrolment=recipient.enrolment,
                service_type=distribution.service_type,
                quantity=distribution.quantity,
                delivered_on=delivered_on,
                delivered_by=delivered_by,
                place=distribution.place,
                activity=distribution.activity,
                round=distribution,
            )
            result.recorded += 1
        except ValidationError as error:
            result.errors.append(RowError(number, line_col, line_value, " ".join(error.messages)))
    record_bulk(
        actor=actor,
        object_type="delivery.servicedelivery",
        summary={
            "round": distribution.pk,
            "file": getattr(upload, "name", ""),
            "recorded": result.recorded,
            "rejected": len(result.errors),
        },
    )
    return result


# --- Bulk loads (demo data, trusted imports) ---------------------------------------------


@transaction.atomic
def deliveries_bulk_record(
    *, actor: Any, deliveries: Sequence[ServiceDelivery], reason: str = ""
) -> int:
    """Insert many deliveries at once, with the same rules as :func:`delivery_record` checked
    for the whole batch in a few queries (current enrolment, service of the same program, each
    round once). One audit event records the batch."""
    enrolment_ids = {d.enrolment_id for d in deliveries}
    current = dict(
        Enrolment.objects.filter(pk__in=enrolment_ids, status=EnrolmentStatus.ENROLLED).values_list(
            "pk", "program_id"
        )
    )
    programs = dict(
        ServiceType.objects.filter(pk__in={d.service_type_id for d in deliveries}).values_list(
            "pk", "program_id"
        )
    )
    restricted_people, restricted_households = restricted_among(
        person_ids={d.person_id for d in deliveries if d.person_id},
        household_ids={d.household_id for d in deliveries if not d.person_id},
    )
    seen: set[tuple[int, int]] = set()
    for number, delivery in enumerate(deliveries, start=1):
        if delivery.person_id in restricted_people or (
            not delivery.person_id and delivery.household_id in restricted_households
        ):
            raise ValidationError(
                _("Row %(n)s: processing of this person's data is restricted under UU PDP.")
                % {"n": number}
            )
        if delivery.enrolment_id not in current:
            raise ValidationError(
                _("Row %(n)s: the household or person is not enrolled.") % {"n": number}
            )
        if programs.get(delivery.service_type_id) != current[delivery.enrolment_id]:
            raise ValidationError(
                _("Row %(n)s: the service belongs to another program.") % {"n": number}
            )
        if delivery.round_id:
            key = (delivery.round_id, delivery.enrolment_id)
            if key in seen:
                raise ValidationError(
                    _("Row %(n)s: nobody receives the same round twice.") % {"n": number}
                )
            seen.add(key)
        delivery.program_id = current[delivery.enrolment_id]
    ServiceDelivery.objects.bulk_create(deliveries, batch_size=1000)
    _reach_refresh(deliveries)
    record_bulk(
        actor=actor,
        object_type="delivery.servicedelivery",
        action=AuditAction.CREATE,
        summary={"deliveries": len(deliveries)},
        reason=reason,
    )
    return len(deliveries)


@transaction.atomic
def attendance_bulk_record(
    *, actor: Any, event: Event, rows: Sequence[tuple[Person, str]], reason: str = ""
) -> int:
    """Record the attendance of many enrolled people at one event (one audit event)."""
    people = [p for p, _s in rows]
    enrolled = Enrolment.objects.filter(program=event.program, status=EnrolmentStatus.ENROLLED)
    own = set(enrolled.filter(person__in=people).values_list("person_id", flat=True))
    households = set(
        enrolled.filter(
            person__isnull=True, household_id__in={p.household_id for p in people}
        ).values_list("household_id", flat=True)
    )
    restricted, _households = restricted_among(person_ids={p.pk for p in people})
    made = []
    for person, status in rows:
        if person.pk not in own and person.household_id not in households:
            raise ValidationError(
                _("%(name)s is not enrolled in %(program)s.")
                % {"name": person.full_name, "program": event.program.name}
            )
        if person.pk in restricted:
            check_not_restricted(person_id=person.pk)  # raises, with the restriction's date
        made.append(
            Attendance(
                event=event,
                person=person,
                region_id=person.region_id,
                status=status,
                recorded_by=actor,
            )
        )
    Attendance.objects.bulk_create(made, batch_size=1000)
    record_bulk(
        actor=actor,
        object_type="delivery.attendance",
        action=AuditAction.CREATE,
        summary={"event": event.pk, "attendance": len(made)},
        reason=reason,
    )
    return len(made)
