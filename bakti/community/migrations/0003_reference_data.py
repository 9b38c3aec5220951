"""Default complaint categories, priorities, SLA matrix, escalation ladder and the Indonesian
2026 public holidays and joint leave days (SKB 3 Menteri). All of it is editable data."""

import datetime as dt

from django.db import migrations

CATEGORIES = [
    # code, name, sensitive, resolve days for (urgent, normal, low)
    ("eligibility", "Kelayakan dan penetapan sasaran", False, (5, 14, 14)),
    ("payment", "Pembayaran dan penyaluran bantuan", False, (5, 14, 14)),
    ("data_correction", "Perbaikan data", False, (5, 14, 14)),
    ("service_quality", "Kualitas layanan", False, (5, 14, 14)),
    ("conduct", "Perilaku petugas atau mitra", False, (5, 14, 14)),
    ("sea", "Eksploitasi dan pelecehan seksual", True, (30, 30, 60)),
    ("child_abuse", "Kekerasan terhadap anak", True, (30, 30, 60)),
    ("fraud", "Penipuan, pungutan liar atau korupsi", True, (30, 30, 60)),
    ("data_breach", "Kebocoran data pribadi", True, (30, 30, 60)),
    ("information", "Permintaan informasi", False, (2, 5, 5)),
    ("suggestion", "Saran atau apresiasi", False, (5, 5, 5)),
    ("referral", "Di luar kewenangan (dirujuk ke instansi lain)", False, (2, 5, 5)),
]
PRIORITIES = [("urgent", "Mendesak", 1), ("normal", "Biasa", 2), ("low", "Rendah", 3)]
STEPS = [
    (1, "Desa/kelurahan (operator desa, TKSK)"),
    (2, "Kecamatan"),
    (3, "Bidang Dinas Sosial"),
    (4, "Kepala Dinas"),
]
HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru 2026 Masehi", "national"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW", "national"),
    ("2026-02-16", "Cuti bersama Tahun Baru Imlek", "joint_leave"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili", "national"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi", "joint_leave"),
    ("2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)", "national"),
    ("2026-03-20", "Cuti bersama Idul Fitri 1447 H", "joint_leave"),
    ("2026-03-21", "Idul Fitri 1447 H", "national"),
    ("2026-03-22", "Idul Fitri 1447 H", "national"),
    ("2026-03-23", "Cuti bersama Idul Fitri 1447 H", "joint_leave"),
    ("2026-03-24", "Cuti bersama Idul Fitri 1447 H", "joint_leave"),
    ("2026-04-03", "Wafat Yesus Kristus", "national"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)", "national"),
    ("2026-05-01", "Hari Buruh Internasional", "national"),
    ("2026-05-14", "Kenaikan Yesus Kristus", "national"),
    ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus", "joint_leave"),
    ("2026-05-27", "Idul Adha 1447 H", "national"),
    ("2026-05-28", "Cuti bersama Idul Adha 1447 H", "joint_leave"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE", "national"),
    ("2026-06-01", "Hari Lahir Pancasila", "national"),
    ("2026-06-16", "Tahun Baru Islam 1448 H", "national"),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia", "national"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW", "national"),
    ("2026-12-24", "Cuti bersama Hari Raya Natal", "joint_leave"),
    ("2026-12-25", "Hari Raya Natal", "national"),
]


def load(apps, schema_editor):
    Category = apps.get_model("community", "Category")
    Priority = apps.get_model("community", "Priority")
    SLARule = apps.get_model("community", "SLARule")
    Holiday = apps.get_model("community", "Holiday")
    EscalationStep = apps.get_model("community", "EscalationStep")
    priorities = {
        code: Priority.objects.create(code=code, name=name, order=order)
        for code, name, order in PRIORITIES
    }
    for order, (code, name, sensitive, resolve) in enumerate(CATEGORIES, start=1):
        category = Category.objects.create(
            code=code, name=name, is_sensitive=sensitive, order=order
        )
        for (pcode, priority), days in zip(priorities.items(), resolve, strict=True):
            acknowledge = 1 if sensitive or pcode == "urgent" else 2
            SLARule.objects.create(
                category=category,
                priority=priority,
                acknowledge_days=acknowledge,
                resolve_days=days,
            )
    for order, name in STEPS:
        EscalationStep.objects.create(order=order, name=name)
    for day, name, kind in HOLIDAYS_2026:
        Holiday.objects.create(date=dt.date.fromisoformat(day), name=name, kind=kind)


def unload(apps, schema_editor):
    for model in ("SLARule", "Category", "Priority", "EscalationStep", "Holiday"):
        apps.get_model("community", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
