"""Demo community data: meetings, and about 150 complaints over the past year across channels,
categories and states (anonymous and sensitive ones included), some escalated."""

import datetime as dt

from django.utils import timezone

from bakti.core.demo import KABUPATEN, DemoContext
from bakti.regions.models import Region

from . import services
from .models import (
    Category,
    Channel,
    IdentityMode,
    MeetingKind,
    Priority,
    SensitiveInvestigator,
)

DESCRIPTIONS = {
    "eligibility": "Keluarga kami miskin tetapi tidak masuk DTKS; tetangga yang mampu dapat.",
    "payment": "Bantuan PKH tahap ini belum masuk ke rekening sejak dua bulan.",
    "data_correction": "NIK di data penerima salah satu angka sehingga bantuan tertahan.",
    "service_quality": "Pelayanan di panti kurang ramah dan makanan sering terlambat.",
    "conduct": "Petugas meminta uang transport saat verifikasi rumah.",
    "sea": "Ada pendamping yang meminta imbalan tidak pantas kepada penerima.",
    "child_abuse": "Anak tetangga sering dipukul dan tidak sekolah.",
    "fraud": "Ada pungutan Rp 50.000 saat pencairan BPNT di e-warong.",
    "data_breach": "Daftar penerima lengkap dengan NIK beredar di grup WhatsApp desa.",
    "information": "Bagaimana cara mendaftar bantuan untuk lansia?",
    "suggestion": "Terima kasih, penyaluran bulan ini lebih tertib. Mohon antrean dipertahankan.",
    "referral": "Jalan desa rusak parah, mohon diperbaiki.",
}
WEIGHTS = {
    "eligibility": 22,
    "payment": 30,
    "data_correction": 18,
    "service_quality": 10,
    "conduct": 6,
    "sea": 2,
    "child_abuse": 2,
    "fraud": 3,
    "data_breach": 1,
    "information": 14,
    "suggestion": 8,
    "referral": 4,
}
CHANNELS = [
    (Channel.WEB, 25),
    (Channel.WALK_IN, 20),
    (Channel.PHONE, 12),
    (Channel.WHATSAPP, 15),
    (Channel.SMS, 4),
    (Channel.SUGGESTION_BOX, 5),
    (Channel.MEETING, 6),
    (Channel.FIELD_WORKER, 8),
    (Channel.LAPOR, 3),
    (Channel.CALL_CENTRE, 2),
]


def _pick(ctx: DemoContext, weighted: list) -> object:
    return ctx.rng.choices([k for k, _ in weighted], [w for _, w in weighted])[0]


def load(ctx: DemoContext) -> None:
    manager = ctx.users.get("manajer")
    head = ctx.users.get("kadis")
    officer = ctx.users.get("staf")
    if manager is None or officer is None:
        return
    now = timezone.now()
    today = timezone.localdate()
    desa = list(Region.objects.filter(code__startswith=KABUPATEN + ".", level=4)[:30])
    programs = list(ctx.shared.get("programs", {}).values())
    SensitiveInvestigator.objects.get_or_create(user=manager)
    if head is not None:
        SensitiveInvestigator.objects.get_or_create(user=head)
    handlers = [u for u in (officer, ctx.users.get("petugas.a"), manager) if u is not None]
    categories = {c.code: c for c in Category.objects.all()}
    priorities = {p.code: p for p in Priority.objects.all()}
    made = 0
    for number in range(150):
        code = _pick(ctx, list(WEIGHTS.items()))
        category = categories.get(code)
        if category is None:
            continue
        channel = _pick(ctx, CHANNELS)
        # A dozen recent tickets so that every state and deadline shows on the board.
        age = ctx.rng.randint(0, 12) if number < 12 else ctx.rng.randint(0, 364)
        received = now - dt.timedelta(days=age, hours=ctx.rng.randint(0, 8))
        roll = ctx.rng.random()
        mode = (
            IdentityMode.ANONYMOUS
            if roll < 0.2 or (category.is_sensitive and roll < 0.5)
            else IdentityMode.CONFIDENTIAL
            if roll < 0.4
            else IdentityMode.NAMED
        )
        ticket = services.ticket_create(
            actor=None if channel == Channel.WEB else officer,
            channel=channel,
            external_reference=f"LPR-{ctx.rng.randint(100000, 999999)}"
            if channel in {Channel.LAPOR, Channel.CALL_CENTRE}
            else "",
            category=category,
            priority=priorities["urgent" if ctx.rng.random() < 0.1 else "normal"],
            description=DESCRIPTIONS[code],
            region_code=ctx.rng.choice(desa).pk if desa else None,
            identity_mode=mode,
            complainant_name=ctx.fake.name(),
            complainant_phone=ctx.fake.phone_number()[:30],
            named_staff=[ctx.users["petugas.b"]]
            if code == "sea" and "petugas.b" in ctx.users
            else None,
            received_at=received,
        )
        made += 1
        _progress(ctx, ticket, age, received, handlers, programs)
    escalations = services.tickets_escalate_overdue(today=today)
    _meetings(ctx, officer, desa, programs)
    ctx.say(f"{made} complaints and feedback tickets ({len(escalations)} escalations)")


def _progress(ctx, ticket, age, received, handlers, programs) -> None:
    """Move a ticket along as far as its age makes plausible, through the services."""
    actor = handlers[0]
    if ticket.is_sensitive:
        actor = ticket.investigators.first()
        if actor is None:
            return
    if programs and ctx.rng.random() < 0.4:
        ticket.program = ctx.rng.choice(programs)
        ticket.save(update_fields=["program"])
    if age < 10 and ctx.rng.random() < 0.5:
        return  # still new
    step = dt.timedelta(days=1)
    when = received + step
    services.ticket_transition(actor=actor, ticket=ticket, action="acknowledge", now=when)
    if age < 20 and ctx.rng.random() < 0.4:
        return  # acknowledged
    assignee = actor if ticket.is_sensitive else ctx.rng.choice(handlers)
    services.ticket_transition(
        actor=actor, ticket=ticket, action="assign", assignee=assignee, now=when
    )
    if age < 30 and ctx.rng.random() < 0.3:
        return  # assigned
    services.ticket_transition(actor=actor, ticket=ticket, action="start", now=when + step)
    if ctx.rng.random() < 0.1:
        services.ticket_transition(
            actor=actor, ticket=ticket, action="hold", note="Menunggu data dari desa.", now=when
        )
        return
    if (age < 20 and ctx.rng.random() < 0.6) or ctx.rng.random() < 0.1:
        return  # in progress (some of them overdue)
    services.ticket_reply(
        actor=actor, ticket=ticket, body="Laporan Anda sedang kami tindak lanjuti.", is_public=True
    )
    took = dt.timedelta(days=ctx.rng.randint(2, 30))
    services.ticket_transition(
        actor=actor,
        ticket=ticket,
        action="resolve",
        resolution=ctx.rng.choice(
            [
                "Data Anda sudah diperbaiki dan bantuan akan cair pada tahap berikutnya.",
                "Sudah dilakukan verifikasi ke rumah; hasilnya disampaikan ke desa.",
                "Petugas yang bersangkutan sudah dibina dan uang dikembalikan.",
                "Informasi sudah kami sampaikan melalui telepon.",
            ]
        ),
        now=min(received + took, timezone.now()),
    )
    if ctx.rng.random() < 0.6:
        services.ticket_rate(ticket=ticket, satisfaction=ctx.rng.choices([3, 2, 1], [6, 3, 1])[0])
    if age > 40 and ctx.rng.random() < 0.8:
        services.ticket_transition(
            actor=actor, ticket=ticket, action="close", now=received + took + step
        )


def _meetings(ctx, officer, desa, programs) -> None:
    topics = [
        ("Sosialisasi PKH dan BPNT tahap IV", MeetingKind.SOCIALISATION),
        ("Musyawarah desa pemutakhiran DTKS", MeetingKind.MUSDES),
        ("Diskusi kelompok penyandang disabilitas", MeetingKind.FOCUS_GROUP),
        ("Penjangkauan lansia terlantar", MeetingKind.OUTREACH),
    ]
    today = timezone.localdate()
    for i in range(12):
        title, kind = topics[i % len(topics)]
        female = ctx.rng.randint(8, 40)
        male = ctx.rng.randint(5, 35)
        total = female + male
        young = ctx.rng.randint(0, total // 5)
        old = ctx.rng.randint(0, (total - young) // 3)
        services.meeting_create(
            actor=officer,
            kind=kind,
            title=title,
            date=today - dt.timedelta(days=ctx.rng.randint(1, 330)),
            region=ctx.rng.choice(desa) if desa else None,
            place="Balai desa",
            program=ctx.rng.choice(programs) if programs else None,
            facilitator=officer,
            participants_female=female,
            participants_male=male,
            participants_under_18=young,
            participants_18_59=total - young - old,
            participants_60_plus=old,
            participants_disability=ctx.rng.randint(0, total // 6),
            topics="Syarat penerima, jadwal penyaluran, saluran pengaduan.",
            decisions="Warga yang belum terdata diusulkan melalui musyawarah desa.",
            follow_ups="Operator desa mengirim usulan ke Dinas Sosial dalam 2 minggu.",
        )
