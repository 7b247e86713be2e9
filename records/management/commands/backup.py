"""Write a consistent, restorable backup of the whole database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from records.backups import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Back up every record, its history, and the accounts and groups behind it, as one snapshot, to "
        "PATH: into a directory as bilateral-backup-YYYYmmddTHHMMSSZ.json.gz, or to the file named. "
        "Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="A directory (the file is named by the time) or a file name.")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            result = write_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        tables = len(result.header["counts"])
        self.stdout.write(f"Backed up {result.rows} rows of {tables} tables to {result.path}")
