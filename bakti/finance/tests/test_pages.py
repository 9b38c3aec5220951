"""The pages: recording, approving, revising and planning through the forms."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bakti.finance import ledger, services
from bakti.finance.models import BudgetLine, DisbursementPlan, EntryStatus, Expenditure

from . import factories


def test_a_finance_officer_records_in_indonesian_money_format_with_evidence(client, cast):
    line = factories.line(cast.department, "5000000")
    client.force_login(cast.finance)
    page = client.get(f"/finance/expenditures/new/?line={line.pk}")
    assert page.status_code == 200
    response = client.post(
        "/finance/expenditures/new/",
        {
            "line": line.pk,
            "date": "2026-03-15",
            "reference": "SP2D-001",
            "payee": "Toko Makmur",
            "description": "Paket sembako",
            "amount": "1.250.000",
            "currency": "IDR",
            "exchange_rate": "1",
            "evidence": SimpleUploadedFile("kuitansi.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    entry = Expenditure.objects.get()
    assert response.status_code == 302
    assert response.url == f"/finance/expenditures/{entry.pk}/"
    assert entry.amount == Decimal("1250000")
    assert entry.recorded_by == cast.finance
    assert entry.status == EntryStatus.PENDING
    assert entry.evidence.name.endswith(".pdf")
    detail = client.get(response.url).content.decode()
    assert "Rp 1.250.000" in detail
    assert client.get(f"/finance/expenditures/{entry.pk}/evidence/").status_code == 200


def test_bad_input_is_reported_on_the_field_in_the_users_language(client, cast):
    line = factories.line(cast.department, "5000000")
    client.force_login(cast.finance)
    response = client.post(
        "/finance/expenditures/new/",
        {
            "line": line.pk,
            "date": "2025-12-01",
            "payee": "X",
            "description": "Y",
            "amount": "100",
            "currency": "IDR",
            "exchange_rate": "1",
            "evidence": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
        },
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "evidence" in form.errors
    assert not Expenditure.objects.exists()
    response = client.post(
        "/finance/expenditures/new/",
        {
            "line": line.pk,
            "date": "2025-12-01",
            "payee": "X",
            "description": "Y",
            "amount": "100",
            "currency": "IDR",
            "exchange_rate": "1",
        },
    )
    assert "date" in response.context["form"].errors
    assert "2026" in response.context["form"].errors["date"][0]


def test_the_approver_sees_the_buttons_and_the_recorder_does_not(client, cast):
    line = factories.line(cast.department, "5000000")
    entry = services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 1),
        amount=Decimal("10"),
        payee="p",
        description="d",
    )
    client.force_login(cast.finance)
    page = client.get(f"/finance/expenditures/{entry.pk}/").content.decode()
    assert f"/finance/expenditures/{entry.pk}/approve/" not in page
    client.force_login(cast.manager)
    page = client.get(f"/finance/expenditures/{entry.pk}/").content.decode()
    assert f"/finance/expenditures/{entry.pk}/approve/" in page


def test_the_manager_overrides_from_the_page_with_a_reason(client, cast):
    line = factories.line(cast.department, "100")
    entry = services.expenditure_record(
        actor=cast.finance,
        line=line,
        date=dt.date(2026, 3, 1),
        amount=Decimal("150"),
        payee="p",
        description="d",
    )
    client.force_login(cast.manager)
    response = client.post(f"/finance/expenditures/{entry.pk}/approve/", follow=True)
    assert "melampaui sisa pagu" in response.content.decode()  # Indonesian by default
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING
    client.post(
        f"/finance/expenditures/{entry.pk}/approve/", {"override_reason": "Tanggap darurat"}
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED
    assert entry.override_reason == "Tanggap darurat"


def test_reject_and_reverse_from_the_pages(client, cast):
    line = factories.line(cast.department, "5000000")
    approved = factories.spend(cast.finance, cast.manager, line, "1000")
    client.force_login(cast.finance)
    client.post(
        f"/finance/expenditures/{approved.pk}/reverse/",
        {"reason": "Salah akun", "date": "2026-04-01"},
    )
    reversal = Expenditure.objects.get(reverses=approved)
    client.force_login(cast.head)
    client.post(f"/finance/expenditures/{reversal.pk}/reject/", {"reason": ""})
    reversal.refresh_from_db()
    assert reversal.status == EntryStatus.PENDING  # a rejection needs a reason
    client.post(f"/finance/expenditures/{reversal.pk}/reject/", {"reason": "Tidak perlu"})
    reversal.refresh_from_db()
    assert reversal.status == EntryStatus.REJECTED


def test_budget_line_create_revise_and_plan_pages(client, cast):
    prog = factories.program(cast.department)
    out = factories.output(prog)
    act = factories.activity(prog, out)
    year = factories.fiscal_year()
    source = factories.funding_source()
    client.force_login(cast.finance)
    response = client.post(
        "/finance/lines/new/",
        {
            "program": prog.pk,
            "fiscal_year": year.pk,
            "activity": act.pk,
            "account_class": factories.account("5.1.06").pk,
            "funding_source": source.pk,
            "code": "BS-01",
            "description": "Bantuan sosial lansia",
            "amount": "12.000.000",
        },
    )
    line = BudgetLine.objects.get(code="BS-01")
    assert response.url == f"/finance/lines/{line.pk}/"
    assert line.amount == Decimal("12000000") and line.output == out
    assert client.get(response.url).status_code == 200
    client.force_login(cast.manager)
    client.post(
        f"/finance/lines/{line.pk}/revise/",
        {
            "version": line.version,
            "new_amount": "15.000.000",
            "revised_on": "2026-08-01",
            "reason": "APBD-P",
        },
    )
    line.refresh_from_db()
    assert line.amount == Decimal("15000000") and line.original_amount == Decimal("12000000")
    client.post(f"/finance/lines/{line.pk}/plan/", {"spread": "1"})
    assert DisbursementPlan.objects.filter(line=line).count() == 12
    data = {f"m_2026_{m:02d}": "" for m in range(1, 13)}
    data["m_2026_03"] = "20.000.000"
    response = client.post(f"/finance/lines/{line.pk}/plan/", data)
    assert response.status_code == 200  # more than the line: refused, plan unchanged
    assert DisbursementPlan.objects.filter(line=line).count() == 12
    assert ledger.figures_of_line(line).budget == Decimal("15000000")


def test_setup_page_adds_a_fiscal_year_and_a_funding_source(client, cast):
    client.force_login(cast.finance)
    client.post("/finance/setup/", {"which": "year", "year-year": "2027"})
    response = client.post("/finance/setup/", {"which": "year", "year-year": "2027"})
    assert "2027" in response.context["forms"]["year"].errors["year"][0]
    client.post(
        "/finance/setup/",
        {
            "which": "source",
            "source-code": "DONOR-X",
            "source-name": "Donor X",
            "source-kind": "donor",
            "source-currency": "USD",
        },
    )
    page = client.get("/finance/setup/").content.decode()
    assert "DONOR-X" in page and "2027" in page


def test_the_chart_and_absorption_page_render_without_scripts(client, cast):
    line = factories.line(cast.department, "1200000")
    services.disbursement_plan_spread(actor=cast.finance, line=line)
    factories.spend(cast.finance, cast.manager, line, "300000", dt.date(2026, 2, 1))
    client.force_login(cast.manager)
    page = client.get("/finance/absorption/").content.decode()
    assert "<svg" in page and "<polyline" in page
    assert "<script>" not in page and "onclick" not in page
    assert "Rp 1.200.000" in page


def test_closing_the_fiscal_year_stops_recording(client, cast):
    line = factories.line(cast.department, "1000")
    client.force_login(cast.finance)
    client.post("/finance/setup/", {"which": "close_year", "year_id": line.fiscal_year.pk})
    line.fiscal_year.refresh_from_db()
    assert line.fiscal_year.is_closed
    with pytest.raises(ValidationError) as caught:
        services.expenditure_record(
            actor=cast.finance,
            line=line,
            date=dt.date(2026, 3, 1),
            amount=Decimal("1"),
            payee="p",
            description="d",
        )
    assert set(caught.value.message_dict) == {"line"}  # the year is closed
    client.post("/finance/setup/", {"which": "close_year", "year_id": line.fiscal_year.pk})
    line.fiscal_year.refresh_from_db()
    assert not line.fiscal_year.is_closed
