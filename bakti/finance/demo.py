"""Demo budgets: the 2026 budgets of the demo programs across three main funding sources
(APBD kabupaten, APBN and CSR, plus a small donor grant in US dollars), each line with an even
disbursement plan and a year of spending up to today, recorded by the finance officer
(``keuangan``) and approved by the manager (``manajer``). Some lines lag their plan, one is
over-committed (an emergency contract approved with an override), some spending waits for
approval, one was rejected and one corrected with a reversing entry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from bakti.core.demo import DemoContext
from bakti.programs.models import Activity

from . import services
from .models import AccountClass

YEAR = 2026

# (code, name, kind, partner organisation type to link, currency)
SOURCES = [
    ("APBD-SLEMAN", "APBD Kabupaten Sleman", "apbd_district", None, "IDR"),
    ("APBN-TP", "APBN Tugas Pembantuan Kementerian Sosial", "apbn", None, "IDR"),
    ("CSR-BPD", "CSR Bank Pembangunan Daerah DIY", "csr", "csr", "IDR"),
    ("APBD-DIY", "APBD Provinsi DI Yogyakarta", "apbd_province", None, "IDR"),
    ("DONOR-HI", "Hibah Yayasan Peduli Lansia", "donor", "donor", "USD"),
    ("SWADAYA", "Swadaya masyarakat", "community", None, "IDR"),
]

# Per program: (account code, funding source, amount in millions, absorption pace); the pace
# is the share of each month's plan actually spent (below 1: the line lags its plan).
LINES = {
    "PKH-2026": [
        ("5.1.02", "APBD-SLEMAN", 420, Decimal("0.95")),
        ("5.1.01", "APBN-TP", 180, Decimal("1.0")),
        ("5.1.02", "CSR-BPD", 90, Decimal("0.55")),
    ],
    "LANSIA-2026": [
        ("5.1.06", "APBD-SLEMAN", 650, Decimal("0.9")),
        ("5.1.02", "APBD-DIY", 150, Decimal("0.85")),
        ("5.1.02", "DONOR-HI", 120, Decimal("0.7")),
    ],
    "ABD-2026": [
        ("5.1.06", "APBN-TP", 540, Decimal("0.5")),
        ("5.2", "APBD-SLEMAN", 210, Decimal("0.8")),
    ],
    "ANJAL-2026": [
        ("5.1.02", "APBD-SLEMAN", 260, Decimal("0.9")),
        ("5.1.05", "CSR-BPD", 100, Decimal("1.0")),
    ],
    "TAGANA-2026": [
        ("5.1.02", "APBD-SLEMAN", 300, Decimal("0.95")),
        ("5.2", "APBN-TP", 240, Decimal("0.6")),
    ],
    "PRSE-2026": [
        ("5.1.06", "APBD-SLEMAN", 360, Decimal("0.9")),
        ("5.1.02", "CSR-BPD", 140, Decimal("0.75")),
        ("5.1.02", "SWADAYA", 25, Decimal("0.4")),
    ],
}

PAYEES = [
    "CV Sumber Rejeki Mandiri",
    "Toko Bangunan Maju Jaya",
    "PT Sinar Abadi Sentosa",
    "Koperasi Serba Usaha Gotong Royong",
    "UD Barokah Sembako",
    "Katering Bu Sri",
    "Hotel Grand Sleman (paket rapat)",
]

MILLION = Decimal("1000000")
USD_RATE = Decimal("16250")


def _organisation(kind: str | None) -> Any:
    if kind is None or not apps.is_installed("bakti.partners"):
        return None
    organisation = apps.get_model("partners", "Organisation")
    return organisation.objects.filter(org_type=kind).order_by("pk").first()


def _spend(
    ctx: DemoContext, line: Any, day: dt.date, amount: Decimal, approve: bool = True, **extra: Any
) -> Any:
    keuangan, manajer = ctx.users["keuangan"], ctx.users["manajer"]
    currency = line.funding_source.currency
    rate = USD_RATE if currency == "USD" else Decimal("1")
    entry = services.expenditure_record(
        actor=keuangan,
        line=line,
        date=day,
        amount=(amount / rate).quantize(Decimal("0.01")) if currency == "USD" else amount,
        currency=currency,
        exchange_rate=rate,
        payee=ctx.rng.choice(PAYEES),
        description=f"Realisasi {line.description.lower()} bulan {day:%m/%Y}",
        reference=f"SP2D/{day:%m}/{ctx.rng.randint(100, 999)}",
        **extra,
    )
    return services.entry_approve(manajer, entry) if approve else entry


def load(ctx: DemoContext) -> None:
    programs = ctx.shared.get("programs") or {}
    if not programs:
        return
    keuangan, manajer = ctx.users["keuangan"], ctx.users["manajer"]
    year = services.fiscal_year_create(actor=keuangan, year=YEAR)
    sources = {
        code: services.funding_source_create(
            actor=keuangan,
            code=code,
            name=name,
            kind=kind,
            organisation=_organisation(org_kind),
            currency=currency,
        )
        for code, name, kind, org_kind, currency in SOURCES
    }
    accounts = {a.code: a for a in AccountClass.objects.all()}
    today = min(timezone.localdate(), year.end_date)
    counts = {"lines": 0, "expenditures": 0}
    lines = []
    for code, specs in LINES.items():
        program = programs.get(code)
        if program is None:
            continue
        activities = list(
            Activity.objects.filter(program=program).select_related("output").order_by("pk")
        )
        if not activities:
            continue
        for index, (account, source, millions, pace) in enumerate(specs, start=1):
            activity = activities[(index - 1) % len(activities)]
            line = services.budget_line_create(
                actor=keuangan,
                program=program,
                fiscal_year=year,
                account_class=accounts[account],
                funding_source=sources[source],
                description=f"{accounts[account].name}: {activity.name}"[:300],
                code=f"{code.split('-')[0]}.{index:02d}",
                amount=Decimal(millions) * MILLION,
                activity=activity,
            )
            services.disbursement_plan_spread(actor=keuangan, line=line)
            counts["lines"] += 1
            lines.append((line, pace))
            monthly = line.amount / 12
            for month in year.months():
                if month > today:
                    break
                day = min(month.replace(day=ctx.rng.randint(5, 25)), today)
                jitter = Decimal(ctx.rng.randint(85, 110)) / 100
                amount = (monthly * pace * jitter).quantize(Decimal("1000"))
                if amount <= 0:
                    continue
                if month.month == today.month and month.year == today.year:
                    _spend(ctx, line, day, amount, approve=False)  # waits for approval
                    continue
                _spend(ctx, line, day, amount)
                counts["expenditures"] += 1
    if not lines:
        return
    # A wrong entry corrected with a reversing entry, and one rejected.
    first_line = lines[0][0]
    wrong = _spend(ctx, first_line, dt.date(YEAR, 3, 18), Decimal("12500000"))
    reversal = services.entry_reverse(
        keuangan, wrong, reason="Tercatat ganda dengan SP2D bulan Maret.", date=dt.date(YEAR, 3, 20)
    )
    services.entry_approve(manajer, reversal)
    rejected = services.expenditure_record(
        actor=keuangan,
        line=first_line,
        date=min(today, dt.date(YEAR, 10, 2)),
        amount=Decimal("4750000"),
        payee="CV Tanpa Kuitansi",
        description="Belanja tanpa bukti lengkap",
    )
    services.entry_reject(manajer, rejected, reason="Kuitansi dan berita acara belum dilampirkan.")
    # An open contract on a line with room, partly paid.
    roomy, _pace = lines[1]
    contract = services.commitment_record(
        actor=keuangan,
        line=roomy,
        date=dt.date(YEAR, 6, 1),
        amount=Decimal("30000000"),
        payee="PT Sinar Abadi Sentosa",
        description="Kontrak pengadaan perlengkapan kegiatan",
        reference="SPK/027/VI/2026",
    )
    services.entry_approve(manajer, contract)
    _spend(ctx, roomy, dt.date(YEAR, 7, 15), Decimal("12000000"), commitment=contract)
    # The over-committed line: an emergency contract beyond the remaining balance, approved by
    # the manager with an override and a reason.
    tight = next((line for line, _p in lines if line.program.code.startswith("TAGANA")), None)
    tight = tight or lines[-1][0]
    remaining = services.ledger.figures_of_line(tight).available
    emergency = services.commitment_record(
        actor=keuangan,
        line=tight,
        date=min(today, dt.date(YEAR, 11, 3)),
        amount=(remaining + Decimal("45000000")).quantize(Decimal("1000")),
        payee="CV Tanggap Bencana Merapi",
        description="Kontrak darurat logistik tanggap bencana erupsi",
        reference="SPK-DARURAT/011/2026",
    )
    services.entry_approve(
        manajer,
        emergency,
        override_reason="Status tanggap darurat bencana; revisi anggaran diajukan pada APBD-P.",
    )
    ctx.say(
        f"budgets for {len(LINES)} programs: {counts['lines']} budget lines across "
        f"{len(sources)} funding sources, {counts['expenditures']} approved expenditures"
    )
