"""The IATI export passes the official 2.03 XSD and every code is in its codelist."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from bakti.reports.iati import iati_activities

STANDARD = Path(settings.PROJECT_DIR).parent / "shared" / "standards" / "iati-2.03"

pytestmark = pytest.mark.skipif(
    not (STANDARD / "iati-activities-schema.xsd").exists(),
    reason=f"the IATI 2.03 schema folder is not beside the project ({STANDARD})",
)

# (XPath of the attribute, codelist file)
CODED = [
    ("//reporting-org/@type", "OrganisationType"),
    ("//participating-org/@type", "OrganisationType"),
    ("//participating-org/@role", "OrganisationRole"),
    ("//activity-status/@code", "ActivityStatus"),
    ("//activity-date/@type", "ActivityDateType"),
    ("//description/@type", "DescriptionType"),
    ("//recipient-country/@code", "Country"),
    ("//sector/@code", "Sector"),
    ("//sector/@vocabulary", "SectorVocabulary"),
    ("//location-reach/@code", "GeographicLocationReach"),
    ("//administrative/@vocabulary", "GeographicVocabulary"),
    ("//exactness/@code", "GeographicExactness"),
    ("//budget/@type", "BudgetType"),
    ("//budget/@status", "BudgetStatus"),
    ("//transaction-type/@code", "TransactionType"),
    ("//result/@type", "ResultType"),
    ("//indicator/@measure", "IndicatorMeasure"),
    ("//@currency", "Currency"),
    ("//iati-activity/@default-currency", "Currency"),
    ("//@xml:lang", "Language"),
]


def codelist(name: str) -> set[str]:
    tree = etree.parse(str(STANDARD / "codelists" / f"{name}.xml"))
    return {code.text for code in tree.iter("code")}


def check(document: bytes) -> etree._ElementTree:
    schema = etree.XMLSchema(etree.parse(str(STANDARD / "iati-activities-schema.xsd")))
    tree = etree.fromstring(document).getroottree()
    schema.assertValid(tree)
    namespaces = {"xml": "http://www.w3.org/XML/1998/namespace"}
    for path, name in CODED:
        allowed = codelist(name)
        for value in tree.xpath(path, namespaces=namespaces):
            assert str(value) in allowed, f"{path} = {value!r} is not in the {name} codelist"
    return tree


def test_program_with_budget_results_and_transactions_is_valid(cast, funded):
    tree = check(iati_activities([funded]))
    activity = tree.find("iati-activity")
    assert activity.findtext("iati-identifier").endswith("-PKH-1")
    assert activity.findtext("iati-identifier").startswith(
        activity.find("reporting-org").get("ref") + "-"
    )
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang") for n in activity.find("title")}
    assert langs == {"id", "en"}
    assert activity.find("sector").get("code") == "16010"
    if tree.find(".//transaction") is not None:
        values = [t.findtext("value") for t in activity.iter("transaction")]
        assert values == ["25000000", "35000000"]  # only approved expenditures
        assert activity.find("budget/value").text == "100000000"
    indicator = next(
        i for i in activity.iter("indicator") if i.findtext("title/narrative").startswith("OUT-1")
    )
    first = indicator.find("period")
    assert first.find("target").get("value") == "100"
    actuals = first.findall("actual")
    assert actuals[0].get("value") == "80"
    assert {(a.find("dimension").get("value"), a.get("value")) for a in actuals[1:]} == {
        ("F", "50"),
        ("M", "30"),
    }


def test_a_program_without_anything_is_still_valid(cast):
    from bakti.monitoring.tests.factories import make_program

    program = make_program(cast.department, code="EMPTY 1", status="draft")
    program.start_date = dt.date(2026, 1, 1)
    check(iati_activities([program]))


def test_export_of_every_program_through_the_page_and_api(client, cast, funded):
    client.force_login(cast.head)
    response = client.get("/reports/iati/")
    assert response.status_code == 200
    check(response.content)
    api = client.get(f"/api/v1/reports/iati?program={funded.pk}")
    assert api.status_code == 200
    tree = check(api.content)
    assert len(tree.findall("iati-activity")) == 1


def test_command_writes_the_file(tmp_path, cast, funded):
    from django.core.management import call_command

    out = tmp_path / "iati.xml"
    call_command("export_iati", "--program", "PKH-1", "-o", str(out))
    check(out.read_bytes())


def test_every_demo_program_passes(db):
    """The demo programs (with their demo budgets and spending) each pass the XSD and the
    codelists, alone and together."""
    from django.apps import apps as django_apps

    from conftest import make_regions

    make_regions()

    from bakti.accounts import demo as accounts_demo
    from bakti.core.demo import DemoContext
    from bakti.programs import demo as programs_demo
    from bakti.programs.models import Program

    ctx = DemoContext(password="a-Demo-password-1")
    accounts_demo.load(ctx)
    programs_demo.load(ctx)
    if django_apps.is_installed("bakti.finance"):
        from bakti.finance import demo as finance_demo

        finance_demo.load(ctx)
    from bakti.monitoring import demo as monitoring_demo

    monitoring_demo.load(ctx)
    programs = list(Program.objects.filter(code__in=ctx.shared["programs"]).order_by("code"))
    assert len(programs) >= 6
    for program in programs:
        tree = check(iati_activities([program]))
        assert tree.find("iati-activity/result") is not None, program.code
    check(iati_activities(programs))
