from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.audit import checkpoints
from seethesigns.audit.actions import verify
from seethesigns.audit.models import AuditEntry, AuditHead


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain and compare it with the checkpoints kept outside the "
        "database; exit non-zero naming every entry changed, added, removed or moved, a cut "
        "tail, a rewind or a wipe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            type=Path,
            help="A file of checkpoints (a copy of the file, lines exported from syslog, the "
            "DPO's saved e-mails); may be given more than once. The site's own file is read too.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files = checkpoints.readable_files() + options["checkpoints"]
        started = AuditEntry.objects.exists() or AuditHead.objects.exists()
        # The site's own file appears with its first entry: missing before that is no problem.
        files = [f for f in files if started or f.exists() or f in options["checkpoints"]]
        reading = checkpoints.read(files)
        problems = verify(reading.checkpoints) + reading.problems
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit trail is broken in {len(problems)} place(s).")
        count = AuditEntry.objects.count()
        if reading.checkpoints:
            newest = max(reading.checkpoints, key=lambda c: c.seq)
            self.stdout.write(
                f"The audit trail is intact: {count} entries, matching the checkpoint of "
                f"{newest.when} (#{newest.seq}) in {', '.join(reading.sources)}."
            )
        else:
            self.stdout.write(f"The audit trail is intact: {count} entries (as a chain only).")
            self.stderr.write(
                "No checkpoint to compare with: a wiped or cut trail would look like this too. "
                "Set AUDIT_CHECKPOINTS (docs/security.md)."
            )
