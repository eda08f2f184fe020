from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.audit.actions import verify
from seethesigns.audit.models import AuditEntry
from seethesigns.dataprotection.backup import BackupError, compare, restore, table_checksums


class Command(BaseCommand):
    help = (
        "Restore FILE into the configured database, which must be fresh (no tables); then check "
        "every table against the backup's manifest and the audit trail's hash chain."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            manifest = restore(file, settings.BACKUP_KEY)
        except (BackupError, OSError) as error:
            raise CommandError(str(error)) from None
        differences = compare(manifest, table_checksums())
        for line in differences:
            self.stderr.write(line)
        if differences:
            raise CommandError(f"{len(differences)} table(s) differ from the backup.")
        tables = manifest["tables"]
        rows = sum(count for count, _checksum in tables.values())
        self.stdout.write(
            f"Restored {len(tables)} tables, {rows} rows; every table matches the backup "
            f"made at {manifest['made_at']}."
        )
        problems = verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                "The audit trail does not verify: is AUDIT_KEY the one the site used?"
            )
        self.stdout.write(f"The audit trail is intact: {AuditEntry.objects.count()} entries.")
