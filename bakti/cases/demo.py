"""Demo data for cases: about 60 cases of the demo caseworkers at every step of the workflow,
some overdue, with goals, follow-ups, notes, approvals and referrals to the demo partners (some
to the organisation of the ``mitra`` user). Everything goes through the services.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from bakti.core.demo import KECAMATAN_A, KECAMATAN_B, DemoContext
from bakti.core.scoping import region_q
from bakti.registry import services as registry_services
from bakti.registry.models import ConsentPurpose, Person

from . import services
from .models import ApprovalKind, CaseType, ClosureReason, ProtectionConcern, RiskLevel

# How many cases end at each step.
STEPS = [
    ("new", 8),
    ("assessment", 10),
    ("case_plan", 8),
    ("plan_pending", 6),
    ("service_provision", 14),
    ("closure_pending", 3),
    ("closed", 7),
    ("reopened", 4),
]

SUMMARIES = [
    "Lansia tinggal sendiri, tidak ada keluarga yang merawat.",
    "Anak putus sekolah dan bekerja di jalan.",
    "Ibu dengan tiga anak ditinggal suami, tidak punya penghasilan tetap.",
    "Penyandang disabilitas belum punya alat bantu dan tidak keluar rumah.",
    "Laporan tetangga tentang kekerasan dalam rumah tangga.",
    "Remaja berhadapan dengan hukum, perlu pendampingan.",
    "Keluarga korban banjir kehilangan tempat tinggal.",
]

GOALS = [
    "Mendapat pengasuhan yang layak",
    "Kembali bersekolah",
    "Memiliki sumber penghasilan",
    "Mendapat alat bantu dan terapi",
    "Aman dari kekerasan",
    "Memiliki dokumen kependudukan",
]


def _people(region: str, count: int) -> list[Person]:
    return list(
        Person.objects.filter(region_q("region_id", region), deceased=False)
        .select_related("household")
        .exclude(household=None)
        .order_by("pk")[: count * 3][::3]
    )


def _advance(rng: random.Random, case: Any, step: str, supervisor: Any, today: dt.date) -> None:
    worker = case.caseworker
    if step == "new":
        return
    services.case_start_assessment(actor=worker, case=case)
    if step == "assessment":
        return
    services.case_record_assessment(
        actor=worker,
        case=case,
        assessment=(
            "Kunjungan rumah dilakukan. Kebutuhan utama: "
            + rng.choice(["pengasuhan", "pendapatan", "kesehatan", "pendidikan", "keamanan"])
            + ". Keluarga bersedia bekerja sama."
        ),
        risk_level=case.risk_level,
        assessed_on=min(today, case.opened_on + dt.timedelta(days=rng.randint(1, 5))),
    )
    for goal_text in rng.sample(GOALS, 2):
        goal = services.goal_add(
            actor=worker,
            case=case,
            description=goal_text,
            target_date=today + dt.timedelta(days=rng.randint(30, 120)),
        )
        services.intervention_add(
            actor=worker,
            case=case,
            goal=goal,
            description=rng.choice(
                ["Kunjungan rumah rutin", "Rujukan ke layanan", "Konseling keluarga"]
            ),
            responsible=str(worker),
            due_date=today + dt.timedelta(days=rng.randint(-10, 40)),
        )
    if step == "case_plan":
        return
    case.refresh_from_db()
    services.case_plan_submit(actor=worker, case=case)
    if step == "plan_pending":
        return
    pending = services.pending_approval(case, ApprovalKind.CASE_PLAN)
    if pending is not None:
        services.approval_decide(actor=supervisor, approval=pending, approve=True, comment="OK")
    case.refresh_from_db()
    for k in range(rng.randint(1, 3)):
        due = today + dt.timedelta(days=rng.randint(-25, 20) + 7 * k)
        follow_up = services.follow_up_add(
            actor=worker, case=case, due_date=due, purpose="Kunjungan pemantauan"
        )
        if due < today - dt.timedelta(days=7) and rng.random() < 0.6:
            services.follow_up_complete(
                actor=worker,
                follow_up=follow_up,
                outcome="Kondisi membaik; keluarga mengikuti rencana.",
                done_on=due,
            )
    services.note_add(actor=worker, case=case, text="Koordinasi dengan kepala desa dilakukan.")
    if step == "service_provision":
        return
    services.case_close(
        actor=worker,
        case=case,
        reason=rng.choice([ClosureReason.GOALS_MET, ClosureReason.MOVED, ClosureReason.REFERRED]),
        note="Tujuan rencana tercapai sebagian besar.",
    )
    if step == "closure_pending":
        return
    pending = services.pending_approval(case, ApprovalKind.CLOSURE)
    if pending is not None:
        services.approval_decide(actor=supervisor, approval=pending, approve=True)
    if step == "closed":
        return
    case.refresh_from_db()
    services.case_reopen(actor=worker, case=case, reason="Situasi keluarga memburuk kembali.")


def _referrals(
    ctx: DemoContext, rng: random.Random, cases: list[Any], manager: Any, today: dt.date
) -> int:
    from bakti.partners.models import OrganisationService, OrganisationUser

    offered = list(
        OrganisationService.objects.filter(is_active=True).select_related("organisation")
    )
    if not offered:
        return 0
    link = OrganisationUser.objects.filter(user=ctx.users.get("mitra")).first()
    mitra_services = [s for s in offered if link and s.organisation_id == link.organisation_id]
    made = 0
    open_cases = [c for c in cases if c.status in ("case_plan", "service_provision")]
    for n, case in enumerate(open_cases[:24]):
        service = (
            rng.choice(mitra_services) if mitra_services and n % 2 == 0 else rng.choice(offered)
        )
        person = case.person
        needs_consent = n % 4 != 3 and person is not None
        if needs_consent and not services.referral_consent(case):
            with contextlib.suppress(ValidationError):
                registry_services.consent_give(
                    actor=manager,
                    person=person,
                    purpose=ConsentPurpose.DATA_SHARING,
                    given_on=case.opened_on,
                    given_by="self" if n % 2 else "guardian",
                    given_by_name="" if n % 2 else "Wali keluarga",
                    reason="demo",
                )
        try:
            referral = services.referral_create(
                actor=case.caseworker if n % 4 != 3 else manager,
                case=case,
                service=service,
                need=rng.choice(
                    ["Konseling psikososial", "Pemeriksaan kesehatan", "Pendampingan hukum"]
                ),
                override_reason=""
                if n % 4 != 3
                else "Risiko tinggi; persetujuan belum bisa diminta.",
            )
        except ValidationError:
            continue
        made += 1
        if n % 3 == 0:
            # Left unanswered past its due date: shows on the overdue board.
            referral.respond_by = today - dt.timedelta(days=rng.randint(1, 10))
            referral.save(update_fields=["respond_by"])
            continue
        partner_user = (
            OrganisationUser.objects.filter(organisation_id=service.organisation_id)
            .select_related("user")
            .first()
        )
        if partner_user is None:
            continue
        accept = n % 5 != 1
        services.referral_respond(
            actor=partner_user.user,
            referral=referral,
            accept=accept,
            reason="" if accept else "Kuota layanan bulan ini penuh.",
        )
        if accept and n % 2 == 0:
            services.referral_complete(
                actor=partner_user.user, referral=referral, outcome="Layanan diberikan."
            )
    return made


def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    # Our own seeded generator: drawing from ctx.rng would shift the data of the apps after us.
    rng = random.Random(f"{ctx.seed}-cases")
    users = ctx.users
    workers = [
        (users.get("petugas.a"), KECAMATAN_A),
        (users.get("petugas.b"), KECAMATAN_B),
        (users.get("staf"), KECAMATAN_A),
        (users.get("staf"), KECAMATAN_B),
    ]
    workers = [(u, r) for u, r in workers if u is not None]
    manager, head = users.get("manajer"), users.get("kadis")
    if not workers or manager is None:
        return
    people = {region: _people(region, 40) for region in (KECAMATAN_A, KECAMATAN_B)}
    case_types = list(CaseType.objects.filter(is_active=True).order_by("pk"))
    concerns = list(ProtectionConcern.objects.filter(is_active=True))
    from bakti.programs.models import PPKSCategory

    ppks = list(PPKSCategory.objects.filter(is_active=True))
    cases = []
    used: set[int] = set()
    n = 0
    for step, count in STEPS:
        for _i in range(count):
            worker, region = workers[n % len(workers)]
            n += 1
            candidates = [p for p in people[region] if p.pk not in used]
            if not candidates or not case_types:
                continue
            person = candidates[0]
            used.add(person.pk)
            # Some cases were opened long ago and are overdue for their next step.
            age = rng.choice([2, 5, 10, 20, 45, 90, 150])
            case = services.case_open(
                actor=worker,
                case_type=rng.choice(case_types),
                person=person,
                summary=rng.choice(SUMMARIES),
                risk_level=rng.choice(
                    [RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.MEDIUM, RiskLevel.LOW]
                ),
                ppks=rng.sample(ppks, min(len(ppks), rng.randint(0, 2))),
                concerns=rng.sample(concerns, min(len(concerns), rng.randint(1, 2))),
                opened_on=today - dt.timedelta(days=age),
            )
            supervisor = head if worker == manager else manager
            _advance(rng, case, step, supervisor, today)
            case.refresh_from_db()
            cases.append(case)
    # One transfer, recorded.
    if len(cases) > 3 and users.get("staf") and users.get("petugas.a"):
        case = cases[3]
        target = users["staf"] if case.caseworker != users["staf"] else users["petugas.a"]
        services.case_assign(
            actor=manager, case=case, caseworker=target, reason="Pembagian beban kerja"
        )
    referrals = _referrals(ctx, rng, cases, manager, today)
    ctx.say(f"{len(cases)} cases and {referrals} referrals")
