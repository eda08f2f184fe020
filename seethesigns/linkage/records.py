"""What this partnership offers the hub: which records, and the identifiers each is encoded from.

People of concern, vehicles, phones and online handles (every such record the partnership holds)
and children who have gone missing or are placed out of area. A person carries what join the dots
compares (names, date of birth or age, sex, and the addresses, phones, handles and vehicles linked
to them); a child their name, date of birth, sex and address. The identifiers never leave this
process: `pprl.encode` turns them into keyed encodings, and only those are sent.
"""

import functools
import hashlib
import hmac
import importlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from pprl.schema import VALUE_KINDS
from seethesigns.children.models import Child
from seethesigns.children.search import record_of as child_record
from seethesigns.matching.api import Record
from seethesigns.network.models import Entity
from seethesigns.network.people import records_for

CHUNK = 2000
# Record's fields the encodings take (the NHS number stays here: it is an identifier the
# partnerships may not match on without a lawful basis of their own).
RECORD_KEYS = (
    "names",
    "date_of_birth",
    "age_low",
    "age_high",
    "age_on",
    "sex",
    "addresses",
    "phones",
    "handles",
    "plates",
)


@dataclass(frozen=True)
class Offered:
    """One local record as it would be encoded: never logged, never stored, never sent."""

    source: str  # "entity" or "child"
    source_id: int
    kind: str  # person, child, vehicle, phone, handle
    identifiers: dict[str, Any]

    def digest(self, key: bytes) -> str:
        """A keyed digest of the identifiers and of the encoder's code: the same while neither
        changes, so a new version of the encodings sends every record again, once."""
        canonical = json.dumps(
            {"kind": self.kind, "encoder": encoder_version(), **self.identifiers},
            sort_keys=True,
            default=str,
        ).encode()
        return hmac.new(key, b"digest:" + canonical, hashlib.sha256).hexdigest()


@functools.cache
def encoder_version() -> str:
    """A fingerprint of pprl's encoder (its code and the sizes it uses)."""
    found = hashlib.sha256()
    for name in ("pprl.encode", "pprl.schema"):
        module = importlib.import_module(name)
        found.update(Path(str(module.__file__)).read_bytes())
    return found.hexdigest()[:16]


def of_record(record: Record) -> dict[str, Any]:
    values = asdict(record)
    return {key: values[key] for key in RECORD_KEYS}


def offered() -> Iterator[Offered]:
    """Every record this partnership offers the hub, in a stable order, in chunks."""
    yield from _values()
    yield from _people()
    yield from _children()


def _values() -> Iterator[Offered]:
    rows = Entity.objects.filter(kind__in=VALUE_KINDS).order_by("pk")
    for pk, kind, label in rows.values_list("pk", "kind", "label").iterator(chunk_size=CHUNK):
        if label.strip():
            yield Offered("entity", pk, kind, {"value": label})


def _people() -> Iterator[Offered]:
    ids = list(Entity.objects.filter(kind="person").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        found = records_for(ids[start : start + CHUNK])
        for pk in sorted(found):
            yield Offered("entity", pk, "person", of_record(found[pk]))


def offered_children() -> Any:
    """Children the hub is told of: those who have gone missing at least once, and those placed
    out of area (the children whose lives cross partnerships' borders)."""
    went_missing = Child.objects.filter(missing_episodes__isnull=False).values("pk")
    return Child.objects.filter(Q(placed_out_of_area=True) | Q(pk__in=went_missing)).order_by("pk")


def _children() -> Iterator[Offered]:
    for child in offered_children().iterator(chunk_size=CHUNK):
        yield Offered("child", child.pk, "child", of_record(child_record(child)))
