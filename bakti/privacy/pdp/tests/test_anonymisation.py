"""Anonymisation removes identity and keeps statistics; the retention job applies it to people
who left every program longer ago than the retention period, and reports what it did."""

import datetime as dt

import pytest

from bakti.cases.tests.helpers import open_case
from bakti.privacy.models import AuditEvent
from bakti.privacy.pdp import services
from bakti.privacy.pdp.models import RetentionPolicy, RetentionRun
from bakti.privacy.pdp.subjects import person_anonymise
from bakti.registry.models import Enrolment, Household, Person
from conftest import KECAMATAN_A


def _exit(person, on=dt.date(2020, 1, 1)):
    Enrolment.objects.filter(household=person.household).update(status="exited", exited_on=on)


def test_anonymisation_keeps_the_statistics_and_removes_the_identity(world, dpo):
    person = world.people_a[0]
    Household.objects.filter(pk=person.household_id).update(desil=2, address="Jl. Melati 4")
    Person.objects.filter(pk=person.pk).update(phone="0811111111")
    _exit(person)
    person.refresh_from_db()
    person_anonymise(actor=dpo, person=person, reason="DSR-1")
    person.refresh_from_db()
    assert person.full_name == f"ANONIM-{person.pk}"
    assert person.nik is None and person.phone == ""
    assert (person.sex, person.birth_date) == ("F", dt.date(1980, 1, 1))
    assert person.region_id == KECAMATAN_A
    household = Household.objects.get(pk=person.household_id)
    assert household.desil == 2
    assert household.address == "" and household.region_id == KECAMATAN_A
    # Audited, and the old values are gone from the trail.
    assert AuditEvent.objects.filter(object_type="pdp.anonymisation", reason="DSR-1").exists()
    trail = list(AuditEvent.objects.values_list("changes", "object_repr"))
    assert "Siti Aminah" not in str(trail)
    assert "0811111111" not in str(trail)


def test_anonymisation_is_refused_under_a_legal_hold(world, dpo):
    with pytest.raises(ValueError, match="Enrolled"):
        person_anonymise(actor=dpo, person=world.people_a[0], reason="x")


def test_the_dry_run_changes_nothing_and_the_run_anonymises(world, dpo):
    gone, kept, recent = world.people_a
    _exit(gone)
    _exit(kept)
    open_case(world, person=kept)
    _exit(recent, on=dt.date.today() - dt.timedelta(days=30))
    dry = services.retention_apply(actor=dpo, dry_run=True)
    assert (dry.candidates, dry.anonymised, dry.held) == (2, 0, 1)
    assert dry.details == {"would_anonymise": [gone.pk], "held": [kept.pk]}
    gone.refresh_from_db()
    assert gone.full_name == "Siti Aminah"
    run = services.retention_apply(actor=dpo)
    assert (run.candidates, run.anonymised, run.held) == (2, 1, 1)
    gone.refresh_from_db()
    recent.refresh_from_db()
    assert gone.full_name.startswith("ANONIM-")
    assert recent.full_name == "Budi Santoso"
    assert AuditEvent.objects.filter(object_type="pdp.retentionrun").count() == 2
    # Safe to run again: nobody new is past the period.
    again = services.retention_apply(actor=None)
    assert (again.candidates, again.anonymised) == (1, 0)
    assert RetentionRun.objects.count() == 3


def test_the_period_comes_from_the_editable_policy(world, dpo):
    person = world.people_a[0]
    _exit(person, on=dt.date.today() - dt.timedelta(days=400))
    assert services.retention_apply(actor=dpo, dry_run=True).candidates == 0
    policy = RetentionPolicy.objects.get(category="identity")
    services.retention_policy_update(
        actor=dpo, policy=policy, data={"period_months": 12}, expected_version=policy.version
    )
    assert services.retention_apply(actor=dpo, dry_run=True).candidates == 1


def test_a_restricted_record_is_kept_by_the_retention_job(world, dpo):
    from .conftest import receive

    person = world.people_a[0]
    services.dsr_restrict(
        actor=dpo,
        request=receive(dpo, person, kind="restriction"),
        answer="Pemrosesan dibatasi.",
        answer_channel="letter",
    )
    _exit(person)
    run = services.retention_apply(actor=dpo)
    assert (run.candidates, run.anonymised, run.held) == (1, 0, 1)
    person.refresh_from_db()
    assert person.full_name == "Siti Aminah"
