"""Default case types and protection concerns (editable reference data)."""

from django.db import migrations

CASE_TYPES = [
    # code, name, plan approval, closure approval, assessment days, plan days, referral days
    ("ANAK", "Perlindungan anak", True, True, 1, 7, 2),
    ("KEKERASAN", "Korban kekerasan atau perdagangan orang", True, True, 1, 7, 2),
    ("LANSIA", "Lanjut usia terlantar", True, True, 3, 14, 5),
    ("DISABILITAS", "Penyandang disabilitas", True, False, 5, 21, 5),
    ("UMUM", "Pendampingan keluarga rentan", False, False, 7, 30, 7),
]

CONCERNS = [
    ("KEKERASAN_FISIK", "Kekerasan fisik atau psikis"),
    ("KEKERASAN_SEKSUAL", "Kekerasan atau eksploitasi seksual"),
    ("PENELANTARAN", "Penelantaran"),
    ("PERDAGANGAN", "Perdagangan orang"),
    ("PERKAWINAN_ANAK", "Perkawinan anak"),
    ("PEKERJA_ANAK", "Pekerja anak"),
    ("TANPA_PENGASUH", "Tanpa pengasuh atau terpisah dari keluarga"),
    ("TANPA_DOKUMEN", "Tidak punya dokumen kependudukan"),
    ("KESEHATAN", "Masalah kesehatan serius"),
    ("KESEHATAN_JIWA", "Gangguan kesehatan jiwa"),
    ("NAPZA", "Penyalahgunaan NAPZA"),
    ("TANPA_RUMAH", "Tidak punya tempat tinggal"),
    ("PUTUS_SEKOLAH", "Putus sekolah"),
    ("BERHADAPAN_HUKUM", "Berhadapan dengan hukum"),
]


def load(apps, schema_editor):
    CaseType = apps.get_model("cases", "CaseType")
    ProtectionConcern = apps.get_model("cases", "ProtectionConcern")
    for code, name, plan, closure, assess, plan_days, referral in CASE_TYPES:
        CaseType.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "plan_needs_approval": plan,
                "closure_needs_approval": closure,
                "assessment_days": assess,
                "plan_days": plan_days,
                "referral_response_days": referral,
            },
        )
    for code, name in CONCERNS:
        ProtectionConcern.objects.update_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    apps.get_model("cases", "CaseType").objects.filter(
        code__in=[row[0] for row in CASE_TYPES]
    ).delete()
    apps.get_model("cases", "ProtectionConcern").objects.filter(
        code__in=[row[0] for row in CONCERNS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunPython(load, unload)]
