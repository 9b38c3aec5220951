"""IATI 2.03 export: programs as an ``iati-activities`` XML document.

Elements are written in the order the schema requires; codes come from the IATI codelists
(checked in the tests against ``../shared/standards/iati-2.03/codelists``). The results section
takes its numbers from the tracking table, so the donor sees what the department sees.

Configuration (environment): ``BAKTI_IATI_ORG_REF`` (the reporting organisation's IATI
identifier, default ``ID-DINSOS``), ``BAKTI_IATI_ORG_NAME``, ``BAKTI_IATI_ORG_TYPE`` (default
10, government), ``BAKTI_IATI_SECTOR`` (DAC 5-digit, default 16010 social protection).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree

from bakti.monitoring.tracking import tracking_table

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Program status → IATI ActivityStatus.
ACTIVITY_STATUS = {
    "draft": "1",
    "submitted": "1",
    "approved": "1",
    "active": "2",
    "closed": "4",
    "evaluated": "4",
}
# Funding source kind → IATI OrganisationType.
FUNDER_TYPE = {
    "apbn": "10",
    "apbd_province": "15",
    "apbd_district": "15",
    "csr": "70",
    "donor": "40",
    "community": "22",
}
UNIT_MEASURE = {"number": "1", "percentage": "2", "currency": "1"}


def org_ref() -> str:
    return os.environ.get("BAKTI_IATI_ORG_REF", "ID-DINSOS")


def org_name() -> str:
    return os.environ.get("BAKTI_IATI_ORG_NAME", "Dinas Sosial")


def org_type() -> str:
    return os.environ.get("BAKTI_IATI_ORG_TYPE", "10")


def sector_code() -> str:
    return os.environ.get("BAKTI_IATI_SECTOR", "16010")


def _sub(parent: etree._Element, tag: str, **attrs: Any) -> etree._Element:
    return etree.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})


def _narratives(parent: etree._Element, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        if text:
            narrative = _sub(parent, "narrative")
            narrative.set(XML_LANG, lang)
            narrative.text = text


def _both(message: str, **params: Any) -> dict[str, str]:
    """A generated sentence in Indonesian and English."""
    out = {}
    for lang in ("id", "en"):
        with translation.override(lang):
            out[lang] = _(message) % params
    return out


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def identifier(program: Any) -> str:
    code = re.sub(r"[^A-Za-z0-9._-]+", "-", program.code).strip("-")
    return f"{org_ref()}-{code}"


def iati_activities(programs: Iterable[Any]) -> bytes:
    """The ``iati-activities`` document of ``programs`` (UTF-8 bytes)."""
    root = etree.Element(
        "iati-activities",
        {
            "version": "2.03",
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        },
    )
    for program in programs:
        root.append(activity(program))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def activity(program: Any) -> etree._Element:
    element = etree.Element(
        "iati-activity",
        {
            "default-currency": program.currency or "IDR",
            "last-updated-datetime": program.updated_at.replace(microsecond=0).isoformat(),
        },
    )
    element.set(XML_LANG, "id")
    _sub(element, "iati-identifier").text = identifier(program)
    reporting = _sub(element, "reporting-org", ref=org_ref(), type=org_type())
    _narratives(reporting, {"id": org_name()})
    title = _sub(element, "title")
    _narratives(title, {"id": program.name, "en": program.name})
    description = _sub(element, "description", type="1")
    general = _both(
        gettext_noop("Social program %(code)s, run by %(unit)s from %(start)s to %(end)s."),
        code=program.code,
        unit=str(program.org_unit),
        start=program.start_date.isoformat(),
        end=program.end_date.isoformat(),
    )
    if program.description:
        general["id"] = f"{program.description}\n\n{general['id']}"
    _narratives(description, general)
    if program.strategy:
        objectives = _sub(element, "description", type="2")
        _narratives(objectives, {"id": program.strategy})

    funders = _funders(program)
    for name, kind in funders:
        funding = _sub(element, "participating-org", role="1", type=FUNDER_TYPE.get(kind, "90"))
        _narratives(funding, {"id": name})
    accountable = _sub(element, "participating-org", role="2", ref=org_ref(), type=org_type())
    _narratives(accountable, {"id": org_name()})
    implementing = _sub(element, "participating-org", role="4", ref=org_ref(), type=org_type())
    _narratives(implementing, {"id": str(program.org_unit)})

    _sub(element, "activity-status", code=ACTIVITY_STATUS.get(program.status, "2"))
    _sub(element, "activity-date", type="1", iso_date=program.start_date.isoformat())
    if program.status in ("active", "closed", "evaluated"):
        _sub(element, "activity-date", type="2", iso_date=program.start_date.isoformat())
    _sub(element, "activity-date", type="3", iso_date=program.end_date.isoformat())
    if program.status in ("closed", "evaluated"):
        _sub(element, "activity-date", type="4", iso_date=program.end_date.isoformat())

    _sub(element, "recipient-country", code="ID", percentage="100")
    for region in program.regions.all().order_by("code"):
        location = _sub(element, "location", ref=f"{identifier(program)}-{region.code}")
        _sub(location, "location-reach", code="1")
        name = _sub(location, "name")
        _narratives(name, {"id": region.name})
        place = _sub(location, "description")
        _narratives(
            place, _both(gettext_noop("Kemendagri region code %(code)s."), code=region.code)
        )
        _sub(location, "administrative", vocabulary="A4", level="0", code="ID")
        _sub(location, "exactness", code="2")
    _sub(element, "sector", vocabulary="1", code=sector_code(), percentage="100")

    for budget in _budgets(program):
        element.append(budget)
    for transaction in _transactions(program):
        element.append(transaction)
    for result in _results(program):
        element.append(result)
    return element


def _funders(program: Any) -> list[tuple[str, str]]:
    if not apps.is_installed("bakti.finance"):
        return []
    BudgetLine = apps.get_model("finance", "BudgetLine")
    rows = (
        BudgetLine.objects.filter(program=program)
        .values_list("funding_source__name", "funding_source__kind")
        .distinct()
        .order_by("funding_source__name")
    )
    return [(name, kind) for name, kind in rows if name]


def _budgets(program: Any) -> list[etree._Element]:
    """One budget per fiscal year (never longer than a year, as IATI requires), clipped to the
    program's dates: the original amount and, when revised, the revised one."""
    if not apps.is_installed("bakti.finance"):
        return []
    BudgetLine = apps.get_model("finance", "BudgetLine")
    rows = (
        BudgetLine.objects.filter(program=program)
        .values("fiscal_year__start_date", "fiscal_year__end_date")
        .annotate(original=Sum("original_amount"), current=Sum("amount"))
        .order_by("fiscal_year__start_date")
    )
    out = []
    for row in rows:
        start = max(row["fiscal_year__start_date"], program.start_date)
        end = min(row["fiscal_year__end_date"], program.end_date)
        if end < start:
            start, end = row["fiscal_year__start_date"], row["fiscal_year__end_date"]
        kinds = [("1", row["original"])]
        if row["current"] != row["original"]:
            kinds.append(("2", row["current"]))
        for budget_type, amount in kinds:
            budget = etree.Element("budget", {"type": budget_type, "status": "2"})
            _sub(budget, "period-start", iso_date=start.isoformat())
            _sub(budget, "period-end", iso_date=end.isoformat())
            value = _sub(budget, "value", value_date=start.isoformat(), currency="IDR")
            value.text = _number(amount or Decimal("0"))
            out.append(budget)
    return out


def _transactions(program: Any) -> list[etree._Element]:
    """Approved expenditures (realisasi) as IATI expenditure transactions (type 4)."""
    if not apps.is_installed("bakti.finance"):
        return []
    Expenditure = apps.get_model("finance", "Expenditure")
    out = []
    for expenditure in (
        Expenditure.objects.filter(line__program=program, status="approved")
        .only("date", "amount_idr", "description", "reference")
        .order_by("date", "pk")
    ):
        transaction = etree.Element("transaction")
        if expenditure.reference:
            transaction.set("ref", expenditure.reference)
        _sub(transaction, "transaction-type", code="4")
        _sub(transaction, "transaction-date", iso_date=expenditure.date.isoformat())
        value = _sub(transaction, "value", value_date=expenditure.date.isoformat(), currency="IDR")
        value.text = _number(expenditure.amount_idr)
        if expenditure.description:
            description = _sub(transaction, "description")
            _narratives(description, {"id": expenditure.description})
        out.append(transaction)
    return out


def _result_type(program: Any, tier: int) -> str:
    if tier == 1:
        return "3"  # impact (goal)
    if tier == program.output_tier:
        return "1"  # output
    if tier == 2:
        return "2"  # outcome
    return "9"


def _results(program: Any) -> list[etree._Element]:
    table = tracking_table(program, as_of=timezone.localdate())
    by_result: dict[int, list[Any]] = defaultdict(list)
    for track in table.indicators:
        by_result[track.indicator.result_id].append(track)
    out = []
    for tracks in by_result.values():
        node = tracks[0].indicator.result
        result = etree.Element("result", {"type": _result_type(program, node.tier)})
        title = _sub(result, "title")
        _narratives(title, {"id": node.statement})
        for track in tracks:
            ascending = "0" if track.direction == "decrease" else "1"
            indicator = _sub(
                result, "indicator", measure=UNIT_MEASURE.get(track.unit, "1"), ascending=ascending
            )
            indicator_title = _sub(indicator, "title")
            _narratives(indicator_title, {"id": f"{track.code} {track.name}"})
            if track.indicator.definition:
                description = _sub(indicator, "description")
                _narratives(description, {"id": track.indicator.definition})
            if track.baseline is not None:
                year = (track.baseline_date or program.start_date).year
                attrs = {"year": str(year), "value": _number(track.baseline)}
                if track.baseline_date:
                    attrs["iso-date"] = track.baseline_date.isoformat()
                etree.SubElement(indicator, "baseline", attrs)
            for index, cell in enumerate(track.periods):
                if cell.target is None and cell.actual is None:
                    continue
                period = _sub(indicator, "period")
                _sub(period, "period-start", iso_date=cell.start.isoformat())
                _sub(period, "period-end", iso_date=cell.end.isoformat())
                if cell.target is not None:
                    _sub(period, "target", value=_number(cell.target))
                if cell.actual is not None:
                    _sub(period, "actual", value=_number(cell.actual))
                    for row in track.disaggregations:
                        value = row.periods[index]
                        if value is not None:
                            actual = _sub(period, "actual", value=_number(value))
                            _sub(actual, "dimension", name=row.dimension, value=row.category)
        out.append(result)
    return out
