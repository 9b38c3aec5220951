from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from bakti.accounts.models import OrgUnit, User
from bakti.core.demo import load_demo
from bakti.regions.models import Region


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
        if not Region.objects.exists():
            call_command("regions", "load", verbosity=0)
        with transaction.atomic():
            ctx = load_demo()
        for line in ctx.log:
            self.stdout.write(line)
