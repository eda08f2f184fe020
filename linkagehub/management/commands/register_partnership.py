"""Register a partnership with the hub, or replace its details and key (the operator's command)."""

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linkagehub.matching import deactivate
from linkagehub.models import Partnership
from pprl.signing import SLUG_PATTERN, load_public_key


def raw(pem: bytes) -> bytes:
    """The key's 32 raw bytes, however its PEM is laid out; ValueError if not Ed25519."""
    return load_public_key(pem).public_bytes(Encoding.Raw, PublicFormat.Raw)


class Command(BaseCommand):
    help = "Register a partnership (or update it): its name, CSE coordinator and public key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name the partnership signs with, e.g. eastfield")
        parser.add_argument("--name", required=True, help="shown to the other side of a match")
        parser.add_argument("--coordinator-name", required=True)
        parser.add_argument("--coordinator-phone", required=True)
        parser.add_argument("--public-key", required=True, help="Ed25519 public key (PEM file)")
        parser.add_argument(
            "--inactive",
            action="store_true",
            help="refuse its requests from now on and withdraw its matches",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["slug"]
        if not SLUG_PATTERN.fullmatch(slug):
            raise CommandError("the slug must be lower-case letters, digits and hyphens")
        try:
            pem = Path(options["public_key"]).read_bytes()
            key = raw(pem)
        except OSError as failed:
            raise CommandError(f"cannot read the public key: {failed.strerror}") from None
        except ValueError:
            raise CommandError("the file is not an Ed25519 public key in PEM") from None
        for other in Partnership.objects.exclude(slug=slug):
            try:
                same = raw(other.public_key.encode()) == key
            except ValueError:
                continue  # a registered key that no longer loads matches nothing
            if same:
                # One key, one partnership: else its holder could sign as either.
                raise CommandError(
                    f"this public key is already registered to partnership {other.slug}: "
                    "each partnership needs its own key pair"
                )
        partnership, created = Partnership.objects.update_or_create(
            slug=slug,
            defaults={
                "name": options["name"],
                "coordinator_name": options["coordinator_name"],
                "coordinator_phone": options["coordinator_phone"],
                "public_key": pem.decode(),
                "active": not options["inactive"],
            },
        )
        self.stdout.write(f"{'Registered' if created else 'Updated'} partnership {slug}.")
        if options["inactive"]:
            withdrawn = deactivate(partnership)
            self.stdout.write(
                f"It is inactive: its requests are refused, its encodings match nothing, and "
                f"its {withdrawn} live matches were withdrawn (both sides are told)."
            )
