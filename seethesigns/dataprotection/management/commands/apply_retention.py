from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import ProtectedError
from django.utils import timezone

from seethesigns.audit.actions import record
from seethesigns.dataprotection.actions import do_erase_expired_record
from seethesigns.dataprotection.retention import REGISTRY, load_schedule


class Command(BaseCommand):
    help = (
        "Apply the retention schedule (content/retention.yaml, or RETENTION_SCHEDULE): list "
        "records nearing the end of their period, and erase those past it, each erasure audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be erased; change nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        schedule, today = load_schedule(), timezone.localdate()
        flagged: dict[str, int] = {}
        erased: dict[str, int] = {}
        for rt in REGISTRY:
            for item in schedule.nearing(rt, today).order_by("clock", "pk"):
                due = schedule.due_on(rt, item.clock)
                self.stdout.write(f"flag  {rt.key} {item.pk}: to be erased on {due}")
                flagged[rt.key] = flagged.get(rt.key, 0) + 1
            # Parts go before their records (REGISTRY's order), so a record's parts that are
            # due are counted as their own kind; later kinds find theirs already gone.
            for item in schedule.expired(rt, today):
                if not rt.erasable:
                    self.stdout.write(f"keep  {rt.key} {item.pk}: past its period, never erased")
                    flagged[rt.key] = flagged.get(rt.key, 0) + 1
                    continue
                if dry_run:
                    self.stdout.write(f"would erase {rt.key} {item.pk}")
                    erased[rt.key] = erased.get(rt.key, 0) + 1
                    continue
                pk = item.pk  # gone from the object once erased
                try:
                    do_erase_expired_record(rt, item)
                except ProtectedError:  # still pointed to by a record that is kept longer
                    self.stdout.write(f"keep  {rt.key} {item.pk}: a record kept longer needs it")
                    continue
                self.stdout.write(f"erase {rt.key} {pk}")
                erased[rt.key] = erased.get(rt.key, 0) + 1
        if not dry_run:
            record("dataprotection.apply_retention", data={"flagged": flagged, "erased": erased})
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(
            f"Retention on {today}: {sum(flagged.values())} flagged, {sum(erased.values())} {verb}."
        )
