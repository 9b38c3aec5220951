"""Writes to the registry: households, people, household membership, consent and enrolment.

Every function here is the one way to do its action; views, the API, imports, jobs and the demo
call it. Scoring runs live in ``scoring.py`` and targeting in ``targeting.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bakti.accounts.access import scope_for
from bakti.privacy.audit import (
    audited_create,
    audited_update,
    record,
    record_access,
    record_bulk,
)
from bakti.privacy.models import AuditAction
from bakti.regions.models import Region

from .identity import nik_checks, validate_kk, validate_nik
from .models import (
    WG_DOMAINS,
    Consent,
    ConsentGivenBy,
    ConsentPurpose,
    Difficulty,
    Enrolment,
    EnrolmentStatus,
    Household,
    HouseholdMembership,
    LegalBasis,
    MembershipEnd,
    MembershipStart,
    Person,
    Relationship,
    mask_id,
)

ADULT_AGE = 18
OPEN_ENROLMENT = (EnrolmentStatus.PROPOSED, EnrolmentStatus.ENROLLED, EnrolmentStatus.SUSPENDED)

HOUSEHOLD_FIELDS = (
    "address",
    "rt",
    "rw",
    "latitude",
    "longitude",
    "desil",
    "desil_source",
    "desil_date",
    "floor_material",
    "wall_material",
    "water_source",
    "sanitation",
    "lighting",
    "cooking_fuel",
    "house_ownership",
    "floor_area_m2",
    "has_motorcycle",
    "has_car",
    "has_refrigerator",
    "has_land",
    "monthly_expenditure",
    "status",
)

PERSON_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "birth_place",
    "relationship",
    "marital_status",
    "education",
    "occupation",
    "phone",
    *WG_DOMAINS,
)


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def birth_date_cutoff(years: int, day: dt.date | None = None) -> dt.date:
    """People born after this date are younger than ``years`` on ``day``."""
    day = day or timezone.localdate()
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def has_disability(values: dict[str, Any]) -> bool:
    """Washington Group cut-off: a lot of difficulty, or cannot do at all, in any domain."""
    return any((values.get(name) or 0) >= Difficulty.A_LOT for name in WG_DOMAINS)


# --- Duplicates at entry ----------------------------------------------------------------------


def _refuse_duplicate_nik(actor: Any, nik: str, *, exclude_pk: int | None = None) -> None:
    existing = Person.objects.filter(nik=nik).exclude(pk=exclude_pk).first()
    if existing is None:
        return
    if scope_for(actor, "registry.view").contains_region(existing.region_id):
        message = _(
            "This NIK is already registered for %(name)s (NIK %(nik)s, desa %(region)s). "
            "Open that record instead of creating a new one."
        ) % {"name": existing.full_name, "nik": mask_id(nik), "region": existing.region_id}
    else:
        message = _(
            "This NIK is already registered in a region outside your area. Ask an officer of "
            "the department to check the record."
        )
    raise ValidationError({"nik": message}, code="duplicate_nik")


def _refuse_duplicate_kk(actor: Any, no_kk: str, *, exclude_pk: int | None = None) -> None:
    existing = Household.objects.filter(no_kk=no_kk).exclude(pk=exclude_pk).first()
    if existing is None:
        return
    if scope_for(actor, "registry.view").contains_region(existing.region_id):
        message = _(
            "This family card number is already registered (household %(kk)s in desa "
            "%(region)s). Open that household instead of creating a new one."
        ) % {"kk": mask_id(no_kk), "region": existing.region_id}
    else:
        message = _(
            "This family card number is already registered in a region outside your area. Ask "
            "an officer of the department to check the record."
        )
    raise ValidationError({"no_kk": message}, code="duplicate_kk")


def _check_region_is_desa(region: Region | str) -> Region:
    region_obj = region if isinstance(region, Region) else Region.objects.filter(pk=region).first()
    if region_obj is None:
        raise ValidationError(
            {"region": _("Region code “%(code)s” does not exist.") % {"code": region}},
            code="unknown_region",
        )
    if region_obj.code.count(".") != 3:
        raise ValidationError(
            {
                "region": _(
                    "Choose a desa or kelurahan (a code like 34.04.01.2001); “%(code)s” is a "
                    "larger region."
                )
                % {"code": region_obj.code}
            },
            code="not_desa",
        )
    return region_obj


def _check_in_scope(actor: Any, capability: str, region_code: str) -> None:
    """Services that change someone's data refuse it outside the actor's scope (None = system)."""
    if actor is None:
        return
    if not scope_for(actor, capability).contains_region(region_code):
        raise PermissionDenied(_("This record is outside your area."))


# --- Households ---------------------------------------------------------------------------


def reach_people_changed(person_ids: Iterable[int]) -> None:
    """Tell the reports' "people reached" rollup that these people changed (sex, disability,
    birth date, desa, household, or their records were merged), in the same transaction."""
    from django.apps import apps

    if apps.is_installed("bakti.reports"):
        from bakti.reports.rollups import people_changed

        people_changed(person_ids)


@transaction.atomic
def household_create(
    *, actor: Any, no_kk: str, region: Region | str, reason: str = "", **fields: Any
) -> Household:
    """Register a household. The KK must be valid and not registered yet."""
    try:
        number = validate_kk(no_kk)
    except ValidationError as error:
        raise ValidationError({"no_kk": error.messages}) from error
    region_obj = _check_region_is_desa(region)
    _check_in_scope(actor, "registry.edit", region_obj.code)
    _refuse_duplicate_kk(actor, number)
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    household = Household(no_kk=number, region=region_obj, **fields)
    return audited_create(household, actor=actor, reason=reason)


@transaction.atomic
def household_update(
    *,
    actor: Any,
    household: Household,
    data: dict[str, Any],
    expected_version: int | None = None,
    reason: str = "",
) -> Household:
    """Change a household's details. A new KK is checked like a new household's; a new desa
    is copied to its current members and open enrolments (they are scoped by it)."""
    _check_in_scope(actor, "registry.edit", household.region_id)
    data = dict(data)
    if "no_kk" in data:
        try:
            data["no_kk"] = validate_kk(data["no_kk"])
        except ValidationError as error:
            raise ValidationError({"no_kk": error.messages}) from error
        _refuse_duplicate_kk(actor, data["no_kk"], exclude_pk=household.pk)
    if "region" in data:
        data["region"] = _check_region_is_desa(data["region"])
        _check_in_scope(actor, "registry.edit", data["region"].code)
    allowed = {*HOUSEHOLD_FIELDS, "no_kk", "region"}
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unknown household fields: {sorted(unknown)}")
    old_region = household.region_id
    household, changes = audited_update(
        household, actor=actor, data=data, expected_version=expected_version, reason=reason
    )
    if "region" in changes:
        _copy_region(household, old_region)
        reach_people_changed(
            Person.objects.filter(household=household).values_list("pk", flat=True)
        )
    return household


def _copy_region(household: Household, old_region: str) -> None:
    people = Person.objects.filter(household=household)
    people.update(region_id=household.region_id)
    Enrolment.objects.filter(household=household).update(region_id=household.region_id)
    record_bulk(
        actor=None,
        object_type="registry.person",
        action=AuditAction.UPDATE,
        summary={
            "household": household.pk,
            "region": [old_region, household.region_id],
        },
        reason="household moved",
    )


@transaction.atomic
def household_set_head(
    *, actor: Any, household: Household, person: Person, reason: str = ""
) -> Household:
    """Make a current member the head of the household."""
    if person.household_id != household.pk or person.deceased:
        raise ValidationError(
            {"head": _("The head must be a living current member of the household.")}
        )
    _check_in_scope(actor, "registry.edit", household.region_id)
    household, _changes = audited_update(
        household, actor=actor, data={"head": person}, reason=reason
    )
    if person.relationship != Relationship.HEAD:
        audited_update(person, actor=actor, data={"relationship": Relationship.HEAD})
        HouseholdMembership.objects.filter(person=person, end_date__isnull=True).update(
            relationship=Relationship.HEAD
        )
    return household


def household_reveal_kk(*, actor: Any, household: Household, reason: str = "") -> str:
    """The full KK, for a user who asked to see it; the view is written to the access log."""
    record_access(actor=actor, obj=household, what="No. KK", reason=reason)
    return household.no_kk


# --- People -------------------------------------------------------------------------------


def _clean_person_fields(
    actor: Any, data: dict[str, Any], *, exclude_pk: int | None = None
) -> dict[str, Any]:
    if data.get("nik"):
        try:
            data["nik"] = validate_nik(data["nik"])
        except ValidationError as error:
            raise ValidationError({"nik": error.messages}) from error
        _refuse_duplicate_nik(actor, data["nik"], exclude_pk=exclude_pk)
    elif "nik" in data:
        data["nik"] = None
    return data


def _derived(person: Person) -> dict[str, Any]:
    """Fields the service keeps in step with the answers: disability and the NIK checks."""
    values = {name: getattr(person, name) for name in WG_DOMAINS}
    return {
        "has_disability": has_disability(values),
        "nik_flags": nik_checks(person.nik, sex=person.sex, birth_date=person.birth_date),
    }


@transaction.atomic
def person_create(
    *,
    actor: Any,
    full_name: str,
    sex: str,
    household: Household | None = None,
    region: Region | str | None = None,
    nik: str | None = None,
    ppks: Iterable[Any] = (),
    joined_on: dt.date | None = None,
    joined_how: str = MembershipStart.REGISTERED,
    reason: str = "",
    **fields: Any,
) -> Person:
    """Register a person, in a household (dated membership from ``joined_on``) or alone in a
    desa. A NIK must be valid and not registered yet; what it says about sex and birth date is
    compared with the record and any disagreement is flagged (``nik_flags``), not corrected."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    if household is not None:
        region_obj = household.region
    elif region is not None:
        region_obj = _check_region_is_desa(region)
    else:
        raise ValidationError({"household": _("Choose the household or the desa of the person.")})
    _check_in_scope(actor, "registry.edit", region_obj.code)
    data = _clean_person_fields(actor, {"nik": nik, **fields})
    person = Person(full_name=full_name, sex=sex, household=household, region=region_obj, **data)
    for name, value in _derived(person).items():
        setattr(person, name, value)
    audited_create(person, actor=actor, reason=reason)
    ppks = list(ppks)
    if ppks:
        person.ppks.set(ppks)
        record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=person,
            changes={"ppks": [[], sorted(str(c.code) for c in ppks)]},
        )
    if household is not None:
        HouseholdMembership.objects.create(
            household=household,
            person=person,
            relationship=person.relationship,
            start_date=joined_on or timezone.localdate(),
            start_reason=joined_how,
        )
        if person.relationship == Relationship.HEAD and household.head_id is None:
            audited_update(household, actor=actor, data={"head": person})
        reach_people_changed([person.pk])  # a member of a household served as a whole
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    person: Person,
    data: dict[str, Any],
    ppks: Sequence[Any] | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Person:
    """Change a person's details (not their household: see :func:`person_move`)."""
    _check_in_scope(actor, "registry.edit", person.region_id)
    allowed = {*PERSON_FIELDS, "nik"}
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    data = _clean_person_fields(actor, dict(data), exclude_pk=person.pk)
    probe = Person(**{name: getattr(person, name) for name in (*allowed,)})
    for name, value in data.items():
        setattr(probe, name, value)
    data.update(_derived(probe))
    person, changes = audited_update(
        person,
        actor=actor,
        data=data,
        expected_version=expected_version,
        reason=reason,
    )
    if ppks is not None:
        before = sorted(person.ppks.values_list("code", flat=True))
        after = sorted(str(c.code) for c in ppks)
        if before != after:
            person.ppks.set(ppks)
            record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=person,
                changes={"ppks": [before, after]},
                reason=reason,
            )
    if "relationship" in data:
        HouseholdMembership.objects.filter(person=person, end_date__isnull=True).update(
            relationship=person.relationship
        )
    if {"sex", "birth_date", "has_disability"} & set(changes):
        reach_people_changed([person.pk])
    return person


def person_reveal_nik(*, actor: Any, person: Person, reason: str = "") -> str:
    """The full NIK, for a user who asked to see it; the view is written to the access log."""
    record_access(actor=actor, obj=person, what="NIK", reason=reason)
    return person.nik or ""


def _close_membership(person: Person, on: dt.date, why: str) -> HouseholdMembership | None:
    open_row = HouseholdMembership.objects.filter(person=person, end_date__isnull=True).first()
    if open_row is None:
        return None
    if on < open_row.start_date:
        raise ValidationError(
            {
                "date": _(
                    "The date cannot be before %(name)s joined the current household (%(start)s)."
                )
                % {"name": person.full_name, "start": open_row.start_date.strftime("%d-%m-%Y")}
            }
        )
    open_row.end_date = on
    open_row.end_reason = why
    open_row.save(update_fields=["end_date", "end_reason"])
    return open_row


@transaction.atomic
def person_move(
    *,
    actor: Any,
    person: Person,
    to_household: Household,
    on: dt.date,
    relationship: str = Relationship.OTHER_RELATIVE,
    how: str = MembershipStart.MOVED_IN,
    reason: str = "",
) -> Person:
    """Move a person to another household from ``on``: the old membership ends, a new one
    starts, and the person's desa becomes the new household's. A head who leaves leaves the
    old household without a head until one is chosen."""
    if person.deceased:
        raise ValidationError(_("A deceased person cannot move household."))
    if to_household.pk == person.household_id:
        raise ValidationError(
            {
                "to_household": _("%(name)s already lives in this household.")
                % {"name": person.full_name}
            }
        )
    _check_in_scope(actor, "registry.edit", person.region_id)
    _check_in_scope(actor, "registry.edit", to_household.region_id)
    old = person.household
    _close_membership(person, on, MembershipEnd.MOVED_OUT)
    HouseholdMembership.objects.create(
        household=to_household,
        person=person,
        relationship=relationship,
        start_date=on,
        start_reason=how,
    )
    person, _changes = audited_update(
        person,
        actor=actor,
        data={
            "household": to_household,
            "region": to_household.region,
            "relationship": relationship,
        },
        action=AuditAction.TRANSITION,
        reason=reason or _("moved household"),
    )
    if old is not None and old.head_id == person.pk:
        audited_update(old, actor=actor, data={"head": None}, reason=_("the head moved out"))
    Enrolment.objects.filter(person=person, status__in=OPEN_ENROLMENT).update(
        region_id=to_household.region_id
    )
    reach_people_changed([person.pk])
    return person


@transaction.atomic
def person_record_birth(
    *,
    actor: Any,
    household: Household,
    full_name: str,
    sex: str,
    birth_date: dt.date,
    nik: str | None = None,
    reason: str = "",
    **fields: Any,
) -> Person:
    """A baby born into ``household``: a new person whose membership starts at birth."""
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": _("A birth date cannot be in the future.")})
    fields.setdefault("relationship", Relationship.CHILD)
    return person_create(
        actor=actor,
        full_name=full_name,
        sex=sex,
        birth_date=birth_date,
        nik=nik,
        household=household,
        joined_on=birth_date,
        joined_how=MembershipStart.BIRTH,
        reason=reason or _("birth"),
        **fields,
    )


@transaction.atomic
def person_record_death(
    *, actor: Any, person: Person, died_on: dt.date, reason: str = ""
) -> Person:
    """Record a death: the membership ends, open enrolments of the person end, and a head's
    household is left without a head until one is chosen."""
    if person.deceased:
        raise ValidationError(_("This death is already recorded."))
    if died_on > timezone.localdate():
        raise ValidationError({"died_on": _("The date of death cannot be in the future.")})
    if person.birth_date and died_on < person.birth_date:
        raise ValidationError({"died_on": _("The date of death cannot be before the birth date.")})
    _check_in_scope(actor, "registry.edit", person.region_id)
    _close_membership(person, died_on, MembershipEnd.DEATH)
    person, _changes = audited_update(
        person,
        actor=actor,
        data={"deceased": True, "death_date": died_on},
        action=AuditAction.TRANSITION,
        reason=reason or _("death recorded"),
    )
    for enrolment in Enrolment.objects.filter(person=person, status__in=OPEN_ENROLMENT):
        _transition(
            actor,
            enrolment,
            EnrolmentStatus.EXITED,
            on=died_on,
            reason=_("The person died."),
            check_scope=False,
        )
    household = person.household
    if household is not None and household.head_id == person.pk:
        audited_update(household, actor=actor, data={"head": None}, reason=_("the head died"))
    return person


# --- Consent --------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    actor: Any,
    person: Person,
    purpose: str,
    given_on: dt.date,
    legal_basis: str = LegalBasis.CONSENT,
    given_by: str = ConsentGivenBy.SELF,
    given_by_name: str = "",
    channel: str = "paper",
    program: Any = None,
    reason: str = "",
) -> Consent:
    """Record consent (or another legal basis) for one purpose. A child's consent comes from a
    parent or guardian, who is named; for a person with a disability, who gave it is recorded
    as chosen (the person, with a supporter, or a guardian)."""
    _check_in_scope(actor, "registry.edit", person.region_id)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("The date cannot be in the future.")})
    if legal_basis == LegalBasis.CONSENT:
        age = age_on(person.birth_date, given_on)
        is_child = age is not None and age < ADULT_AGE
        if is_child and given_by not in (ConsentGivenBy.PARENT, ConsentGivenBy.GUARDIAN):
            raise ValidationError(
                {
                    "given_by": _(
                        "%(name)s is %(age)d years old: consent must come from a parent or "
                        "guardian."
                    )
                    % {"name": person.full_name, "age": age}
                }
            )
        if given_by != ConsentGivenBy.SELF and not given_by_name.strip():
            raise ValidationError(
                {"given_by_name": _("Write the name of the person who gave consent.")}
            )
    consent = Consent(
        person=person,
        purpose=purpose,
        program=program,
        legal_basis=legal_basis,
        given_by=given_by,
        given_by_name=given_by_name.strip(),
        given_on=given_on,
        channel=channel,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    return audited_create(consent, actor=actor, reason=reason)


@transaction.atomic
def consent_withdraw(
    *, actor: Any, consent: Consent, withdrawn_on: dt.date, reason: str
) -> Consent:
    """Withdraw consent. What it covered stops: enrolments that rested on it are suspended
    (or, if only proposed, not approved) unless another valid basis covers them."""
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if consent.legal_basis != LegalBasis.CONSENT:
        raise ValidationError(
            _(
                "This record is a legal basis, not consent: it cannot be withdrawn by the person. "
                "Record an objection through a data-subject request instead."
            )
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Write why consent was withdrawn.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("Consent cannot be withdrawn before the day it was given.")}
        )
    _check_in_scope(actor, "registry.edit", consent.person.region_id)
    consent, _changes = audited_update(
        consent,
        actor=actor,
        data={"withdrawn_on": withdrawn_on, "withdrawal_reason": reason.strip()},
        action=AuditAction.TRANSITION,
        reason=reason,
    )
    if consent.purpose == ConsentPurpose.ENROLMENT:
        affected = Enrolment.objects.filter(consent=consent, status__in=OPEN_ENROLMENT)
        for enrolment in affected.select_related("household", "person"):
            other = enrolment_basis(
                program=enrolment.program, household=enrolment.household, person=enrolment.person
            )
            if other is not None:
                audited_update(
                    enrolment,
                    actor=actor,
                    data={"consent": other},
                    reason=_("consent withdrawn; another basis covers the enrolment"),
                )
                continue
            target = (
                EnrolmentStatus.REJECTED
                if enrolment.status == EnrolmentStatus.PROPOSED
                else EnrolmentStatus.SUSPENDED
            )
            if enrolment.status != target:
                _transition(
                    actor,
                    enrolment,
                    target,
                    on=withdrawn_on,
                    reason=_("Consent for enrolment was withdrawn."),
                    check_scope=False,
                )
    return consent


def consent_covers(person: Person, purpose: str, *, program: Any = None) -> Consent | None:
    """The active consent or legal basis of ``person`` for ``purpose`` (and ``program``)."""
    rows = Consent.objects.filter(person=person, purpose=purpose, withdrawn_on__isnull=True)
    if program is not None:
        rows = rows.filter(Q(program__isnull=True) | Q(program=program))
    return rows.order_by("-given_on", "-id").first()


def enrolment_basis(*, program: Any, household: Household, person: Person | None) -> Consent | None:
    """What allows this enrolment: for a person, their own consent or legal basis for program
    enrolment; for a household, that of the head or another adult member."""
    rows = Consent.objects.filter(
        purpose=ConsentPurpose.ENROLMENT, withdrawn_on__isnull=True
    ).filter(Q(program__isnull=True) | Q(program=program))
    if person is not None:
        rows = rows.filter(person=person)
    else:
        adult = birth_date_cutoff(ADULT_AGE)
        rows = rows.filter(
            person__household=household,
            person__deceased=False,
        ).filter(Q(person__birth_date__lte=adult) | Q(person_id=household.head_id))
    return rows.order_by("-given_on", "-id").first()


# --- Enrolment ------------------------------------------------------------------------------

_ALLOWED: dict[str, set[str]] = {
    EnrolmentStatus.PROPOSED: {EnrolmentStatus.ENROLLED, EnrolmentStatus.REJECTED},
    EnrolmentStatus.ENROLLED: {EnrolmentStatus.SUSPENDED, EnrolmentStatus.EXITED},
    EnrolmentStatus.SUSPENDED: {EnrolmentStatus.ENROLLED, EnrolmentStatus.EXITED},
    EnrolmentStatus.EXITED: set(),
    EnrolmentStatus.REJECTED: set(),
}


def _program_accepts(program: Any) -> None:
    if getattr(program, "status", "") in {"closed", "evaluated"}:
        raise ValidationError(
            {
                "program": _("Program %(code)s is closed: nobody can be enrolled.")
                % {"code": program.code}
            }
        )


@transaction.atomic
def enrolment_propose(
    *,
    actor: Any,
    program: Any,
    household: Household,
    person: Person | None = None,
    targeting_scheme: Any = None,
    reason: str = "",
) -> Enrolment:
    """Propose a household (or one person of it) for a program; a manager approves it."""
    _program_accepts(program)
    if person is not None and person.household_id != household.pk:
        raise ValidationError({"person": _("The person is not a member of this household.")})
    if person is not None and person.deceased:
        raise ValidationError({"person": _("A deceased person cannot be enrolled.")})
    _check_in_scope(actor, "registry.edit", household.region_id)
    open_rows = Enrolment.objects.filter(program=program, status__in=OPEN_ENROLMENT)
    if person is not None:
        clash = open_rows.filter(person=person)
    else:
        clash = open_rows.filter(household=household, person__isnull=True)
    if clash.exists():
        raise ValidationError(
            _("This %(who)s already has an open enrolment in %(program)s.")
            % {
                "who": _("person") if person else _("household"),
                "program": program.code,
            }
        )
    enrolment = Enrolment(
        program=program,
        household=household,
        person=person,
        region_id=household.region_id,
        targeting_scheme=targeting_scheme,
        proposed_by=actor if getattr(actor, "pk", None) else None,
        status=EnrolmentStatus.PROPOSED,
    )
    return audited_create(enrolment, actor=actor, reason=reason)


def _transition(
    actor: Any,
    enrolment: Enrolment,
    target: str,
    *,
    on: dt.date,
    reason: str,
    expected_version: int | None = None,
    check_scope: bool = True,
    extra: dict[str, Any] | None = None,
) -> Enrolment:
    if target not in _ALLOWED[enrolment.status]:
        raise ValidationError(
            _("An enrolment that is %(current)s cannot become %(target)s.")
            % {
                "current": enrolment.get_status_display().lower(),
                "target": EnrolmentStatus(target).label.lower(),
            }
        )
    if check_scope:
        _check_in_scope(actor, "registry.edit", enrolment.region_id)
    data: dict[str, Any] = {"status": target, "status_reason": reason}
    if target == EnrolmentStatus.SUSPENDED:
        data["suspended_on"] = on
    elif target == EnrolmentStatus.EXITED:
        data["exited_on"] = on
    data.update(extra or {})
    enrolment, _changes = audited_update(
        enrolment,
        actor=actor,
        data=data,
        expected_version=expected_version,
        action=AuditAction.TRANSITION,
        reason=reason,
    )
    return enrolment


def _gate(enrolment: Enrolment) -> Consent:
    basis = enrolment_basis(
        program=enrolment.program, household=enrolment.household, person=enrolment.person
    )
    if basis is None:
        who = enrolment.person.full_name if enrolment.person else str(enrolment.household)
        raise ValidationError(
            _(
                "No consent or legal basis for program enrolment is recorded for %(who)s. "
                "Record it on the person's page first."
            )
            % {"who": who}
        )
    return basis


@transaction.atomic
def enrolment_approve(
    *,
    actor: Any,
    enrolment: Enrolment,
    enrolled_on: dt.date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Enrolment:
    """A manager approves a proposal: the enrolment starts. Consent or a legal basis must be on
    record first."""
    if actor is not None and not scope_for(actor, "registry.approve_enrolment").contains_region(
        enrolment.region_id
    ):
        raise PermissionDenied(_("You may not approve enrolments in this area."))
    _program_accepts(enrolment.program)
    basis = _gate(enrolment)
    return _transition(
        actor,
        enrolment,
        EnrolmentStatus.ENROLLED,
        on=enrolled_on or timezone.localdate(),
        reason=reason,
        expected_version=expected_version,
        check_scope=False,
        extra={
            "consent": basis,
            "approved_by": actor if getattr(actor, "pk", None) else None,
            "approved_at": timezone.now(),
            "enrolled_on": enrolled_on or timezone.localdate(),
        },
    )


@transaction.atomic
def enrolment_reject(
    *, actor: Any, enrolment: Enrolment, reason: str, expected_version: int | None = None
) -> Enrolment:
    """A manager turns a proposal down, saying why."""
    if actor is not None and not scope_for(actor, "registry.approve_enrolment").contains_region(
        enrolment.region_id
    ):
        raise PermissionDenied(_("You may not approve enrolments in this area."))
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the proposal is not approved.")})
    return _transition(
        actor,
        enrolment,
        EnrolmentStatus.REJECTED,
        on=timezone.localdate(),
        reason=reason,
        expected_version=expected_version,
        check_scope=False,
    )


@transaction.atomic
def enrolment_suspend(
    *,
    actor: Any,
    enrolment: Enrolment,
    on: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Enrolment:
    """Pause an enrolment (benefits stop) from ``on``, saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the enrolment is suspended.")})
    if enrolment.enrolled_on and on < enrolment.enrolled_on:
        raise ValidationError({"on": _("The date cannot be before the enrolment started.")})
    return _transition(
        actor,
        enrolment,
        EnrolmentStatus.SUSPENDED,
        on=on,
        reason=reason,
        expected_version=expected_version,
    )


@transaction.atomic
def enrolment_resume(
    *,
    actor: Any,
    enrolment: Enrolment,
    reason: str,
    expected_version: int | None = None,
) -> Enrolment:
    """Resume a suspended enrolment; consent or a legal basis must still be on record."""
    if enrolment.status != EnrolmentStatus.SUSPENDED:
        raise ValidationError(_("Only a suspended enrolment can be resumed."))
    basis = _gate(enrolment)
    return _transition(
        actor,
        enrolment,
        EnrolmentStatus.ENROLLED,
        on=timezone.localdate(),
        reason=reason,
        expected_version=expected_version,
        extra={"consent": basis, "suspended_on": None},
    )


@transaction.atomic
def enrolment_exit(
    *,
    actor: Any,
    enrolment: Enrolment,
    on: dt.date,
    reason: str,
    expected_version: int | None = None,
) -> Enrolment:
    """End an enrolment from ``on`` (graduated, moved away, no longer eligible…), saying why."""
    if not reason.strip():
        raise ValidationError({"reason": _("Write why the enrolment ends.")})
    if enrolment.enrolled_on and on < enrolment.enrolled_on:
        raise ValidationError({"on": _("The date cannot be before the enrolment started.")})
    return _transition(
        actor,
        enrolment,
        EnrolmentStatus.EXITED,
        on=on,
        reason=reason,
        expected_version=expected_version,
    )


# --- Bulk loading ---------------------------------------------------------------------------


@transaction.atomic
def registry_bulk_load(
    *,
    actor: Any,
    households: list[Household],
    people: list[Person],
    ppks_links: Sequence[tuple[int, Any]] = (),
    consents: Sequence[Consent] = (),
    reason: str = "",
    batch_size: int = 1000,
) -> dict[str, int]:
    """Insert many valid households and people at once (demo data, trusted loads).

    ``households`` and ``people`` are unsaved instances; a person's ``household`` must be one of
    ``households`` (or already saved). NIK and KK are validated and NIK checks computed here;
    people's desa is copied from their household; a dated membership is created for everyone
    in a household. ``ppks_links`` are (index into ``people``, PPKSCategory) pairs; consents
    refer to people of the list. One audit event records the batch.
    """
    for household in households:
        household.no_kk = validate_kk(household.no_kk)
    kecamatan = set(
        Region.objects.filter(level=3).values_list("code", flat=True)
    )  # one query for all NIK prefix checks
    for person in people:
        if person.nik:
            person.nik = validate_nik(person.nik)
        person.has_disability = has_disability({n: getattr(person, n) for n in WG_DOMAINS})
        person.nik_flags = nik_checks(
            person.nik, sex=person.sex, birth_date=person.birth_date, known_kecamatan=kecamatan
        )
    Household.objects.bulk_create(households, batch_size=batch_size)
    for person in people:
        if person.household is not None:
            person.household = person.household  # refresh the id now that it is saved
            person.region_id = person.household.region_id
    Person.objects.bulk_create(people, batch_size=batch_size)
    heads = []
    memberships = []
    today = timezone.localdate()
    for person in people:
        if person.household is None:
            continue
        memberships.append(
            HouseholdMembership(
                household=person.household,
                person=person,
                relationship=person.relationship,
                start_date=person.birth_date
                if person.birth_date and person.relationship == Relationship.CHILD
                else today,
                start_reason=MembershipStart.BIRTH
                if person.relationship == Relationship.CHILD
                else MembershipStart.REGISTERED,
            )
        )
        if person.relationship == Relationship.HEAD and person.household.head_id is None:
            person.household.head = person
            heads.append(person.household)
    HouseholdMembership.objects.bulk_create(memberships, batch_size=batch_size)
    # One executemany rather than bulk_update's CASE WHEN, which is slow for thousands of rows.
    table = connection.ops.quote_name(Household._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET head_id = %s WHERE id = %s",  # noqa: S608 - names from _meta
            [(h.head_id, h.pk) for h in heads],
        )
    through = Person.ppks.through
    through.objects.bulk_create(
        [through(person_id=people[i].pk, ppkscategory_id=c.pk) for i, c in ppks_links],
        batch_size=batch_size,
    )
    for consent in consents:
        consent.person = consent.person  # refresh the id
    Consent.objects.bulk_create(list(consents), batch_size=batch_size)
    summary = {
        "households": len(households),
        "people": len(people),
        "memberships": len(memberships),
        "ppks": len(ppks_links),
        "consents": len(consents),
    }
    record_bulk(actor=actor, object_type="registry.household", summary=summary, reason=reason)
    return summary


@transaction.atomic
def enrolment_bulk_create(
    *, actor: Any, enrolments: list[Enrolment], reason: str = "", batch_size: int = 1000
) -> int:
    """Insert many enrolments at once (demo data, trusted loads). Each one's desa is copied from
    its household; an enrolled one must name the consent or legal basis it rests on. One audit
    event records the batch."""
    for enrolment in enrolments:
        enrolment.region_id = enrolment.household.region_id
        if enrolment.status == EnrolmentStatus.ENROLLED and enrolment.consent is None:
            raise ValidationError(_("An enrolment needs consent or a legal basis on record."))
    Enrolment.objects.bulk_create(enrolments, batch_size=batch_size)
    record_bulk(
        actor=actor,
        object_type="registry.enrolment",
        action=AuditAction.CREATE,
        summary={"enrolments": len(enrolments)},
        reason=reason,
    )
    return len(enrolments)


def enrolment_approve_many(
    *, actor: Any, enrolments: Iterable[Enrolment], enrolled_on: dt.date | None = None
) -> tuple[int, list[tuple[Enrolment, str]]]:
    """Approve several proposals, each on its own (one without consent does not stop the
    others). Returns how many were approved and, for the rest, why not."""
    approved = 0
    refused: list[tuple[Enrolment, str]] = []
    for enrolment in enrolments:
        try:
            enrolment_approve(actor=actor, enrolment=enrolment, enrolled_on=enrolled_on)
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            refused.append((enrolment, message))
        else:
            approved += 1
    return approved, refused
