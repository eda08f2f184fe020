import time
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seethesigns.appmodules import app_modules
from seethesigns.website.loading import ContentError
from seethesigns.workspace import demo_year


def demo_modules() -> list[ModuleType]:
    """Each app's demo.py, every one after the apps named in its AFTER (by app label); apps that
    wait for nothing go in INSTALLED_APPS order."""
    found = {config.label: module for config, module in app_modules("demo")}
    done: list[str] = []
    while len(done) < len(found):
        ready = [
            label
            for label, module in found.items()
            if label not in done and all(a in done or a not in found for a in module.AFTER)
        ]
        if not ready:
            raise CommandError(f"The demo data of {set(found) - set(done)} wait for each other.")
        done.append(ready[0])
    return [found[label] for label in done]


class Command(BaseCommand):
    help = (
        "Load each app's demo data and the demo accounts, then a year of activity across them "
        "(never in production)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--without-year",
            action="store_true",
            help="Leave out the year of generated activity (the test suite's fixed demo).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo data and demo accounts are never loaded in production.")
        for module in demo_modules():
            try:
                lines = module.load()
            except ContentError as e:
                raise CommandError(str(e)) from e
            for line in lines:
                self.stdout.write(line)
        if not options["without_year"]:
            started = time.monotonic()
            for line in demo_year.load():
                self.stdout.write(f"{line} ({time.monotonic() - started:.1f} s)")
