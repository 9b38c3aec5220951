"""Demo monitoring data: entered indicator values through the approval workflow (survey
values, some still waiting for approval), one computed indicator per program that delivers
services (computed once), a midline evaluation with recommendations, and a first health check
of every program."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.apps import apps
from django.utils import timezone

from bakti.core.demo import KECAMATAN_A, KECAMATAN_B, DemoContext

from . import services
from .models import IndicatorResult
from .tracking import indicator_periods


def _split(total: int, share: float) -> tuple[int, int]:
    first = round(total * share)
    return first, total - first


def _breakdown(indicator: Any, value: Decimal, ctx: DemoContext) -> dict[tuple[str, str], Any]:
    out: dict[tuple[str, str], Any] = {}
    wanted = set(indicator.disaggregations or [])
    if indicator.unit == "percentage":
        if "region" in wanted:
            for code in (KECAMATAN_A, KECAMATAN_B):
                out[("region", code)] = (value + Decimal(ctx.rng.randint(-4, 4))).quantize(
                    Decimal("0.1")
                )
        return out
    total = int(value)
    if "sex" in wanted:
        female, male = _split(total, 0.55)
        out[("sex", "F")], out[("sex", "M")] = female, male
    if "region" in wanted:
        a, b = _split(total, 0.48)
        out[("region", KECAMATAN_A)], out[("region", KECAMATAN_B)] = a, b
    if "disability" in wanted:
        yes, no = _split(total, 0.08)
        out[("disability", "yes")], out[("disability", "no")] = yes, no
    return out


def _enter_values(ctx: DemoContext, indicator: Any, today: dt.date) -> int:
    manager, mne = ctx.users["manajer"], ctx.users["monev"]
    periods = [p for p in indicator_periods(indicator, indicator.targets.all(), []) if p[1] < today]
    count = 0
    previous = Decimal("0")
    for index, (start, end, _label) in enumerate(periods):
        target = next((t.value for t in indicator.targets.all() if t.period_start == start), None)
        if target is None:
            continue
        factor = Decimal(str(ctx.rng.uniform(0.72, 1.08)))
        value = target * factor
        if indicator.unit == "percentage":
            value = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        else:
            value = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
            if indicator.cumulative_rule == "cumulative":
                value = max(value, previous)
        previous = value
        result = services.indicator_result_save(
            actor=manager,
            indicator=indicator,
            period_start=start,
            period_end=end,
            value=value,
            breakdown=_breakdown(indicator, value, ctx),
            note="Survei kepuasan dan laporan pendamping"
            if indicator.unit == "percentage"
            else "Rekap laporan bulanan pendamping",
        )
        services.indicator_result_submit(actor=manager, result=result)
        last = index == len(periods) - 1
        if last and indicator.unit == "percentage":
            count += 1  # the latest survey waits for the M&E officer's approval
            continue
        services.indicator_result_approve(actor=mne, result=result)
        if index == 0:
            services.indicator_result_lock(actor=mne, result=result)
        count += 1
    return count


def _computed(ctx: DemoContext, program: Any, today: dt.date) -> int:
    """When the program delivers services, its first cumulative count is computed from the
    deliveries: people served when people are named on them, households served otherwise."""
    if not apps.is_installed("bakti.delivery"):
        return 0
    ServiceDelivery = apps.get_model("delivery", "ServiceDelivery")
    deliveries = ServiceDelivery.objects.filter(program=program)
    if not deliveries.exists():
        return 0
    indicator = (
        program.indicators.filter(unit="number", cumulative_rule="cumulative")
        .order_by("order", "code")
        .first()
    )
    if indicator is None:
        return 0
    named = deliveries.filter(person__isnull=False).exists()
    services.indicator_rule_set(
        actor=ctx.users["monev"],
        indicator=indicator,
        rule_type="people_served" if named else "households_served",
    )
    return len(services.indicator_compute_all(actor=None, indicator=indicator, as_of=today))


def _evaluation(ctx: DemoContext, program: Any, today: dt.date) -> None:
    mne, manager = ctx.users["monev"], ctx.users["manajer"]
    evaluation = services.evaluation_create(
        actor=mne,
        program=program,
        title=f"Evaluasi tengah program {program.code}",
        evaluation_type="midline",
        start_date=today - dt.timedelta(days=75),
        end_date=today - dt.timedelta(days=45),
        evaluator_kind="partner",
        evaluator_name="Pusat Studi Kebijakan Sosial, Universitas Gadjah Mada",
        method=(
            "Survei rumah tangga (n=240) di Gamping dan Godean, diskusi kelompok terarah dengan "
            "penerima manfaat dan pendamping, telaah data Bakti."
        ),
        findings=(
            "Sebagian besar kegiatan berjalan sesuai rencana. Penyaluran di Godean sering "
            "terlambat karena jadwal kendaraan. Penerima manfaat dengan disabilitas belum "
            "semuanya terjangkau."
        ),
        status="completed",
    )
    recommendations = [
        (
            "Tambahkan satu titik distribusi di Kecamatan Godean.",
            "accepted",
            "staf",
            60,
            "in_progress",
        ),
        (
            "Kunjungan rumah untuk penerima dengan disabilitas yang tidak hadir.",
            "partly",
            "petugas.a",
            30,
            "open",
        ),
        ("Ganti seluruh pendamping lapangan.", "rejected", "manajer", 20, "closed"),
    ]
    for text, response, owner, days, status in recommendations:
        recommendation = services.recommendation_create(
            actor=mne,
            evaluation=evaluation,
            text=text,
            owner=ctx.users[owner],
            due_date=today + dt.timedelta(days=days),
        )
        services.recommendation_update(
            actor=manager,
            recommendation=recommendation,
            data={"response": response, "status": status},
        )


def load(ctx: DemoContext) -> None:
    Program = apps.get_model("programs", "Program")
    today = timezone.localdate()
    programs = list(ctx.shared.get("programs", {}).values() or Program.objects.order_by("code"))
    entered = computed = 0
    for program in programs:
        computed += _computed(ctx, program, today)
        for indicator in program.indicators.prefetch_related("targets").order_by("order", "code"):
            if IndicatorResult.objects.filter(indicator=indicator).exists():
                continue
            if hasattr(indicator, "computation_rule"):
                continue
            entered += _enter_values(ctx, indicator, today)
    if programs:
        _evaluation(ctx, programs[0], today)
    for program in programs:
        services.program_health_assess(actor=None, program=program, today=today)
    ctx.say(
        f"{entered} entered indicator values, {computed} computed, 1 evaluation, "
        f"health of {len(programs)} programs"
    )
