"""Demo data for the UU PDP duties: a data protection officer, requests at each stage of their
3x24-hour clock, one breach with its notice to the authority, a record of processing and a
draft impact assessment. The retention periods come from the migration."""

import datetime as dt
from typing import Any

from django.utils import timezone

from bakti.accounts import services as account_services
from bakti.accounts.roles import Role
from bakti.registry.models import Person

from . import services


def load(ctx: Any) -> None:
    dpo = account_services.user_create(
        actor=None, username="ppd", password=ctx.password, full_name="Nur Aini Rahmawati, S.H."
    )
    account_services.membership_grant(
        actor=None, user=dpo, role=Role.DPO, org_unit=ctx.org_units["DINSOS"], region_code=None
    )
    ctx.users["ppd"] = dpo
    now = timezone.now()
    people = list(Person.objects.filter(deceased=False).order_by("pk")[:5])
    if len(people) < 5:
        ctx.say("privacy: no people in the registry, no data-subject requests")
        return

    def receive(
        kind: str, person: Any, hours_ago: float, name: str, details: str, region: Any = None
    ) -> Any:
        return services.dsr_receive(
            actor=dpo,
            kind=kind,
            person=person,
            region=region,
            requester_name=name,
            requester_relation="self" if person and name == person.full_name else "parent",
            channel=ctx.rng.choice(["in_person", "letter", "messaging"]),
            received_at=now - dt.timedelta(hours=hours_ago),
            details=details,
        )

    access = receive(
        "access", people[0], 6, people[0].full_name, "Meminta salinan seluruh data dirinya."
    )
    services.dsr_start(actor=dpo, request=access)
    receive(
        "correction",
        people[1],
        55,
        people[1].full_name,
        "Tanggal lahir di data bantuan tidak sesuai KTP.",
    )
    erase = receive(
        "deletion", people[2], 30, people[2].full_name, "Meminta datanya dihapus dari daftar."
    )
    services.dsr_erase(
        actor=dpo,
        request=erase,
        answer="Data Anda masih diperlukan selama Anda terdaftar sebagai penerima program.",
        answer_channel="letter",
    )
    objection = receive(
        "objection", people[3], 20, people[3].full_name, "Keberatan atas skor otomatis."
    )
    services.dsr_object_to_scoring(
        actor=dpo,
        request=objection,
        answer="Rumah tangga Anda tidak lagi diskor otomatis; penilaian dilakukan petugas.",
        answer_channel="in_person",
    )
    overdue = receive(
        "restriction",
        None,
        80,
        "Sri Handayani",
        "Meminta data anaknya tidak dibagikan ke mitra.",
        region=people[4].region_id,
    )
    services.dsr_link_person(actor=dpo, request=overdue, person=people[4])

    breach = services.breach_record(
        actor=dpo,
        title="Daftar penerima terkirim ke grup WhatsApp yang salah",
        description="Berkas daftar penerima satu desa (nama, NIK, alamat) terkirim ke grup "
        "WhatsApp warga, lalu dihapus 20 menit kemudian.",
        discovered_at=now - dt.timedelta(hours=30),
        occurred_at=now - dt.timedelta(hours=31),
        data_categories=["identity", "contact"],
        people_affected=48,
        persons=people[:3],
        actions_taken="Pesan dihapus; admin grup diminta menghapus salinan; petugas dilatih ulang.",
    )
    services.breach_notice_add(
        actor=dpo,
        breach=breach,
        audience="authority",
        recipient="Lembaga Pelindungan Data Pribadi",
        channel="email",
        sent_at=now - dt.timedelta(hours=20),
        text="Pemberitahuan kegagalan pelindungan data pribadi: daftar penerima bantuan satu desa "
        "terkirim ke grup yang salah pada tanggal kejadian; 48 orang terdampak; langkah yang "
        "diambil: pesan dihapus dan petugas dilatih ulang.",
    )

    programs = list(ctx.shared.get("programs", {}).values())
    if programs:
        program = programs[0]
        services.processing_record_save(
            actor=dpo,
            program=program,
            data={
                "purposes": "Penetapan sasaran, penyaluran bantuan dan pemantauan program.",
                "legal_basis": "legal_obligation",
                "legal_reference": "UU 11/2009 tentang Kesejahteraan Sosial; UU 13/2011",
                "data_subjects": "Keluarga penerima dan anggota keluarganya",
                "data_categories": ["identity", "contact", "socioeconomic", "health", "finance"],
                "retention": "5 tahun setelah keluar dari program, lalu dianonimkan.",
                "transfers": "Tidak ada transfer ke luar negeri.",
                "security_measures": "Akses menurut peran dan wilayah; log akses.",
            },
        )
        services.dpia_create(
            actor=dpo,
            program=program,
            data={
                "title": "Penskoran kerentanan rumah tangga",
                "processing": "Skor otomatis dari data sosial ekonomi untuk usulan sasaran.",
                "necessity": "Kuota terbatas; skor membantu urutan verifikasi lapangan.",
                "risks": "Salah sasaran; data usang; diskriminasi terhadap penyandang disabilitas.",
                "likelihood": "medium",
                "severity": "high",
                "mitigations": "Verifikasi lapangan; hak keberatan; pemutakhiran tahunan.",
                "residual_risk": "medium",
            },
        )
    ctx.say("privacy: 1 data protection officer (ppd), 5 data-subject requests, 1 breach")
