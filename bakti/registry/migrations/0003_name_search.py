"""Indexes for name search (see bakti/registry/name_search.py) and ordered person lists.

Every statement may run twice: `bakti demo --force` runs the data migrations again.
"""

from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS registry_person_name USING fts5("
    "full_name, content='registry_person', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_ai AFTER INSERT ON registry_person BEGIN "
    "INSERT INTO registry_person_name(rowid, full_name) VALUES (new.id, new.full_name); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_ad AFTER DELETE ON registry_person BEGIN "
    "INSERT INTO registry_person_name(registry_person_name, rowid, full_name) "
    "VALUES ('delete', old.id, old.full_name); END",
    "CREATE TRIGGER IF NOT EXISTS registry_person_name_au "
    "AFTER UPDATE OF full_name ON registry_person BEGIN "
    "INSERT INTO registry_person_name(registry_person_name, rowid, full_name) "
    "VALUES ('delete', old.id, old.full_name); "
    "INSERT INTO registry_person_name(rowid, full_name) VALUES (new.id, new.full_name); END",
    "INSERT INTO registry_person_name(registry_person_name) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_person_name_au",
    "DROP TRIGGER IF EXISTS registry_person_name_ad",
    "DROP TRIGGER IF EXISTS registry_person_name_ai",
    "DROP TABLE IF EXISTS registry_person_name",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_name_trgm_idx ON registry_person "
    "USING gin (UPPER(full_name::text) gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS person_name_trgm_idx"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_import_job_reports")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["full_name"], name="person_name_idx"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
