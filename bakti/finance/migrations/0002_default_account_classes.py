"""The default account classification chart: Indonesian regional spending categories
(Permendagri 90/2019 codes). Editable afterwards; removing the migration removes only these."""

from django.db import migrations

DEFAULT_CLASSES = [
    ("5.1.01", "Belanja Pegawai"),
    ("5.1.02", "Belanja Barang dan Jasa"),
    ("5.1.05", "Belanja Hibah"),
    ("5.1.06", "Belanja Bantuan Sosial"),
    ("5.2", "Belanja Modal"),
]


def add_classes(apps, schema_editor):
    AccountClass = apps.get_model("finance", "AccountClass")
    for code, name in DEFAULT_CLASSES:
        AccountClass.objects.get_or_create(code=code, defaults={"name": name})


def remove_classes(apps, schema_editor):
    AccountClass = apps.get_model("finance", "AccountClass")
    BudgetLine = apps.get_model("finance", "BudgetLine")
    AccountClass.objects.filter(code__in=[code for code, _name in DEFAULT_CLASSES]).exclude(
        pk__in=BudgetLine.objects.values("account_class")
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(add_classes, remove_classes)]
