"""Print this partnership's matching parameters for a kind as JSON, for the linkage hub.

    manage.py export_matching_parameters --kind person > person-parameters.json

What `matching.api.parameters` gives (the newest estimate from `estimate_matching`, or the
shipped defaults): the prior and each level's m and u, numbers about how often fields agree,
nothing about anyone. The hub's operator loads the file with `python -m linkagehub
set_parameters` (docs/linkage-hub.md). Where the numbers come from goes to stderr, so that
stdout is the JSON alone.
"""

import json
from typing import Any

from django.core.management.base import BaseCommand

from seethesigns.matching import api
from seethesigns.matching.models import MatchingModel
from seethesigns.network.batch import SHIPPED_FOR


class Command(BaseCommand):
    help = "Print the matching model's parameters for a kind as JSON (for the linkage hub)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", required=True, choices=api.KINDS)

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        api.forget_parameters()  # the newest estimate, not one cached by this process
        params = api.parameters(kind)
        newest = MatchingModel.objects.filter(kind=kind).first()
        shipped = params == api.default_parameters(kind)
        # How many records the prior was made for: the hub scales it to what it holds.
        records = SHIPPED_FOR if shipped or newest is None else newest.records or SHIPPED_FOR
        self.stdout.write(json.dumps({**params, "records": records}, indent=2))
        if shipped:
            self.stderr.write(
                f"No usable {kind} estimate: these are the shipped defaults (run "
                "manage.py estimate_matching first to give the hub this partnership's own)."
            )
            return
        if newest is not None:
            self.stderr.write(
                f"The {kind} estimate of {newest.estimated_at:%Y-%m-%d %H:%M}, from "
                f"{newest.records:,} records and {newest.pairs:,} pairs."
            )
