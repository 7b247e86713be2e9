"""Load a backup made by `manage.py backup` into an empty database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore the backup at PATH into an empty, migrated database (run `manage.py migrate` first), "
        "all or nothing. Refuses a database that holds data and a backup made at other migrations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A file written by `manage.py backup`, or - for standard input.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            header = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(header["counts"].values())
        self.stdout.write(
            f"Restored {rows} rows from {path} (a {header['database']} backup of {header['created_at']}). "
            "API tokens are not in backups: issue new ones with `manage.py drf_create_token`."
        )
