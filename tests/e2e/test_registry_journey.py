"""Journey 2: an officer imports a registry file with some bad rows, downloads the error report,
fixes the rows and imports the file again (updates, no duplicates, nothing rejected); runs the
scoring scheme; simulates targeting for a program, reads the what-if table and applies it; the
manager approves the enrolment proposals and they show as enrolled. Real chromium through
Playwright against a real server; the import and scoring jobs run through the task backend the
pages enqueue them on."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone

from bakti.registry.importing.layouts import BAKTI_COLUMNS
from bakti.registry.importing.sample import sample_rows
from conftest import DESA_A, DESA_A2

pytestmark = pytest.mark.browser

HOUSEHOLDS = 6
# Desil of each household, in file order: two of them (desil 2 and 3) are poor enough for the
# program's rule "desil at most 4"; moving the threshold in the what-if table changes that.
DESIL = ["2", "7", "3", "9", "6", "10"]
# Bad cells planted in three members' rows: a NIK one digit short, a date that does not
# exist, a sex that is neither L nor P.
BAD = {"nik": lambda nik: nik[:15], "birth_date": lambda _v: "31-02-1980", "sex": lambda _v: "X"}


def _rows() -> list[dict[str, str]]:
    rows = []
    household = -1
    last_kk = None
    for values in sample_rows(HOUSEHOLDS, [DESA_A, DESA_A2], seed=11):
        row = dict(zip(BAKTI_COLUMNS, values, strict=True))
        if row["no_kk"] != last_kk:
            household += 1
            last_kk = row["no_kk"]
        row["desil"] = DESIL[household]
        rows.append(row)
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=BAKTI_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _plant_bad_rows(rows: list[dict[str, str]]) -> list[tuple[int, str, str]]:
    """Spoil one cell in three members' rows (never a head's); return (file row, column, value),
    the file row counting the header as row 1."""
    members = [i for i, row in enumerate(rows) if row["relationship"] != "head"]
    assert len(members) >= 3, "the sample needs at least three non-head members"
    planted = []
    for index, (column, spoil) in zip(members[:3], BAD.items(), strict=True):
        rows[index][column] = spoil(rows[index][column])
        planted.append((index + 2, column, rows[index][column]))
    return planted


def _import(page, base: str, name: str, content: bytes, shot=None, prefix: str = "") -> None:
    page.goto(f"{base}/registry/imports/")
    page.locator("main a[href='/registry/imports/new/']").first.click()
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    if shot:
        shot(page, f"{prefix}registry-import-upload")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/columns/")
    # The Bakti layout is recognised: every column is already mapped.
    assert page.locator("#id_col_0").input_value() == "no_kk"
    if shot:
        shot(page, f"{prefix}registry-import-columns")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/registry/imports/*/")
    page.locator("#progress").wait_for()


def _summary(page) -> dict[str, str]:
    terms = page.locator("#progress dl dt").all_inner_texts()
    values = page.locator("#progress dl dd").all_inner_texts()
    return {t.strip(): v.split("·")[0].strip() for t, v in zip(terms, values, strict=True)}


def test_officer_imports_scores_targets_and_manager_approves_the_enrolments(
    live_server, live_cast, page, browser, login, shot, csp_violations
) -> None:
    from bakti.programs.models import Program, ProgramType
    from bakti.registry import scoring, services
    from bakti.registry.models import (
        Enrolment,
        EnrolmentStatus,
        Household,
        HouseholdScore,
        ImportJob,
        Person,
    )

    cast = live_cast
    base = live_server.url
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)
    page.on("dialog", lambda dialog: dialog.accept())
    # A program like the demo's, run by the officer's division, and the department's scoring
    # scheme (a points scheme on desil and the household's size and young children).
    program = Program.objects.create(
        code="ASPD-2026",
        name="Asistensi Sosial Keluarga Rentan",
        program_type=ProgramType.objects.first() or ProgramType.objects.create(code="t", name="T"),
        org_unit=cast.division_rehsos,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
        status="active",
    )
    scheme = scoring.scoring_scheme_create(
        actor=cast.manager,
        name="Skor kerentanan",
        formula="points",
        variables=[
            {"variable": "desil", "bands": [{"max": 5, "points": 10}]},
            {"variable": "member_count", "bands": [{"min": 4, "points": 5}]},
            {"variable": "children_under_6", "bands": [{"min": 1, "points": 5}]},
        ],
        status="active",
    )

    rows = _rows()
    planted = _plant_bad_rows(rows)
    good = len(rows) - len(planted)

    # 1. The officer imports the file; three rows are refused, the others written.
    login(page, cast.officer)
    _import(page, base, "dtks-gamping.csv", _csv(rows), shot)
    summary = _summary(page)
    shot(page, "registry-import-errors")
    assert summary["Baris ditolak"] == "3", summary
    job = ImportJob.objects.get()
    assert job.rejected_rows == 3 and job.created_people == good
    assert Person.objects.count() == good
    assert Household.objects.count() == HOUSEHOLDS

    # 2. The error report names each bad row, its column, the value and why.
    with page.expect_download() as download:
        page.locator(f"a[href='/registry/imports/{job.pk}/errors.csv']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    report = list(csv.reader(io.StringIO(text)))
    assert [h.lower() for h in report[0]] == ["baris", "kolom", "nilai", "alasan"], report[0]
    found = {(int(r[0]), r[1], r[2]) for r in report[1:]}
    assert found == set(planted), (found, planted)
    assert all(r[3].strip() for r in report[1:]), "every rejected row says why"

    # 3. The officer corrects the three rows and imports the whole file again: the rows already
    # written are updated, the corrected ones added, nothing duplicated and nothing refused.
    fixed = _rows()
    _import(page, base, "dtks-gamping-perbaikan.csv", _csv(fixed))
    summary = _summary(page)
    shot(page, "registry-import-reimport")
    assert summary["Baris ditolak"] == "0", summary
    again = ImportJob.objects.latest("pk")
    assert again.rejected_rows == 0
    assert again.created_households == 0
    assert again.created_people == 3
    assert Person.objects.count() == len(fixed)
    assert Household.objects.count() == HOUSEHOLDS
    assert Person.objects.values("nik").distinct().count() == len(fixed), (
        "a person was imported twice"
    )

    # 4. The officer runs the scoring scheme over the registry.
    page.goto(f"{base}/registry/scoring/")
    page.locator(f"main a[href='/registry/scoring/{scheme.pk}/']").first.click()
    page.locator(f"form[action='/registry/scoring/{scheme.pk}/run/'] button").click()
    page.wait_for_load_state()
    page.locator(".progress-bar", has_text="100%").first.wait_for()
    shot(page, "registry-scoring-run")
    scheme.refresh_from_db()
    assert HouseholdScore.objects.filter(run=scheme.current_run).count() == HOUSEHOLDS

    # 5. Targeting: desil at most 4, Rp 300.000 per household per quarter.
    page.goto(f"{base}/registry/targeting/")
    page.locator("main a[href='/registry/targeting/new/']").first.click()
    page.locator("#id_program").select_option(value=str(program.pk))
    page.locator("#id_name").fill("Keluarga desil 1-4 Gamping")
    page.locator("#id_scoring_scheme").select_option(value=str(scheme.pk))
    page.locator("#id_benefit_amount").fill("300000")
    page.locator("#id_periods_per_year").fill("4")
    page.locator("#id_budget_amount").fill("50000000")
    page.locator("#id_desil_at_most").fill("4")
    shot(page, "registry-targeting-form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/registry/targeting/*/")
    shot(page, "registry-targeting-simulation")
    qualifying = Household.objects.filter(desil__lte=4)
    assert qualifying.count() == 2
    cards = page.locator("main .fs-4").all_inner_texts()
    assert cards[0].strip() == "2", cards
    # The what-if table: one row per desil threshold, the current one marked.
    what_if = page.locator("main table").last
    current = what_if.locator("tr.table-primary td").all_inner_texts()
    assert current[:2] == ["4", "2"], current
    assert what_if.locator("tbody tr").count() == 10
    everyone = what_if.locator("tbody tr").last.locator("td").all_inner_texts()
    assert everyone[:2] == ["10", str(HOUSEHOLDS)], everyone

    # Apply: proposals for the two households.
    page.locator("form[action$='/apply/'] button").click()
    page.wait_for_url("**/registry/enrolments/**")
    shot(page, "registry-enrolments-proposed")
    proposals = Enrolment.objects.filter(program=program, status=EnrolmentStatus.PROPOSED)
    assert proposals.count() == 2
    assert set(proposals.values_list("household_id", flat=True)) == set(
        qualifying.values_list("pk", flat=True)
    )

    # The heads gave their consent for enrolment at the household visit (recorded on the
    # person's page; the consent form has its own tests).
    for household in qualifying:
        services.consent_give(
            actor=cast.officer,
            person=household.head,
            purpose="enrolment",
            given_on=timezone.localdate(),
        )

    # 6. The manager ticks the proposals and approves them.
    page.get_by_role("button", name="Keluar").click()
    login(page, cast.manager)
    page.goto(f"{base}/registry/enrolments/?program={program.pk}&status=proposed")
    for box in page.locator("input[name=enrolment]").all():
        box.check()
    shot(page, "registry-enrolments-approve")
    page.locator("form[action='/registry/enrolments/approve/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert Enrolment.objects.filter(program=program, status=EnrolmentStatus.ENROLLED).count() == 2

    # The enrolments show as enrolled in the program's list.
    page.goto(f"{base}/registry/enrolments/?program={program.pk}")
    table = page.locator("#results table")
    statuses = table.locator("tbody tr td:nth-child(6)").all_inner_texts()
    assert statuses == ["Terdaftar", "Terdaftar"], statuses
    shot(page, "registry-enrolments-enrolled")
    assert csp_violations == []
