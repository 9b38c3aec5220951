import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from bakti.accounts.models import User
from bakti.registry.importing import services
from bakti.registry.models import ColumnMapping, JobStatus

CHUNK_HELP = "Rows per batch written at once (default 2000)."


class Command(BaseCommand):
    # A data command: the system checks (which import every URL module and API schema) run
    # on migrate and on server start, not before each file.
    requires_system_checks: list[str] = []
    help = (
        "Import a registry file (CSV or XLSX): bakti import registry FILE [--mapping NAME] "
        "[--report errors.csv] [--user NAME]. Exits with status 1 when any row was rejected, "
        "2 when the import failed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=["registry"])
        parser.add_argument("file", help="The CSV or XLSX file to import.")
        parser.add_argument("--mapping", help="The name of a saved column mapping.")
        parser.add_argument("--report", help="Write the rejected rows (CSV) to this file.")
        parser.add_argument(
            "--user",
            help="Import as this user, within the regions they may import for "
            "(default: the system, everywhere).",
        )
        parser.add_argument("--chunk-rows", type=int, default=2000, help=CHUNK_HELP)
        parser.add_argument(
            "--no-duplicate-search",
            action="store_true",
            help="Do not look for possible duplicates (by name, birth date and region) after "
            "the import (NIK and KK are still matched); run it later from the duplicates page.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"There is no user {options['user']!r}.")
        mapping = None
        if options["mapping"]:
            mapping = ColumnMapping.objects.filter(name=options["mapping"]).first()
            if mapping is None:
                raise CommandError(f"There is no saved column mapping {options['mapping']!r}.")
        try:
            with path.open("rb") as handle, transaction.atomic():
                job = services.import_job_create(
                    actor=actor, upload=File(handle, name=path.name), mapping=mapping
                )
                job.column_map = services.clean_mapping(job.column_map)
                job.save(update_fields=["column_map"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        job = services.import_job_run(
            job_id=job.pk,
            chunk_rows=options["chunk_rows"],
            find_duplicates=not options["no_duplicate_search"],
        )
        self.stdout.write(
            f"{job.processed_rows} rows: {job.created_households} households and "
            f"{job.created_people} people created, {job.updated_households} households and "
            f"{job.updated_people} people updated, {job.rejected_rows} rows rejected, "
            f"{job.warning_rows} rows with warnings, {job.duplicates_suspected} possible "
            "duplicates found."
        )
        if job.message:
            self.stderr.write(job.message)
        if options["report"] and job.error_report:
            with job.error_report.open("rb") as source, open(options["report"], "wb") as out:
                shutil.copyfileobj(source, out)
            self.stdout.write(f"Rejected rows: {options['report']}")
        if job.status == JobStatus.FAILED:
            sys.exit(2)
        if job.rejected_rows:
            sys.exit(1)
