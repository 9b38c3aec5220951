"""The pre-aggregated "people reached" rows give exactly the numbers of COUNT(DISTINCT …) over
the deliveries themselves: for every window the pages use and for awkward ones, after
deliveries are recorded through the services, after one is removed, and after a rebuild."""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q

from bakti.monitoring.rules import people_breakdown
from bakti.monitoring.tests.factories import make_program
from bakti.reports.data import coverage_by_kabupaten, people_reached
from bakti.reports.documents import _reached_per_program
from bakti.reports.models import Reach
from bakti.reports.rollups import reach_rebuild, reach_refresh

pytest.importorskip("bakti.delivery.models")

DESAS = ["34.04.01.2001", "34.04.02.2001"]
D = dt.date


# --- the old computation, straight over the deliveries (the reference) -------------------------


def reference_people(program_ids, start, end):
    from bakti.delivery.models import ServiceDelivery
    from bakti.registry.models import Person

    deliveries = ServiceDelivery.objects.filter(
        program_id__in=program_ids, delivered_on__gte=start, delivered_on__lte=end
    )
    return Person.objects.filter(
        Q(id__in=deliveries.filter(person__isnull=False).values("person_id"))
        | Q(
            household_id__in=deliveries.filter(person__isnull=True, household__isnull=False).values(
                "household_id"
            )
        )
    )


def reference_per_program(program_ids, start, end):
    counts = {p: reference_people([p], start, end).count() for p in program_ids}
    return {p: n for p, n in counts.items() if n}


def reference_finance(start, end, group, **filters):
    """People reached per program or output: named on a delivery of it, or living in a
    household served by one as a whole."""
    from bakti.delivery.models import ServiceDelivery
    from bakti.registry.models import Person

    base = ServiceDelivery.objects.filter(
        delivered_on__gte=start, delivered_on__lte=end, **filters
    ).order_by()
    out: dict = {}
    for key in set(base.values_list(group, flat=True)):
        mine = base.filter(**{group: key})
        people = Person.objects.filter(
            Q(id__in=mine.filter(person__isnull=False).values("person_id"))
            | Q(household_id__in=mine.filter(person__isnull=True).values("household_id"))
        )
        out[key] = people.count()
    return out


DIMENSIONS = ["sex", "age_group", "disability", "region"]


def assert_same(program_ids, start, end):
    expected = reference_people(program_ids, start, end)
    reached = people_reached(program_ids, start, end)
    assert reached.total == expected.count(), (start, end)
    counts = {(b.dimension, code): n for b in reached.breakdowns for code, _label, n in b.rows if n}
    assert counts == people_breakdown(expected, DIMENSIONS, end), (start, end)
    assert _reached_per_program(program_ids, start, end) == reference_per_program(
        program_ids, start, end
    ), (start, end)
    by_kabupaten: dict[str, int] = {}
    for region in expected.values_list("region_id", flat=True):
        code = ".".join(region.split(".")[:2])
        by_kabupaten[code] = by_kabupaten.get(code, 0) + 1
    assert {r.code: r.reached for r in coverage_by_kabupaten(program_ids, start, end)} == (
        by_kabupaten
    )


def assert_tally_is_a_rebuild():
    """The tally kept by the writes equals the one a rebuild counts from scratch."""
    from bakti.reports.models import ReachTally

    def read():
        return {
            tuple(row[:-1]): row[-1]
            for row in ReachTally.objects.values_list(
                "scope", "ref", "year", "period", "dimension", "code", "n"
            )
            if row[-1]
        }

    kept = read()
    reach_rebuild()
    assert kept == read()


# --- a world with many people, households and deliveries over two years ------------------------


@pytest.fixture
def world(cast):
    from bakti.delivery.models import ServiceType
    from bakti.programs.models import Activity
    from bakti.registry.models import Enrolment, Household, Person

    rng = random.Random(7)
    programs = [
        make_program(
            cast.department, code="PKH-1", manager=cast.manager, start_date=D(2025, 3, 10)
        ),
        make_program(
            cast.department, code="BPNT-2", manager=cast.manager, start_date=D(2025, 1, 1)
        ),
    ]
    services = {
        p.pk: ServiceType.objects.create(
            program=p, code=f"S{p.pk}", name="Food", category="food", unit="package"
        )
        for p in programs
    }
    activities = {p.pk: list(Activity.objects.filter(output__program=p)) for p in programs}
    homes = []
    for number in range(24):
        desa = DESAS[number % 2]
        home = Household.objects.create(no_kk=f"3404{number:012d}", region_id=desa)
        members = [
            Person.objects.create(
                full_name=f"Member {number}-{i}",
                sex=rng.choice("FM"),
                birth_date=D(rng.randint(1940, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                has_disability=rng.random() < 0.2,
                household=home,
                region_id=desa,
            )
            for i in range(rng.randint(1, 5))
        ]
        homes.append((home, members))
    enrolments = {}
    for program in programs:
        for home, _members in homes:
            enrolments[(program.pk, home.pk)] = Enrolment.objects.create(
                program=program, household=home, region_id=home.region_id, status="enrolled"
            )
    return {
        "rng": rng,
        "programs": programs,
        "services": services,
        "activities": activities,
        "homes": homes,
        "enrolments": enrolments,
    }


def deliver(world, program, home, person, day, activity=None):
    from bakti.delivery.models import ServiceDelivery

    return ServiceDelivery.objects.create(
        enrolment=world["enrolments"][(program.pk, home.pk)],
        program=program,
        service_type=world["services"][program.pk],
        activity=activity,
        household=home,
        person=person,
        region_id=home.region_id,
        quantity=1,
        value=Decimal("150000"),
        delivered_on=day,
    )


def scatter(world, n):
    rng = world["rng"]
    made = []
    for _ in range(n):
        program = rng.choice(world["programs"])
        home, members = rng.choice(world["homes"])
        person = None if rng.random() < 0.25 else rng.choice(members)
        day = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(730))
        made.append(deliver(world, program, home, person, day))
    return made


def windows(world):
    """The pages' windows (year to date at each quarter's end, program start to each quarter's
    end, fiscal years) and awkward ones (inside one month, across a year boundary)."""
    out = []
    for year in (2025, 2026):
        for month in (3, 6, 9, 12):
            end = (D(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
            out.append((D(year, 1, 1), end))
            for program in world["programs"]:
                out.append((program.start_date, end))
        out.append((D(year, 1, 1), D(year, 12, 31)))
    out += [
        (D(2025, 5, 10), D(2025, 5, 20)),
        (D(2025, 11, 15), D(2026, 2, 14)),
        (D(2025, 2, 1), D(2025, 2, 1)),
        (D(2026, 7, 4), D(2026, 9, 17)),
    ]
    return out


def everything():
    """Every program: the portfolio of a reader who sees them all (read from the tally)."""
    from bakti.programs.models import Program

    return list(Program.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_rollup_counts_equal_count_distinct_over_deliveries(world) -> None:
    scatter(world, 400)
    reach_rebuild()
    ids = [p.pk for p in world["programs"]]
    assert Reach.objects.count() > 0
    for start, end in windows(world):
        assert_same(ids, start, end)
        assert_same(ids[:1], start, end)
        assert_same(everything(), start, end)


@pytest.mark.django_db
def test_a_person_served_before_and_after_a_window_but_not_in_it_is_not_counted(world) -> None:
    program = world["programs"][0]
    home, (person, *_rest) = world["homes"][0]
    deliver(world, program, home, person, D(2026, 2, 1))
    deliver(world, program, home, person, D(2026, 11, 1))
    other_home, others = world["homes"][1]
    deliver(world, program, other_home, None, D(2026, 1, 5))
    deliver(world, program, other_home, None, D(2026, 12, 5))
    reach_rebuild()
    assert people_reached([program.pk], D(2026, 4, 1), D(2026, 6, 30)).total == 0
    assert_same([program.pk], D(2026, 4, 1), D(2026, 6, 30))
    deliver(world, program, home, person, D(2026, 5, 5))  # now one inside the window
    deliver(world, program, other_home, None, D(2026, 6, 30))
    reach_rebuild()
    assert people_reached([program.pk], D(2026, 4, 1), D(2026, 6, 30)).total == 1 + len(others)
    assert_same([program.pk], D(2026, 4, 1), D(2026, 6, 30))


@pytest.mark.django_db
def test_refresh_after_each_write_and_after_a_removal_equals_a_rebuild(world) -> None:
    ids = [p.pk for p in world["programs"]]
    made = []
    for _ in range(8):
        batch = scatter(world, 25)
        reach_refresh(deliveries=batch)
        made += batch
    for start, end in windows(world)[::3]:
        assert_same(ids, start, end)
    # Removing deliveries (a correction): the rows of those people are recomputed.
    removed = made[::7]
    for delivery in removed:
        delivery.delete()
    reach_refresh(deliveries=removed)
    for start, end in windows(world):
        assert_same(ids, start, end)
        assert_same(everything(), start, end)
    columns = ("program_id", "activity_id", "person_id", "via_household_id", "year", "first_on")
    incremental = Counter(Reach.objects.values_list(*columns, "last_on"))
    assert_tally_is_a_rebuild()
    assert incremental == Counter(Reach.objects.values_list(*columns, "last_on"))


@pytest.mark.django_db
def test_the_delivery_services_keep_the_rollup(world, cast) -> None:
    from bakti.delivery.models import ServiceDelivery
    from bakti.delivery.services import deliveries_bulk_record, delivery_record

    program = world["programs"][0]
    home, members = world["homes"][2]
    delivery_record(
        actor=cast.manager,
        enrolment=world["enrolments"][(program.pk, home.pk)],
        service_type=world["services"][program.pk],
        quantity=Decimal(1),
        delivered_on=D(2026, 4, 2),
        person=members[0],
    )
    assert people_reached([program.pk], D(2026, 1, 1), D(2026, 6, 30)).total == 1
    other, others = world["homes"][3]
    rows = [
        ServiceDelivery(
            enrolment=world["enrolments"][(program.pk, other.pk)],
            service_type=world["services"][program.pk],
            household=other,
            person=None,
            region_id=other.region_id,
            quantity=Decimal(1),
            value=Decimal("1"),
            delivered_on=D(2026, 5, 1),
        )
    ]
    deliveries_bulk_record(actor=cast.manager, deliveries=rows)
    assert people_reached([program.pk], D(2026, 1, 1), D(2026, 6, 30)).total == 1 + len(others)
    assert_same([program.pk], D(2026, 1, 1), D(2026, 6, 30))


@pytest.mark.django_db
def test_cost_per_beneficiary_counts_equal_the_deliveries(world) -> None:
    from django.apps import apps

    if not apps.is_installed("bakti.finance"):
        pytest.skip("finance is not installed")
    from bakti.finance.analysis import _reached
    from bakti.finance.models import FiscalYear
    from bakti.monitoring.tests.factories import make_output
    from bakti.programs.models import Activity, Result

    program = world["programs"][0]
    first = make_output(program)
    second = Result.objects.create(
        program=program, parent=first.parent, tier=3, code="1.1.2", statement="Second output"
    )
    activities = [
        Activity.objects.create(
            program=program,
            output=output,
            name=f"Activity {n}",
            planned_start=D(2025, 1, 1),
            planned_end=D(2026, 12, 31),
        )
        for n, output in enumerate([first, first, second])
    ]
    rng = world["rng"]
    for delivery in scatter(world, 300):
        if delivery.program_id == program.pk and rng.random() < 0.8:
            delivery.activity = rng.choice(activities)
            delivery.save(update_fields=["activity"])
    reach_rebuild()
    ids = [p.pk for p in world["programs"]]
    outputs = [first.pk, second.pk]
    for year_number in (2025, 2026):
        year = FiscalYear(
            year=year_number, start_date=D(year_number, 1, 1), end_date=D(year_number, 12, 31)
        )
        assert _reached(year, program__in=ids, group="program_id") == reference_finance(
            year.start_date, year.end_date, "program_id", program__in=ids
        )
        by_output = _reached(year, activity__output__in=outputs, group="activity__output_id")
        assert by_output == reference_finance(
            year.start_date,
            year.end_date,
            "activity__output_id",
            activity__output__in=outputs,
        )
        assert sum(by_output.values()) > 0
    # A fiscal year that is not the calendar year, and a window with spanning rows.
    odd = FiscalYear(year=2025, start_date=D(2025, 4, 1), end_date=D(2026, 3, 31))
    assert _reached(odd, activity__output__in=outputs, group="activity__output_id") == (
        reference_finance(
            odd.start_date, odd.end_date, "activity__output_id", activity__output__in=outputs
        )
    )
    short = FiscalYear(year=2026, start_date=D(2026, 5, 10), end_date=D(2026, 6, 20))
    assert _reached(short, activity__output__in=outputs, group="activity__output_id") == (
        reference_finance(
            short.start_date, short.end_date, "activity__output_id", activity__output__in=outputs
        )
    )


@pytest.mark.django_db
def test_rebuild_command(world) -> None:
    import io

    scatter(world, 50)
    out = io.StringIO()
    call_command("reports", "rebuild-rollups", stdout=out)
    assert f"{Reach.objects.count()} rollup rows rebuilt" in out.getvalue()
    assert Reach.objects.count() > 0


@pytest.mark.django_db
def test_person_merge_moves_the_rollup_rows_with_the_deliveries(world, cast) -> None:
    from bakti.registry.dedup.services import person_merge
    from bakti.registry.models import DuplicateCandidate

    program = world["programs"][0]
    home, (first, *_rest) = world["homes"][0]
    other_home, (second, *_others) = world["homes"][5]
    deliver(world, program, home, first, D(2026, 3, 3))
    deliver(world, program, other_home, second, D(2026, 3, 4))
    reach_rebuild()
    candidate = DuplicateCandidate.objects.create(
        person_a=min(first, second, key=lambda p: p.pk),
        person_b=max(first, second, key=lambda p: p.pk),
        score=0.99,
        region_id=first.region_id,
    )
    person_merge(actor=cast.admin, candidate=candidate, keep=first)
    assert_same([program.pk], D(2026, 1, 1), D(2026, 12, 31))
    assert people_reached([program.pk], D(2026, 1, 1), D(2026, 12, 31)).total == 1


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_people_or_deliveries(client, cast, world) -> None:
    """The portfolio and the program page run the same number of queries with 40 and with 400
    deliveries (and more people reached)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    program = world["programs"][0]
    client.force_login(cast.head)
    urls = ["/reports/?quarter=2026-Q4", f"/reports/programs/{program.pk}/?quarter=2026-Q4"]

    def queries() -> list[int]:
        counts = []
        for url in urls:
            client.get(url, secure=True)  # warm caches (session, navigation)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url, secure=True)
            assert response.status_code == 200, url
            counts.append(len(captured.captured_queries))
        return counts

    reach_refresh(deliveries=scatter(world, 40))
    few = queries()
    reached_few = people_reached([program.pk], program.start_date, D(2026, 12, 31)).total
    reach_refresh(deliveries=scatter(world, 400))
    assert people_reached([program.pk], program.start_date, D(2026, 12, 31)).total > reached_few
    assert queries() == few


@pytest.mark.django_db
def test_the_registry_services_keep_the_rollup_when_people_change(world, cast) -> None:
    """Corrections, moves, new members, a household's new desa, a merge and its undo and an
    anonymisation change who is reached or how they are counted: the counts follow each one."""
    from django.apps import apps

    from bakti.registry import services
    from bakti.registry.dedup.services import person_merge, person_merge_undo
    from bakti.registry.models import DuplicateCandidate

    scatter(world, 300)
    reach_rebuild()
    ids = [p.pk for p in world["programs"]]
    served = {
        d.household_id
        for d in __import__("bakti.delivery.models").delivery.models.ServiceDelivery.objects.filter(
            person__isnull=True
        )
    }
    (home, members), (other, others) = [h for h in world["homes"] if h[0].pk in served][:2]

    def check() -> None:
        for start, end in windows(world)[::4]:
            assert_same(everything(), start, end)
            assert_same(ids[:1], start, end)
        assert_tally_is_a_rebuild()

    person = members[0]
    services.person_update(
        actor=None,
        person=person,
        data={"sex": "M" if person.sex == "F" else "F", "birth_date": D(1950, 6, 30)},
    )
    check()
    services.person_move(actor=None, person=others[0], to_household=home, on=D(2026, 1, 5))
    check()
    services.person_create(
        actor=None, full_name="Bayi Baru", sex="F", household=other, birth_date=D(2026, 2, 2)
    )
    check()
    services.household_update(actor=None, household=home, data={"region": DESAS[1]})
    check()
    first, second = members[-1], others[-1]
    candidate = DuplicateCandidate.objects.create(
        person_a=min(first, second, key=lambda p: p.pk),
        person_b=max(first, second, key=lambda p: p.pk),
        score=0.99,
        region_id=first.region_id,
    )
    merge = person_merge(actor=cast.admin, candidate=candidate, keep=first)
    check()
    person_merge_undo(actor=cast.admin, merge=merge)
    check()
    if apps.is_installed("bakti.privacy.pdp"):
        from bakti.privacy.pdp.subjects import person_anonymise
        from bakti.registry.models import Enrolment

        # The program ended for the household; its record may then be anonymised.
        Enrolment.objects.filter(household=home).update(status="exited")
        person_anonymise(actor=cast.admin, person=person, reason="retention period over")
        check()


@pytest.mark.django_db
def test_a_nightly_job_rebuilds_what_a_write_past_the_services_left_behind(world) -> None:
    from bakti.core.schedule import periodic_jobs
    from bakti.reports.tasks import rebuild_rollups

    assert "bakti.reports.tasks.rebuild_rollups" in {job.task for job in periodic_jobs()}
    scatter(world, 60)  # written straight to the table: the rollup knows nothing of them
    assert people_reached(everything(), D(2025, 1, 1), D(2025, 12, 31)).total == 0
    rebuild_rollups.call()
    assert_same(everything(), D(2025, 1, 1), D(2025, 12, 31))
    assert people_reached(everything(), D(2025, 1, 1), D(2025, 12, 31)).total > 0
