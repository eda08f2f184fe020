"""Give the hub the matching model's parameters for a kind (the operator's command).

    python -m linkagehub set_parameters --kind person --file person-parameters.json \
        --source "Northbridge's estimate of 2026-12-01" [--rematch]

The file is what a partnership's `manage.py export_matching_parameters --kind person` prints. It
is checked against pprl's fields and levels and kept with who set it and when; the newest for a
kind is used from the hub's next request. `--rematch` also scores again, with them, every
encoding of the kind the hub holds, raising, changing or withdrawing matches as it goes.
"""

import getpass
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from linkagehub.matching import rematch
from linkagehub.models import ModelParameters
from pprl.compare import FIELDS, SHIPPED_FOR, check_parameters

# An estimate from fewer records than this is too unsteady to share; more than this fits no field.
MIN_RECORDS = 500
MAX_RECORDS = 2**31 - 1


class Command(BaseCommand):
    help = "Set the parameters (prior, m and u) the hub scores a kind of encoding with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=sorted(FIELDS))
        parser.add_argument(
            "--file", required=True, help="JSON from export_matching_parameters ('-': stdin)"
        )
        parser.add_argument("--source", default="", help="whose estimate it is, for the record")
        parser.add_argument(
            "--records",
            type=int,
            help='records the estimate was made on (default: the file\'s "records")',
        )
        parser.add_argument("--by", default="", help="who sets them (default: this account)")
        parser.add_argument(
            "--rematch", action="store_true", help="score every held encoding of the kind again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], options["file"]
        try:
            text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
        except OSError as failed:
            raise CommandError(f"cannot read {path}: {failed.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text") from None
        try:
            given = json.loads(text)
        except json.JSONDecodeError as failed:
            raise CommandError(
                f"{path} is not JSON ({failed.msg}, line {failed.lineno}); give it what "
                "export_matching_parameters prints"
            ) from None
        # How many records the estimate was made on (export_matching_parameters adds it): the
        # hub scales the prior from it to what it holds (pprl.compare.for_size).
        records = options["records"]
        if isinstance(given, dict) and "records" in given:
            found = given.pop("records")
            if records is None:
                records = found
        if records is not None and (
            not isinstance(records, int)
            or isinstance(records, bool)
            or not MIN_RECORDS <= records <= MAX_RECORDS
        ):
            raise CommandError(
                f'the records the estimate was made on (--records or the file\'s "records") '
                f"must be a whole number from {MIN_RECORDS:,} to {MAX_RECORDS:,}: the hub scales "
                "the prior by it, so a slip of a few noughts would silence or flood its alerts"
            )
        try:
            checked = check_parameters(kind, given)
        except ValueError as wrong:
            raise CommandError(f"{path} cannot be used for {kind}: {wrong}") from None
        if len(options["source"]) > 200:
            raise CommandError("--source is longer than 200 characters")
        by = (options["by"] or _account())[:150]
        ModelParameters.objects.create(
            kind=kind, parameters=checked, set_by=by, source=options["source"], records=records
        )
        made_for = records or SHIPPED_FOR
        self.stdout.write(
            f"Set the {kind} parameters (prior {checked['prior']:.3g} for {made_for:,} records"
            f"{'' if records else ', the shipped figure: none given'}), by {by}: the hub scores "
            f"{kind} encodings with them from its next request, the prior scaled to what it holds."
        )
        if options["rematch"]:
            held, changed = rematch(kind)
            self.stdout.write(
                f"Scored {held:,} held {kind} encodings again: {changed:,} matches raised, "
                "changed or withdrawn."
            )
        else:
            self.stdout.write(
                "Matches already made keep their strength until either side sends the record "
                "again (--rematch scores them all now)."
            )


def _account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this account (a container's numeric user)
        return "unknown"
