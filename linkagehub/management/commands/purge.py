"""Forget withdrawn matches and their alert events a year on, once every side has read them."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F
from django.utils import timezone

from linkagehub.models import AlertEvent, Match


class Command(BaseCommand):
    help = (
        "Delete matches withdrawn more than --days ago (365) whose alert events every active "
        "side has read, with those events (run daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - timedelta(days=max(options["days"], 0))
        # An event a partnership has not read yet (it has not asked from past it) is kept: it
        # may be the "withdrawn" that closes its alert. A deactivated partnership reads nothing.
        unread = AlertEvent.objects.filter(
            pk__gt=F("partnership__read_through"), partnership__active=True
        ).values("match_id")
        old = Match.objects.filter(withdrawn__lt=before)
        kept = old.filter(pk__in=unread).count()
        gone, _ = old.exclude(pk__in=unread).delete()
        self.stdout.write(
            f"Deleted {gone} rows of matches withdrawn before {before:%Y-%m-%d}; "
            f"kept {kept} whose events a side has not read yet."
        )
