from typing import Any

from django.core.management.base import BaseCommand

from seethesigns.accounts.models import User


class Command(BaseCommand):
    help = "Delete every account that load_demo created."

    def handle(self, *args: Any, **options: Any) -> None:
        count, _ = User.objects.filter(is_demo=True).delete()
        self.stdout.write(f"Deleted {count} demo account rows.")
