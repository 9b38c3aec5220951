from bakti.core.demo import DemoContext
from bakti.registry import demo
from bakti.registry.identity import nik_facts, validate_nik
from bakti.registry.models import (
    Enrolment,
    HouseholdScore,
    Person,
    ScoringScheme,
    TargetingScheme,
)
from bakti.registry.tests import factories


def test_demo_people_have_nik_consistent_with_region_sex_and_birth(cast) -> None:
    ctx = DemoContext(password="x")
    ctx.shared["programs"] = {"PKH-2026": factories.program(cast, code="PKH-2026")}
    demo.load(ctx, households_wanted=80)
    people = list(Person.objects.exclude(nik=None))
    assert len(people) > 150
    for person in people:
        assert validate_nik(person.nik) == person.nik
        facts = nik_facts(person.nik)
        assert facts.sex == person.sex
        assert facts.birth_date == person.birth_date
        assert person.region_id.startswith(facts.kecamatan_code + ".")
        assert person.nik_flags == []
    assert {p.region_id[:8] for p in people} == {"34.04.01", "34.04.02"}
    # Planted duplicates: registered again without NIK, same sex, in the same desa.
    twins = Person.objects.filter(nik=None, relationship="head", household__desil_source="Musdes")
    assert twins.count() == 8
    # Enrolled households rest on a consent or legal basis.
    enrolled = Enrolment.objects.filter(status="enrolled")
    assert enrolled.exists() and not enrolled.filter(consent=None).exists()
    scheme = ScoringScheme.objects.get()
    assert HouseholdScore.objects.filter(run=scheme.current_run).count() > 0
    assert TargetingScheme.objects.count() == 1
    assert any("planted duplicates" in line for line in ctx.log)
