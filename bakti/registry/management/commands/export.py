from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.accounts.models import User
from bakti.registry.importing.exporting import registry_export


class Command(BaseCommand):
    # A data command: the system checks (which import every URL module and API schema) run
    # on migrate and on server start, not before each file.
    requires_system_checks: list[str] = []
    help = (
        "Export the registry in the default import layout: bakti export registry OUT.csv "
        "[--region CODE] [--user NAME]. The file imports back with nothing created or rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["registry"])
        parser.add_argument("out", help="The CSV file to write.")
        parser.add_argument("--region", help="Only this region and what lies under it.")
        parser.add_argument("--user", help="Export only what this user may see.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"There is no user {options['user']!r}.")
        with open(options["out"], "w", encoding="utf-8-sig", newline="") as out:
            count = registry_export(out, actor=actor, region=options["region"])
        self.stdout.write(f"{count} rows written to {options['out']}.")
