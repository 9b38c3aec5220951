"""The six records that several people edit (household, person, case, program, budget line,
ticket), each with: who edits it on its page, who saves a change meanwhile through the
service, the field both change, and how to read the saved value back. Shared by the stale-form
tests and the race tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

import conftest


@dataclass
class Subject:
    name: str
    obj: Any
    url: str
    editor: Any  # edits on the page
    other: Any  # saves meanwhile, through the service
    field: str  # the field both change
    save: Callable[[Any, Any, int, str], Any]  # (actor, fresh object, expected version, value)
    read: Callable[[], str]  # the saved value of ``field``
    model: Any
    form_marker: dict[str, str] | None = None  # picks the form on a page with several

    def version(self) -> int:
        return self.model.objects.values_list("version", flat=True).get(pk=self.obj.pk)

    def fresh(self) -> Any:
        return self.model.objects.get(pk=self.obj.pk)


def household(cast: Any) -> Subject:
    from bakti.registry import services
    from bakti.registry.models import Household
    from bakti.registry.tests.factories import household as make

    obj = make(conftest.DESA_A, address="Jl. Kaliurang 1")
    return Subject(
        name="household",
        obj=obj,
        url=reverse("registry:household_edit", args=[obj.pk]),
        editor=cast.field_worker_a,
        other=cast.manager,
        field="address",
        save=lambda actor, fresh, version, value: services.household_update(
            actor=actor, household=fresh, data={"address": value}, expected_version=version
        ),
        read=lambda: Household.objects.get(pk=obj.pk).address,
        model=Household,
    )


def person(cast: Any) -> Subject:
    from bakti.registry import services
    from bakti.registry.models import Person
    from bakti.registry.tests.factories import household as make_household
    from bakti.registry.tests.factories import person as make

    obj = make(make_household(conftest.DESA_A), name="Siti Aminah", relationship="head")
    return Subject(
        name="person",
        obj=obj,
        url=reverse("registry:person_edit", args=[obj.pk]),
        editor=cast.field_worker_a,
        other=cast.manager,
        field="occupation",
        save=lambda actor, fresh, version, value: services.person_update(
            actor=actor, person=fresh, data={"occupation": value}, expected_version=version
        ),
        read=lambda: Person.objects.get(pk=obj.pk).occupation,
        model=Person,
    )


def case(cast: Any) -> Subject:
    from bakti.cases import services
    from bakti.cases.models import Case, CaseType
    from bakti.registry.tests.factories import household as make_household
    from bakti.registry.tests.factories import person as make_person

    someone = make_person(make_household(conftest.DESA_A), name="Wati", relationship="head")
    case_type = CaseType.objects.get_or_create(code="T-STALE", defaults={"name": "Type"})[0]
    obj = services.case_open(
        actor=cast.field_worker_a,
        case_type=case_type,
        person=someone,
        summary="Lansia tinggal sendiri",
    )
    return Subject(
        name="case",
        obj=obj,
        url=reverse("cases:case_edit", args=[obj.pk]),
        editor=cast.field_worker_a,
        other=cast.field_worker_a,  # the caseworker, e.g. on another device
        field="summary",
        save=lambda actor, fresh, version, value: services.case_update(
            actor=actor, case=fresh, data={"summary": value}, expected_version=version
        ),
        read=lambda: Case.objects.get(pk=obj.pk).summary,
        model=Case,
    )


def program(cast: Any) -> Subject:
    from bakti.programs import services
    from bakti.programs.models import Program
    from bakti.programs.tests.factories import program as make

    obj = make(cast, code="P-STALE", name="Program Lansia")
    return Subject(
        name="program",
        obj=obj,
        url=reverse("programs:program_edit", args=[obj.pk]),
        editor=cast.manager,
        other=cast.officer,
        field="name",
        save=lambda actor, fresh, version, value: services.program_update(
            actor=actor, program=fresh, data={"name": value}, expected_version=version
        ),
        read=lambda: Program.objects.get(pk=obj.pk).name,
        model=Program,
    )


def budget_line(cast: Any) -> Subject:
    from bakti.finance import services
    from bakti.finance.models import BudgetLine
    from bakti.finance.tests.factories import line

    obj = line(cast.department, "5000000", code="L-STALE")
    return Subject(
        name="budget line",
        obj=obj,
        url=reverse("finance:line_edit", args=[obj.pk]),
        editor=cast.finance,
        other=cast.manager,
        field="description",
        save=lambda actor, fresh, version, value: services.budget_line_update(
            actor=actor, line=fresh, data={"description": value}, expected_version=version
        ),
        read=lambda: BudgetLine.objects.get(pk=obj.pk).description,
        model=BudgetLine,
    )


def ticket(cast: Any) -> Subject:
    """A ticket's handling is its transitions: the officer resolves it with an outcome for the
    complainant while a colleague puts it on hold."""
    from bakti.community import services
    from bakti.community.models import Ticket
    from bakti.community.tests.factories import ticket as make

    obj = make(actor=cast.officer)
    obj = services.ticket_transition(
        actor=cast.officer, ticket=obj, action="start", expected_version=obj.version
    )

    def save(actor: Any, fresh: Any, version: int, value: str) -> Any:
        if value.startswith("hold:"):
            return services.ticket_transition(
                actor=actor,
                ticket=fresh,
                action="hold",
                note=value[5:],
                expected_version=version,
            )
        return services.ticket_transition(
            actor=actor, ticket=fresh, action="resolve", resolution=value, expected_version=version
        )

    return Subject(
        name="ticket",
        obj=obj,
        url=reverse("community:ticket_detail", args=[obj.pk]),
        editor=cast.officer,
        other=cast.manager,
        field="resolution",
        save=save,
        read=lambda: Ticket.objects.get(pk=obj.pk).resolution,
        model=Ticket,
        form_marker={"action": "resolve"},
    )


BUILDERS = {
    "household": household,
    "person": person,
    "case": case,
    "program": program,
    "budget_line": budget_line,
    "ticket": ticket,
}
