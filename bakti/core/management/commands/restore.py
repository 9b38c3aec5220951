from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bakti.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `bakti backup`, replacing the database and uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Archive written by `bakti backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"] and options.get("interactive", True):
            answer = input("This replaces all data with the backup's. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = restore_backup(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables from {options['archive']}; "
            "every table's row count and checksum match the backup."
        )
