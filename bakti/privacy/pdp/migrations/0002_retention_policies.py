"""Reference data: a retention period for each category of personal data (editable; the
descriptions are data, written in Indonesian, the default language)."""

from django.db import migrations

POLICIES = [
    ("identity", 60, "keluar dari semua program", "orang dianonimkan"),
    ("contact", 60, "keluar dari semua program", "orang dianonimkan"),
    ("socioeconomic", 60, "keluar dari semua program", "disimpan tanpa identitas"),
    ("health", 60, "keluar dari semua program", "disimpan tanpa identitas"),
    ("children", 60, "keluar dari semua program", "orang dianonimkan"),
    ("finance", 120, "akhir tahun anggaran pembayaran", "disimpan tanpa identitas"),
    ("cases", 120, "kasus ditutup", "ditinjau Petugas Pelindungan Data"),
    ("complaints", 36, "pengaduan ditutup", "ditinjau Petugas Pelindungan Data"),
    ("audit", 120, "kejadian", "disimpan"),
]


def load(apps, schema_editor):
    RetentionPolicy = apps.get_model("pdp", "RetentionPolicy")
    for category, months, starts, action in POLICIES:
        RetentionPolicy.objects.get_or_create(
            category=category,
            defaults={"period_months": months, "starts": starts, "action": action},
        )


def unload(apps, schema_editor):
    apps.get_model("pdp", "RetentionPolicy").objects.filter(
        category__in=[p[0] for p in POLICIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("pdp", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
