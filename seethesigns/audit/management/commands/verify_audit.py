from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seethesigns.audit.actions import verify
from seethesigns.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain; exit non-zero naming any altered, inserted or "
        "deleted entry."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = verify()
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"The audit trail is broken in {len(problems)} place(s).")
        self.stdout.write(f"The audit trail is intact: {AuditEntry.objects.count()} entries.")
