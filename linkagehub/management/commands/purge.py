"""Forget withdrawn matches (and their alert events) once both sides have had time to read them."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from linkagehub.models import Match


class Command(BaseCommand):
    help = "Delete matches withdrawn more than --days ago, with their alert events (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, **options: Any) -> None:
        before = timezone.now() - timedelta(days=max(options["days"], 0))
        gone, _ = Match.objects.filter(withdrawn__lt=before).delete()
        self.stdout.write(f"Deleted {gone} rows of matches withdrawn before {before:%Y-%m-%d}.")
