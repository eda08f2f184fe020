"""The overnight run: `manage.py match_people` (docs/join-the-dots.md, "Overnight")."""

import resource
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from seethesigns.network import batch


class Command(BaseCommand):
    help = (
        "Deduplicate every person of concern with the matching model, cluster the pairs and "
        "put the new ones in the CSE coordinator's review queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--engine",
            choices=["splink", "compare"],
            default="splink",
            help="splink: Splink on DuckDB (the default); compare: the model's compare() over "
            "blocked pairs, without Splink.",
        )
        parser.add_argument("--label", default="", help="The run's name in the review queue.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the pairs; leave the queue alone."
        )
        parser.add_argument(
            "--estimate",
            action="store_true",
            help="Estimate the model on today's people first (manage.py estimate_matching).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["estimate"]:
            call_command("estimate_matching", kind="person", stdout=self.stdout)
            self.stdout.write(f"estimate: {time.perf_counter() - started:.1f} s")
        why = batch.outgrown(batch.people_held())
        if why:
            raise CommandError(why)
        found = batch.run(
            engine=options["engine"], run_label=options["label"], suggest=not options["dry_run"]
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        bands = found.bands
        sizes = [len(cluster) for cluster in found.clusters]
        # Counts only: never a name or anything else a record holds (the log is kept).
        self.stdout.write(
            f"{found.people:,} people, {found.compared:,} pairs compared, "
            f"{bands.get('very_likely', 0):,} very likely and {bands.get('possibly', 0):,} "
            f"possibly the same, in {len(sizes):,} clusters (largest {max(sizes, default=0)}); "
            f"{found.suggested:,} new in the review queue. "
            f"{time.perf_counter() - started:.1f} s, peak memory {peak:,.0f} MB. Steps: "
            + ", ".join(f"{step} {spent:.1f} s" for step, spent in found.seconds.items())
            + "."
        )
