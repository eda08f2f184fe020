"""What an encoding of each kind holds: its fields and how large each may be.

Kept apart from pprl/encode.py (which imports the app's normalisers) so that the hub can check
what it receives without importing anything of `seethesigns`.

A field of a person or child is "packed": sections of keyed tokens and keyed Bloom filters (the
wire format is in pprl/encode.py's docstring), so its length depends on how many names, addresses
or phones the record has; `check()` reads the sections and refuses what is not well formed. A
vehicle's, phone's or handle's one field is a Bloom filter of BLOOM_BITS bits.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping

KINDS = ("person", "child", "vehicle", "phone", "handle")
PEOPLE = ("person", "child")
VALUE_KINDS = ("vehicle", "phone", "handle")  # one value each: {"value": ...}
BLOOM_BITS = 1024  # a power of two, as clkhash's BLAKE2b encoding needs
NAME_BITS = 1024  # a full name's bigram filter
WORD_BITS = 256  # each word of a name
ADDRESS_BITS = 1024
TOKEN_BYTES = 8  # a keyed token: 64 bits of keyed BLAKE2b
BLOCK_HEX = 32  # 128 bits of HMAC: collisions between different values do not happen in practice
MAX_BLOCKS = 64  # block keys one encoding may carry
MAX_FIELD_BYTES = 8192  # twenty names with their words' filters fit
# A Bloom filter with more of its bits set than this is refused. The encoder cuts the text it puts
# in a filter (pprl.encode.FILTER_CHARS) so that none of its filters comes near; a filter of
# nearly all ones is a little similar to everything, so it is a broken encoder or a probe.
MAX_FILL = 0.95

# The fields of each kind: "packed" (sections of tokens and filters) or "bloom" (one filter).
FIELDS: dict[str, dict[str, str]] = {
    "person": {
        "name": "packed",
        "dob": "packed",
        "sex": "packed",
        "address": "packed",
        "phone": "packed",
        "handle": "packed",
        "plate": "packed",
    },
    "child": {
        "name": "packed",
        "dob": "packed",
        "sex": "packed",
        "address": "packed",
        "phone": "packed",
        "handle": "packed",
        "nhs": "packed",
    },
    "vehicle": {"value": "bloom"},
    "phone": {"value": "bloom"},
    "handle": {"value": "bloom"},
}
# How many sections each packed field has (the name: four, then one per name, see compare.py).
SECTIONS = {"dob": 10, "sex": 1, "address": 5, "phone": 1, "handle": 1, "plate": 1, "nhs": 1}


def field_bytes(kind: str, field: str) -> int:
    """The most bytes the field's encoding may have (a Bloom filter's exactly that many)."""
    return BLOOM_BITS // 8 if FIELDS[kind][field] == "bloom" else MAX_FIELD_BYTES


def section_counts(blob: bytes) -> list[tuple[int, int, int]]:
    """(items, width, where its items start) of each section of a packed field; ValueError if it
    is not well formed."""
    found = []
    at = 0
    while at < len(blob):
        if at + 3 > len(blob):
            raise ValueError("a field's encoding is cut short")
        count, width = struct.unpack_from(">BH", blob, at)
        found.append((count, width, at + 3))
        at += 3 + count * width
        if width == 0 or at > len(blob):
            raise ValueError("a field's encoding is cut short")
    return found


def _width(field: str, section: int) -> int:
    """How wide each item of a packed field's section is: a token, or the filter it holds."""
    if field == "name" and section == 3:
        return NAME_BITS // 8
    if field == "name" and section > 3:
        return WORD_BITS // 8
    if field == "address" and section == 4:
        return ADDRESS_BITS // 8
    return TOKEN_BYTES


def too_full(bloom: bytes) -> bool:
    """More than MAX_FILL of the filter's bits set."""
    return int.from_bytes(bloom, "big").bit_count() > MAX_FILL * 8 * len(bloom)


def check(kind: str, fields: Mapping[str, bytes]) -> None:
    """Raise ValueError, with a message fit for a 400 answer, unless `fields` is a well-formed
    encoding of `kind` (known fields, sizes and sections, no filter with most bits set)."""
    if kind not in FIELDS:
        raise ValueError(f"unknown kind {kind!r}")
    for field, blob in fields.items():
        if field not in FIELDS[kind]:
            raise ValueError(f"unknown field {field!r} for kind {kind!r}")
        if not isinstance(blob, bytes) or not blob:
            raise ValueError(f"field {field!r} is empty")
        if FIELDS[kind][field] == "bloom":
            if len(blob) != BLOOM_BITS // 8:
                raise ValueError(f"field {field!r} must be {BLOOM_BITS // 8} bytes")
            if too_full(blob):
                raise ValueError(f"field {field!r} has more than {MAX_FILL:.0%} of its bits set")
            continue
        if len(blob) > MAX_FIELD_BYTES:
            raise ValueError(f"field {field!r} is longer than {MAX_FIELD_BYTES} bytes")
        counts = section_counts(blob)
        if field == "name":
            names = counts[0][0] if counts else 0
            expected = 4 + names
        else:
            expected = SECTIONS[field]
        if field == "name" and len(counts) == 4:
            expected = 4  # sent without its words' filters (pprl.encode.WORD_FILTERS)
        if len(counts) != expected or (field == "name" and names == 0):
            raise ValueError(f"field {field!r} does not hold the sections it should")
        # A filter twice as wide with half its bits set would compare like one of all ones.
        if any(width != _width(field, n) for n, (_, width, _) in enumerate(counts)):
            raise ValueError(f"field {field!r} has a section of the wrong width")
        filters = (
            blob[start + i * width : start + (i + 1) * width]
            for count, width, start in counts
            if width > TOKEN_BYTES
            for i in range(count)
        )
        if any(too_full(bloom) for bloom in filters):
            raise ValueError(
                f"a filter of field {field!r} has more than {MAX_FILL:.0%} of its bits set"
            )
