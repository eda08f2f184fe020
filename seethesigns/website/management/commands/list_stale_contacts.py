from typing import Any

from django.core.management.base import BaseCommand

from seethesigns.website.stale import send_stale_contacts


class Command(BaseCommand):
    help = (
        "E-mail the editors the help contacts whose details were last checked longer ago than "
        "CONTACTS_CHECK_EVERY_DAYS (182 days unless set). Run it weekly, e.g. from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_stale_contacts()
        self.stdout.write(
            f"{sent.contacts} contact(s) not checked since {sent.cutoff:%-d %B %Y}; "
            f"sent to {sent.recipients} editor(s)."
        )
