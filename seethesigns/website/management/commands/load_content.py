import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns import pagecache
from seethesigns.website.editorial import setup_editorial
from seethesigns.website.loading import CONTENT_DIR, ContentError, Loader
from seethesigns.website.models import HomePage


class Command(BaseCommand):
    help = "Load the shipped content under content/ into the CMS, keeping editors' changes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace what editors changed with the shipped content.",
        )
        parser.add_argument("--content-dir", default=str(CONTENT_DIR), help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with pagecache.paused():  # one render at the end, not one per saved row
                loader = Loader(
                    overwrite=options["overwrite"], content_dir=Path(options["content_dir"])
                )
                report = loader.load_all()
                setup_editorial(HomePage.objects.get())
        except ContentError as e:
            raise CommandError(str(e)) from e
        if pagecache.root() is not None:
            self.stdout.write(f"Page cache: {pagecache.render_all()} pages pre-rendered.")
        self.stdout.write(
            f"Content: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.kept)} kept as editors left them."
        )
        for key in report.kept:
            self.stdout.write(f"  kept (changed by an editor; --overwrite replaces it): {key}")
