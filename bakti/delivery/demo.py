"""Demo data for delivery: a service catalogue per program, 15 workers and volunteers, events
with attendance over the past months, distribution rounds (most handed out, the last one open)
and a year of individual deliveries. Built on the programs and enrolments the registry demo made;
written through the services (bulk services for the many rows, one audit event per batch).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from bakti.core.demo import KECAMATAN_A, KECAMATAN_B, DemoContext
from bakti.programs.models import Activity, Program
from bakti.regions.models import Region
from bakti.registry.models import Enrolment, EnrolmentStatus, Person

from . import services
from .models import AttendanceStatus, ServiceCategory, ServiceDelivery, WorkerType

# Per program code: (code, name, category, unit, value of one unit)
CATALOGUE: dict[str, list[tuple[str, str, str, str, str]]] = {
    "PKH-2026": [
        ("P2K2", "Pertemuan P2K2 (FDS)", ServiceCategory.TRAINING, "sesi", "0"),
        ("KUNJ", "Kunjungan rumah pendamping", ServiceCategory.HOME_VISIT, "kunjungan", "0"),
        ("SEMBAKO", "Paket sembako", ServiceCategory.FOOD, "paket", "200000"),
    ],
    "LANSIA-2026": [
        ("PERMAKANAN", "Permakanan lansia", ServiceCategory.FOOD, "paket", "450000"),
        (
            "HOMECARE",
            "Perawatan di rumah (home care)",
            ServiceCategory.HOME_VISIT,
            "kunjungan",
            "0",
        ),
        ("ATENSI", "Bantuan ATENSI tunai", ServiceCategory.CASH, "rupiah", "1"),
    ],
    "ABD-2026": [
        ("KURSIRODA", "Kursi roda", ServiceCategory.ASSISTIVE_DEVICE, "unit", "1750000"),
        ("ALATDENGAR", "Alat bantu dengar", ServiceCategory.ASSISTIVE_DEVICE, "unit", "2500000"),
        ("TERAPI", "Terapi dan konseling", ServiceCategory.COUNSELLING, "sesi", "150000"),
    ],
    "ANJAL-2026": [
        ("SHELTER", "Rumah singgah", ServiceCategory.SHELTER, "malam", "75000"),
        ("KONSELING", "Konseling psikososial", ServiceCategory.COUNSELLING, "sesi", "100000"),
    ],
    "TAGANA-2026": [
        ("LOGISTIK", "Paket logistik darurat", ServiceCategory.FOOD, "paket", "350000"),
        ("PELATIHAN", "Pelatihan siaga bencana", ServiceCategory.TRAINING, "sesi", "0"),
    ],
    "PRSE-2026": [
        ("MODAL", "Bantuan modal usaha", ServiceCategory.CASH, "rupiah", "1"),
        ("PELATIHAN", "Pelatihan keterampilan usaha", ServiceCategory.TRAINING, "sesi", "0"),
    ],
}

# (name, type, volunteer, skills, languages, kecamatan, username)
WORKERS = [
    (
        "Dewi Lestari",
        WorkerType.PKH_FACILITATOR,
        False,
        "P2K2, pendataan",
        "Indonesia, Jawa",
        "A",
        "petugas.a",
    ),
    (
        "Yohanes Setiawan",
        WorkerType.PKH_FACILITATOR,
        False,
        "P2K2, verifikasi",
        "Indonesia, Jawa",
        "B",
        "petugas.b",
    ),
    (
        "Agus Prasetyo",
        WorkerType.SOCIAL_WORKER,
        False,
        "manajemen kasus, asesmen",
        "Indonesia",
        "A",
        "staf",
    ),
    (
        "Sri Handayani",
        WorkerType.SOCIAL_WORKER,
        False,
        "perlindungan anak, konseling",
        "Indonesia, Jawa",
        "A",
        None,
    ),
    (
        "Bambang Riyadi",
        WorkerType.TKSK,
        False,
        "koordinasi kecamatan",
        "Indonesia, Jawa",
        "A",
        None,
    ),
    ("Wahyu Nugroho", WorkerType.TKSK, False, "koordinasi kecamatan", "Indonesia, Jawa", "B", None),
    ("Suparmi", WorkerType.PSM, True, "pendampingan lansia", "Jawa", "A", None),
    ("Tri Wulandari", WorkerType.PSM, True, "posyandu lansia", "Jawa, Indonesia", "B", None),
    ("Slamet Widodo", WorkerType.PSM, True, "pendampingan disabilitas", "Jawa", "B", None),
    ("Eko Saputro", WorkerType.TAGANA, True, "evakuasi, dapur umum", "Indonesia, Jawa", "A", None),
    ("Rudi Hartono", WorkerType.TAGANA, True, "SAR, logistik", "Indonesia", "B", None),
    ("Nur Aini", WorkerType.TAGANA, True, "dapur umum, P3K", "Indonesia, Jawa", "A", None),
    ("Fitri Rahmawati", WorkerType.EXTENSION, False, "penyuluhan, media", "Indonesia", "B", None),
    (
        "Maria Goretti",
        WorkerType.SOCIAL_WORKER,
        False,
        "disabilitas, terapi",
        "Indonesia, Inggris",
        "B",
        None,
    ),
    ("Hadi Susanto", WorkerType.STAFF, False, "logistik, pengadaan", "Indonesia", "A", None),
]

TOPICS = [
    "Pengasuhan anak yang baik",
    "Kesehatan ibu hamil dan balita",
    "Mengelola keuangan keluarga",
    "Perlindungan anak di rumah",
    "Kesejahteraan lanjut usia",
    "Siaga bencana keluarga",
    "Usaha kecil di rumah",
]


def _months_back(today: dt.date, n: int) -> dt.date:
    year, month = today.year, today.month - n
    while month <= 0:
        month += 12
        year -= 1
    return dt.date(year, month, min(today.day, 28))


def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    # Our own seeded generator: drawing from ctx.rng would shift the data of the apps after us.
    rng = random.Random(f"{ctx.seed}-delivery")
    manager = ctx.users.get("manajer")
    programs = ctx.shared.get("programs") or {p.code: p for p in Program.objects.all()}
    catalogue: dict[str, list[Any]] = {}
    for code, program in programs.items():
        rows = CATALOGUE.get(code) or [
            ("LAYANAN", "Layanan pendampingan", ServiceCategory.OTHER, "kali", "0")
        ]
        catalogue[code] = [
            services.service_type_create(
                actor=manager,
                program=program,
                code=s_code,
                name=name,
                category=category,
                unit=unit,
                unit_value=Decimal(value),
            )
            for s_code, name, category, unit, value in rows
        ]

    regions = {"A": KECAMATAN_A, "B": KECAMATAN_B}
    workers = []
    for name, kind, volunteer, skills, languages, kec, username in WORKERS:
        workers.append(
            services.worker_create(
                actor=manager,
                full_name=name,
                worker_type=kind,
                is_volunteer=volunteer,
                skills=skills,
                languages=languages,
                phone=f"08{rng.randint(11, 99)}{rng.randint(10000000, 99999999)}",
                region_id=regions[kec],
                user=ctx.users.get(username) if username else None,
                coverage=[regions[kec]],
            )
        )
    by_kec = {k: [w for w, row in zip(workers, WORKERS, strict=True) if row[5] == k] for k in "AB"}

    activities = list(
        Activity.objects.filter(program__in=programs.values()).select_related("program")
    )
    for activity in activities[:20]:
        services.worker_assign_activity(
            actor=manager, worker=rng.choice(workers), activity=activity, role="Pelaksana"
        )

    # Who is enrolled where: people (own enrolment, or members of an enrolled household).
    enrolments = list(
        Enrolment.objects.filter(program__in=programs.values(), status=EnrolmentStatus.ENROLLED)
        .select_related("household")
        .order_by("pk")
    )
    by_program: dict[int, list[Enrolment]] = defaultdict(list)
    for e in enrolments:
        by_program[e.program_id].append(e)
    people_by_household: dict[int, list[Person]] = defaultdict(list)
    for person in Person.objects.filter(
        household_id__in={e.household_id for e in enrolments}, deceased=False
    ).only("pk", "household_id", "region_id", "full_name"):
        people_by_household[person.household_id].append(person)

    # Events with attendance: about two a month over the past half year, per program.
    desa = {
        k: list(Region.objects.filter(code__startswith=code + ".", level=4).order_by("code")[:6])
        for k, code in regions.items()
    }
    activities_by_program: dict[int, list[Activity]] = defaultdict(list)
    for activity in activities:
        activities_by_program[activity.program_id].append(activity)
    event_count = attendance_count = 0
    for program in programs.values():
        program_activities = activities_by_program.get(program.pk) or [None]
        program_enrolments = by_program.get(program.pk, [])
        for n in range(6):
            kec = "A" if n % 2 == 0 else "B"
            if not desa[kec]:
                continue
            place = rng.choice(desa[kec])
            day = _months_back(today, n) - dt.timedelta(days=rng.randint(0, 20))
            facilitator = rng.choice(by_kec[kec])
            event = services.event_create(
                actor=facilitator.user or manager,
                program=program,
                activity=rng.choice(program_activities),
                topic=rng.choice(TOPICS),
                date=day,
                start_time=dt.time(rng.choice([8, 9, 13]), 0),
                end_time=dt.time(rng.choice([11, 12, 15]), 0),
                region=place,
                place=rng.choice(["Balai desa", "Rumah ketua kelompok", "Masjid", "Pendopo"]),
                facilitator=facilitator,
                workers=[facilitator, rng.choice(by_kec[kec])],
            )
            event_count += 1
            nearby = [e for e in program_enrolments if e.region_id.startswith(regions[kec] + ".")][
                :40
            ]
            rows = []
            seen: set[int] = set()
            for enrolment in rng.sample(nearby, min(len(nearby), rng.randint(8, 20))):
                candidates = (
                    [
                        p
                        for p in people_by_household[enrolment.household_id]
                        if p.pk == enrolment.person_id
                    ]
                    if enrolment.person_id
                    else people_by_household[enrolment.household_id][:1]
                )
                for person in candidates:
                    if person.pk in seen:
                        continue
                    seen.add(person.pk)
                    status = rng.choices(
                        [
                            AttendanceStatus.PRESENT,
                            AttendanceStatus.ABSENT,
                            AttendanceStatus.EXCUSED,
                        ],
                        weights=[8, 1, 1],
                    )[0]
                    rows.append((person, status))
            if rows:
                attendance_count += services.attendance_bulk_record(
                    actor=facilitator.user or manager, event=event, rows=rows, reason="demo"
                )
            services.headcount_set(
                actor=manager,
                event=event,
                counts={
                    ("F", "adult", False): rng.randint(0, 6),
                    ("M", "adult", False): rng.randint(0, 4),
                    ("F", "older", False): rng.randint(0, 3),
                    ("M", "child", True): rng.randint(0, 1),
                },
            )

    # Distribution rounds: monthly food packages in kecamatan A for the first program with a
    # food service, the last one still open and half handed out.
    round_count = delivered = 0
    for code, types in catalogue.items():
        food = next((t for t in types if t.category == ServiceCategory.FOOD), None)
        if food is None or not by_program.get(programs[code].pk):
            continue
        for n, kec in ((3, "A"), (2, "A"), (1, "B"), (0, "A")):
            distribution = services.round_create(
                actor=manager,
                program=programs[code],
                service_type=food,
                name=f"{food.name} {_months_back(today, n):%m/%Y} · {kec}",
                region=regions[kec],
                planned_date=_months_back(today, n),
                place="Balai desa",
            )
            round_count += 1
            lines = list(distribution.recipients.all())
            handed = lines if n else lines[: len(lines) // 2]
            worker = rng.choice(by_kec[kec])
            rows = [
                ServiceDelivery(
                    service_type=food,
                    enrolment_id=line.enrolment_id,
                    household_id=line.household_id,
                    person_id=line.person_id,
                    region_id=line.region_id,
                    round=distribution,
                    activity=distribution.activity,
                    quantity=distribution.quantity,
                    value=distribution.quantity * food.unit_value,
                    currency=food.currency,
                    delivered_on=distribution.planned_date,
                    delivered_by=worker,
                    place=distribution.place,
                    recorded_by=worker.user or manager,
                )
                for line in handed
                if rng.random() < 0.95
            ]
            if rows:
                delivered += services.deliveries_bulk_record(
                    actor=manager, deliveries=rows, reason="demo"
                )
            if n:
                services.round_close(actor=manager, distribution=distribution)
        if round_count >= 8:
            break

    # Individual deliveries over the past year (visits, devices, counselling, cash).
    rows = []
    for code, types in catalogue.items():
        program_enrolments = by_program.get(programs[code].pk, [])
        if not program_enrolments:
            continue
        individual = [t for t in types if t.category != ServiceCategory.FOOD]
        for _i in range(min(60, len(program_enrolments) * 2)):
            enrolment = rng.choice(program_enrolments)
            service = rng.choice(individual or types)
            quantity = Decimal(rng.choice([1, 1, 1, 2]))
            if service.unit == "rupiah":
                quantity = Decimal(rng.choice([500000, 750000, 1000000, 1500000]))
            kec = "A" if enrolment.region_id.startswith(KECAMATAN_A) else "B"
            worker = rng.choice(by_kec[kec])
            rows.append(
                ServiceDelivery(
                    service_type=service,
                    enrolment_id=enrolment.pk,
                    household_id=enrolment.household_id,
                    person_id=enrolment.person_id,
                    region_id=enrolment.region_id,
                    quantity=quantity,
                    value=(quantity * service.unit_value).quantize(Decimal("0.01")),
                    currency=service.currency,
                    delivered_on=today - dt.timedelta(days=rng.randint(0, 360)),
                    delivered_by=worker,
                    place=rng.choice(["Rumah penerima", "Kantor desa", "Kantor Dinas Sosial"]),
                    recorded_by=worker.user or manager,
                )
            )
    if rows:
        delivered += services.deliveries_bulk_record(actor=manager, deliveries=rows, reason="demo")
    ctx.shared["workers"] = workers
    ctx.say(
        f"{len(workers)} workers, {event_count} events ({attendance_count} attendance records), "
        f"{round_count} distribution rounds, {delivered} deliveries"
    )
