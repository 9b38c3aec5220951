"""Demo partners: 25 organisations of a kabupaten Dinas Sosial with services, contacts,
documents, agreements (some ending within 7, 30 and 90 days), contributions and interactions.
The demo user ``mitra`` works for the first LKS."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from bakti.core.demo import KABUPATEN, DemoContext
from bakti.regions.models import Region

from . import services
from .models import (
    AgreementKind,
    AgreementStatus,
    ContributionKind,
    DocumentKind,
    InteractionKind,
    OrganisationType,
)

# (name, type, services offered)
ORGANISATIONS = [
    ("LKS Panti Asuhan Bina Putra", OrganisationType.LKS, ["Pengasuhan anak", "Rumah aman anak"]),
    ("LKS Lansia Sejahtera Gamping", OrganisationType.LKS, ["Perawatan lansia", "Home care"]),
    ("Yayasan Difabel Mandiri", OrganisationType.NGO, ["Alat bantu disabilitas", "Terapi okupasi"]),
    ("UPTD PPA Kabupaten Sleman", OrganisationType.GOVERNMENT, ["Pendampingan korban kekerasan"]),
    ("Puskesmas Gamping I", OrganisationType.HEALTH, ["Pemeriksaan kesehatan", "Layanan jiwa"]),
    ("Puskesmas Godean II", OrganisationType.HEALTH, ["Pemeriksaan kesehatan"]),
    ("Disdukcapil Kabupaten Sleman", OrganisationType.GOVERNMENT, ["Perekaman KTP-el dan KK"]),
    ("Bappeda Kabupaten Sleman", OrganisationType.GOVERNMENT, []),
    ("Karang Taruna Tunas Harapan", OrganisationType.COMMUNITY, ["Relawan pendataan"]),
    ("Karang Taruna Bina Muda Godean", OrganisationType.COMMUNITY, ["Relawan distribusi"]),
    ("LK3 Keluarga Harmonis", OrganisationType.LKS, ["Konseling keluarga"]),
    ("PT Sari Husada Sejahtera (CSR)", OrganisationType.CSR, []),
    ("PT Bank Pembangunan Daerah (CSR)", OrganisationType.CSR, []),
    (
        "Universitas Gadjah Mada — Departemen Pembangunan Sosial",
        OrganisationType.UNIVERSITY,
        ["Kajian dan evaluasi program"],
    ),
    ("Politeknik Kesejahteraan Sosial", OrganisationType.UNIVERSITY, ["Praktik pekerja sosial"]),
    ("Yayasan Rumah Singgah Anak Jalanan", OrganisationType.NGO, ["Rumah singgah", "Pendidikan"]),
    ("LBH Yogyakarta", OrganisationType.NGO, ["Bantuan hukum"]),
    ("Baznas Kabupaten Sleman", OrganisationType.DONOR, ["Bantuan biaya hidup"]),
    ("Palang Merah Indonesia Sleman", OrganisationType.NGO, ["Tanggap darurat bencana"]),
    ("Tagana Sleman", OrganisationType.COMMUNITY, ["Tanggap darurat bencana"]),
    (
        "Yayasan Pemberdayaan Perempuan Kepala Keluarga",
        OrganisationType.NGO,
        ["Pelatihan usaha", "Kelompok simpan pinjam"],
    ),
    ("Rumah Sakit Jiwa Grhasia", OrganisationType.HEALTH, ["Rehabilitasi psikososial"]),
    ("Balai Latihan Kerja Sleman", OrganisationType.GOVERNMENT, ["Pelatihan kerja"]),
    ("Forum Komunikasi PSM Sleman", OrganisationType.COMMUNITY, ["Pendampingan warga"]),
    ("Yayasan Pangan Lestari", OrganisationType.DONOR, ["Paket pangan"]),
]

# Days from today to the end of the first agreement of some partners: reminders due soon.
ENDING_SOON = {0: 6, 1: 29, 2: 85, 3: 120, 11: 28, 12: 7}


def load(ctx: DemoContext) -> None:
    manager = ctx.users.get("manajer")
    officer = ctx.users.get("staf") or manager
    if manager is None:
        return
    today = timezone.localdate()
    kecamatan = list(Region.objects.filter(code__startswith=KABUPATEN + ".", level=3)[:4])
    programs = list(ctx.shared.get("programs", {}).values())
    organisations = []
    for index, (name, kind, offered) in enumerate(ORGANISATIONS):
        org = services.organisation_create(
            actor=manager,
            name=name,
            org_type=kind,
            legal_number=f"AHU-{ctx.rng.randint(1000, 9999)}.AH.01.04.Tahun {2010 + index % 12}"
            if kind in {OrganisationType.LKS, OrganisationType.NGO, OrganisationType.CSR}
            else "",
            tax_number=f"0{ctx.rng.randint(1, 9)}.{ctx.rng.randint(100, 999)}."
            f"{ctx.rng.randint(100, 999)}.{ctx.rng.randint(1, 9)}-{ctx.rng.randint(500, 599)}.000",
            address=ctx.fake.street_address(),
            region=kecamatan[index % len(kecamatan)] if kecamatan else None,
            phone=ctx.fake.phone_number(),
            email=f"info{index}@mitra.example.id",
            coverage=kecamatan[: 1 + index % max(len(kecamatan), 1)],
        )
        organisations.append(org)
        for service in offered:
            services.service_create(actor=manager, organisation=org, name=service)
        services.contact_create(
            actor=manager,
            organisation=org,
            full_name=ctx.fake.name(),
            position=ctx.rng.choice(["Ketua", "Direktur", "Sekretaris", "Koordinator program"]),
            phone=ctx.fake.phone_number(),
            is_primary=True,
        )
        if kind in {OrganisationType.LKS, OrganisationType.NGO}:
            issued = today - dt.timedelta(days=ctx.rng.randint(200, 1500))
            services.document_create(
                actor=manager,
                organisation=org,
                kind=DocumentKind.REGISTRATION,
                title="Tanda daftar LKS",
                number=f"460/{ctx.rng.randint(100, 999)}/{issued.year}",
                issued_on=issued,
                expires_on=issued + dt.timedelta(days=5 * 365),
            )
        # Agreements: one for most partners, the first ones ending soon.
        if index % 5 == 4:
            continue
        if index in ENDING_SOON:
            end = today + dt.timedelta(days=ENDING_SOON[index])
        else:
            end = today + dt.timedelta(days=ctx.rng.choice([-60, 200, 300, 500]))
        start = end - dt.timedelta(days=ctx.rng.choice([365, 730]))
        status = AgreementStatus.EXPIRED if end < today else AgreementStatus.ACTIVE
        value = Decimal(ctx.rng.choice([0, 25, 50, 150, 400])) * Decimal("1000000")
        agreement = services.agreement_create(
            actor=manager,
            organisation=org,
            kind=AgreementKind.PKS if value else AgreementKind.MOU,
            number=f"{ctx.rng.randint(100, 999)}/PKS/DINSOS/{start.year}",
            title=f"{'Perjanjian kerja sama' if value else 'Nota kesepahaman'} dengan {name}",
            scope="Kerja sama penyelenggaraan kesejahteraan sosial di Kabupaten Sleman.",
            our_obligations="Menyediakan data sasaran, pembinaan teknis, dan pemantauan.",
            partner_obligations="Memberikan layanan sesuai standar dan melaporkan tiap triwulan.",
            start_date=start,
            end_date=end,
            value=value,
            status=status,
            owner=manager if index % 2 else officer,
            programs=programs[index % len(programs) : index % len(programs) + 1]
            if programs
            else [],
        )
        for _ in range(ctx.rng.randint(0, 3)):
            cash = ctx.rng.random() < 0.4
            services.contribution_create(
                actor=manager,
                organisation=org,
                agreement=agreement,
                kind=ContributionKind.CASH if cash else ContributionKind.IN_KIND,
                description="Dana hibah kegiatan"
                if cash
                else ctx.rng.choice(["Paket sembako", "Kursi roda", "Tenaga relawan"]),
                value=Decimal(ctx.rng.randint(5, 120)) * Decimal("1000000"),
                date=min(start + dt.timedelta(days=ctx.rng.randint(10, 300)), today),
                program=programs[index % len(programs)] if programs else None,
            )
        for _ in range(ctx.rng.randint(1, 3)):
            when = today - dt.timedelta(days=ctx.rng.randint(1, 300))
            services.interaction_create(
                actor=officer,
                organisation=org,
                kind=ctx.rng.choice(list(InteractionKind)),
                date=when,
                subject=ctx.rng.choice(
                    [
                        "Rapat koordinasi triwulan",
                        "Kunjungan pemantauan layanan",
                        "Pembahasan perpanjangan kerja sama",
                        "Surat permohonan data penerima",
                    ]
                ),
                participants="Dinas Sosial; " + name,
                summary="Membahas capaian layanan dan kendala di lapangan.",
                follow_ups=[
                    {
                        "action": "Mengirim daftar penerima terbaru",
                        "owner": officer,
                        "due_date": when + dt.timedelta(days=14),
                    }
                ],
            )
    mitra = ctx.users.get("mitra")
    if mitra is not None:
        services.organisation_user_link(actor=manager, user=mitra, organisation=organisations[0])
    ctx.shared["partner_organisations"] = organisations
    reminders = services.agreements_send_reminders(today=today)
    ctx.say(
        f"{len(organisations)} partner organisations with agreements, contributions and"
        f" interactions ({len(reminders)} renewal reminders sent)"
    )
