from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.operations import RunPython
from django.test.utils import override_settings

from bakti.accounts.models import OrgUnit, User
from bakti.core.demo import load_demo
from bakti.regions.models import Region


def reload_reference_data(database: str = DEFAULT_DB_ALIAS) -> int:
    """Run Bakti's data migrations (RunPython) again, in migration order, on the emptied
    database, so that the reference data they load (PPKS categories, program types, …) is back
    as after a fresh ``migrate``. They run with today's models, which is what the database now
    has. Django's own reference data (content types, permissions) comes back with ``flush``.
    Returns how many operations ran."""
    connection = connections[database]
    executor = MigrationExecutor(connection)
    bakti_labels = {c.label for c in apps.get_app_configs() if c.name.startswith("bakti.")}
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    current = executor.loader.project_state().apps
    editor = connection.schema_editor(atomic=False)  # handed over, never entered
    ran = 0
    for migration, _backwards in plan:
        if migration.app_label not in bakti_labels:
            continue
        for operation in migration.operations:
            if isinstance(operation, RunPython):
                with transaction.atomic(using=database):
                    operation.code(current, editor)
                ran += 1
    return ran


class Command(BaseCommand):
    help = "Load the demo data set into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Erase all data (regions are kept) and load the demo data anyway.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.exists() or OrgUnit.objects.exists():
            if not options["force"]:
                raise CommandError(
                    "The database is not empty. Use --force to erase it and load the demo data."
                )
            regions = list(Region.objects.values_list("code", "name", "level", "parent_id"))
            call_command("flush", interactive=False, verbosity=0)
            Region.objects.bulk_create(
                [Region(code=c, name=n, level=lv, parent_id=p) for c, n, lv, p in regions],
                batch_size=5000,
            )
            reload_reference_data()
        if not Region.objects.exists():
            call_command("regions", "load", verbosity=0)
        # The demo's reminders and alerts go to made-up addresses: keep them out of the
        # console (they are still in the app's notifications).
        quiet_mail = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
        )
        with quiet_mail, transaction.atomic():
            ctx = load_demo()
        for line in ctx.log:
            self.stdout.write(line)
