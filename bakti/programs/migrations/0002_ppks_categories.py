"""The 26 official PPKS categories (Pemerlu Pelayanan Kesejahteraan Sosial) as editable data."""

from django.db import migrations

PPKS = [
    ("01", "Anak Balita Terlantar"),
    ("02", "Anak Terlantar"),
    ("03", "Anak yang Berhadapan dengan Hukum"),
    ("04", "Anak Jalanan"),
    ("05", "Anak dengan Kedisabilitasan"),
    ("06", "Anak Korban Tindak Kekerasan atau Perlakuan Salah"),
    ("07", "Anak yang Memerlukan Perlindungan Khusus"),
    ("08", "Lanjut Usia Terlantar"),
    ("09", "Penyandang Disabilitas"),
    ("10", "Tuna Susila"),
    ("11", "Gelandangan"),
    ("12", "Pengemis"),
    ("13", "Pemulung"),
    ("14", "Kelompok Minoritas"),
    ("15", "Bekas Warga Binaan Lembaga Pemasyarakatan"),
    ("16", "Orang dengan HIV/AIDS"),
    ("17", "Korban Penyalahgunaan NAPZA"),
    ("18", "Korban Trafficking"),
    ("19", "Korban Tindak Kekerasan"),
    ("20", "Pekerja Migran Bermasalah Sosial"),
    ("21", "Korban Bencana Alam"),
    ("22", "Korban Bencana Sosial"),
    ("23", "Perempuan Rawan Sosial Ekonomi"),
    ("24", "Fakir Miskin"),
    ("25", "Keluarga Bermasalah Sosial Psikologis"),
    ("26", "Komunitas Adat Terpencil"),
]


def load(apps, schema_editor):
    PPKSCategory = apps.get_model("programs", "PPKSCategory")
    for code, name in PPKS:
        PPKSCategory.objects.update_or_create(code=code, defaults={"name": name})


def unload(apps, schema_editor):
    PPKSCategory = apps.get_model("programs", "PPKSCategory")
    PPKSCategory.objects.filter(code__in=[code for code, _ in PPKS]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
