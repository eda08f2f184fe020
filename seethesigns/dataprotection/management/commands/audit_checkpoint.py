from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.accounts.models import Role, User
from seethesigns.audit import checkpoints
from seethesigns.audit.models import AuditHead, head_seal


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit's newest entry to AUDIT_CHECKPOINTS and, with "
        "--email, send it to the data protection officer(s) to keep. Run it daily (cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", action="store_true", help="E-mail it to every DPO too.")

    def handle(self, *args: Any, **options: Any) -> None:
        head = AuditHead.objects.filter(pk=1).first()
        if head is None or head.seal != head_seal(head.seq, head.hash):
            raise CommandError(
                "The record of the newest entry is missing or forged: run verify_audit."
            )
        checkpoint = checkpoints.write(head.seq, head.hash) or checkpoints.Checkpoint(
            head.seq, head.hash, checkpoints.now()
        )
        self.stdout.write(checkpoint.line())
        if options["email"]:
            dpos = User.objects.filter(role=Role.DPO, is_active=True).exclude(email="")
            recipients = list(dpos.values_list("email", flat=True))
            if not recipients:
                raise CommandError("No active DPO with an e-mail address to send it to.")
            send_mail(
                f"{settings.PARTNERSHIP_NAME}: audit checkpoint #{checkpoint.seq}",
                "The audit trail had reached this entry. Keep this e-mail: if the database is "
                "ever wiped or cut back, `manage.py verify_audit --checkpoints FILE` with this "
                "line saved in FILE says so.\n\n" + checkpoint.line() + "\n",
                None,
                recipients,
            )
            self.stdout.write(f"Sent to {len(recipients)} DPO(s).")
