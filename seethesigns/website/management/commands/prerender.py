"""Render the public pages into the page cache (see seethesigns/pagecache.py)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from seethesigns import pagecache


class Command(BaseCommand):
    help = "Pre-render every public page that is the same for everyone into PAGE_CACHE_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and render again this often (a safety net for scheduled publishing)",
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if pagecache.root() is None:
            raise CommandError("PAGE_CACHE_DIR is not set, so there is nowhere to write the pages.")
        while True:
            started = time.monotonic()
            try:
                count = pagecache.render_all()
            except Exception as e:
                if not every:
                    raise CommandError(f"Rendering failed; the pages in place stay: {e}") from e
                # The safety net keeps running: the next round may find the database back.
                self.stderr.write(f"Rendering failed ({type(e).__name__}); trying again later.")
            else:
                self.stdout.write(
                    f"{count} pages pre-rendered into {pagecache.root()} "
                    f"in {time.monotonic() - started:.1f} s"
                )
            finally:
                connections.close_all()
            if not every:
                return
            time.sleep(every)
