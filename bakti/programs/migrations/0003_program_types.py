"""The default program types (an editable list)."""

from django.db import migrations

TYPES = [
    ("social_assistance", "Bantuan Sosial", 10),
    ("social_rehabilitation", "Rehabilitasi Sosial", 20),
    ("social_empowerment", "Pemberdayaan Sosial", 30),
    ("social_protection", "Perlindungan Sosial", 40),
    ("disaster_response", "Penanganan Bencana", 50),
    ("other", "Lainnya", 90),
]


def load(apps, schema_editor):
    ProgramType = apps.get_model("programs", "ProgramType")
    for code, name, order in TYPES:
        ProgramType.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    ProgramType = apps.get_model("programs", "ProgramType")
    ProgramType.objects.filter(code__in=[code for code, _, _ in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0002_ppks_categories")]

    operations = [migrations.RunPython(load, unload)]
