import json
from typing import Any

from django.core.management.base import BaseCommand

from seethesigns.dataprotection.backup import table_checksums


class Command(BaseCommand):
    help = "Print every table's row count and checksum as JSON, to compare two databases."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(table_checksums(), indent=1, sort_keys=True))
