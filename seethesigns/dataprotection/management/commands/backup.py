from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.dataprotection.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database to FILE: sealed fields stay sealed, and with BACKUP_KEY set the "
        "whole file is encrypted. DATA_KEYS, AUDIT_KEY and BACKUP_KEY are never in it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--unencrypted",
            action="store_true",
            help="Write the file without BACKUP_KEY (refused in production without this flag).",
        )

    def handle(self, *args: Any, file: Path, unencrypted: bool, **options: Any) -> None:
        key = "" if unencrypted else settings.BACKUP_KEY
        if not key and settings.PRODUCTION and not unencrypted:
            raise CommandError(
                "Set BACKUP_KEY (kept apart from the backups) or pass --unencrypted: names and "
                "dates of birth are stored in the clear in the database."
            )
        try:
            manifest = backup(file, key)
        except BackupError as error:
            raise CommandError(str(error)) from None
        tables = manifest["tables"]
        rows = sum(count for count, _checksum in tables.values())
        how = "encrypted with BACKUP_KEY" if key else "not encrypted (sealed fields still are)"
        self.stdout.write(f"Backed up {len(tables)} tables, {rows} rows to {file}, {how}.")
