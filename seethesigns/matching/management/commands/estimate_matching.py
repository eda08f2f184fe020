"""Re-estimate the matching model from the partnership's own records (issue 20).

    manage.py estimate_matching [--kind person|child]

Reads the records through the source each kind's app registered (`matching.api.register_source`),
estimates m, u and the prior with Splink on DuckDB, and stores a new MatchingModel row; online
comparisons use it within five minutes. Prints only counts, never what a record says.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seethesigns.matching import api, estimate
from seethesigns.matching.models import MatchingModel


class Command(BaseCommand):
    help = "Estimate the matching model's parameters from the records (unsupervised)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", choices=api.KINDS, help="only this kind (default: both)")
        parser.add_argument("--max-pairs", type=float, default=2e6, help="random pairs for u")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = [options["kind"]] if options["kind"] else list(api.KINDS)
        for kind in kinds:
            source = api.source(kind)
            if source is None:
                if options["kind"]:
                    raise CommandError(f"No app has registered where {kind} records come from.")
                self.stdout.write(f"{kind}: no source registered, skipped")
                continue
            records = list(source())
            if len(records) < 2:
                self.stdout.write(f"{kind}: {len(records)} records, too few; defaults kept")
                continue
            params, count, pairs = estimate.estimate(kind, records, max_pairs=options["max_pairs"])
            MatchingModel.objects.create(kind=kind, parameters=params, records=count, pairs=pairs)
            api.forget_parameters()
            self.stdout.write(
                f"{kind}: estimated from {count:,} records and {pairs:,} blocked pairs "
                f"(prior {params['prior']:.2g})"
            )
