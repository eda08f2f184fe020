"""Print the case library as the Markdown table docs/screening.md holds."""

from typing import Any

from django.core.management.base import BaseCommand

from seethesigns.screening.vignettes import load_vignettes, markdown_table


class Command(BaseCommand):
    help = "Print the screening case library (content/screening/vignettes.yaml) as a table."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown_table(load_vignettes()))
