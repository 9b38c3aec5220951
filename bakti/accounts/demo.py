"""Demo org units and one user per role for a kabupaten Dinas Sosial."""

from bakti.core.demo import KABUPATEN, KECAMATAN_A, KECAMATAN_B, DemoContext

from . import services
from .models import OrgUnitKind
from .roles import Role

# (code, name, kind, parent code)
ORG_UNITS = [
    ("DINSOS", "Dinas Sosial Kabupaten Sleman", OrgUnitKind.DEPARTMENT, None),
    ("SEKRE", "Sekretariat", OrgUnitKind.DIVISION, "DINSOS"),
    ("SEKRE-KEU", "Subbagian Keuangan dan Aset", OrgUnitKind.SECTION, "SEKRE"),
    ("REHSOS", "Bidang Rehabilitasi Sosial", OrgUnitKind.DIVISION, "DINSOS"),
    ("REHSOS-AL", "Seksi Rehabilitasi Sosial Anak dan Lanjut Usia", OrgUnitKind.SECTION, "REHSOS"),
    (
        "REHSOS-PD",
        "Seksi Rehabilitasi Sosial Penyandang Disabilitas",
        OrgUnitKind.SECTION,
        "REHSOS",
    ),
    ("LINJAMSOS", "Bidang Perlindungan dan Jaminan Sosial", OrgUnitKind.DIVISION, "DINSOS"),
    ("LINJAMSOS-BS", "Seksi Perlindungan Sosial Korban Bencana", OrgUnitKind.SECTION, "LINJAMSOS"),
    ("LINJAMSOS-JS", "Seksi Jaminan Sosial Keluarga", OrgUnitKind.SECTION, "LINJAMSOS"),
    ("DAYASOS", "Bidang Pemberdayaan Sosial", OrgUnitKind.DIVISION, "DINSOS"),
    ("PFM", "Bidang Penanganan Fakir Miskin", OrgUnitKind.DIVISION, "DINSOS"),
    ("UPTD-PSBL", "UPTD Panti Sosial Bina Lanjut Usia", OrgUnitKind.SERVICE_UNIT, "REHSOS"),
]

# (username, full name, role, org unit code, region scope)
USERS = [
    ("kadis", "Drs. Bambang Wicaksono, M.Si.", Role.HEAD, "DINSOS", None),
    ("manajer", "Siti Rahmawati, S.Sos., M.Kesos.", Role.MANAGER, "DINSOS", None),
    ("staf", "Agus Prasetyo, S.Tr.Sos.", Role.OFFICER, "REHSOS", None),
    ("petugas.a", "Dewi Lestari", Role.FIELD_WORKER, "LINJAMSOS-JS", KECAMATAN_A),
    ("petugas.b", "Yohanes Setiawan", Role.FIELD_WORKER, "LINJAMSOS-JS", KECAMATAN_B),
    ("keuangan", "Rina Kusumawardani, S.E.", Role.FINANCE, "SEKRE-KEU", None),
    ("monev", "Hendra Gunawan, S.Stat.", Role.MNE, "DINSOS", None),
    ("mitra", "Maria Ulfa", Role.PARTNER, "DINSOS", None),
    ("auditor", "Ir. Taufik Hidayat", Role.AUDITOR, "DINSOS", None),
    ("admin", "Administrator Sistem", Role.ADMIN, "DINSOS", None),
]


def load(ctx: DemoContext) -> None:
    for code, name, kind, parent in ORG_UNITS:
        ctx.org_units[code] = services.org_unit_create(
            actor=None,
            name=name,
            code=code,
            kind=kind,
            parent=ctx.org_units[parent] if parent else None,
            region_code=KABUPATEN,
        )
    for username, full_name, role, unit, region in USERS:
        user = services.user_create(
            actor=None,
            username=username,
            password=ctx.password,
            full_name=full_name,
            email=f"{username}@dinsos.example.id",
            phone=ctx.fake.phone_number(),
        )
        services.membership_grant(
            actor=None, user=user, role=role, org_unit=ctx.org_units[unit], region_code=region
        )
        ctx.users[username] = user
    ctx.say(f"{len(ORG_UNITS)} org units and {len(USERS)} users (password: {ctx.password})")
