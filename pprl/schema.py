"""What an encoding of each kind holds: its fields, how each is compared, and their sizes.

Kept apart from pprl/encode.py (which imports the app's normalisers) so that the hub can check
what it receives without importing anything of `seethesigns`.
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS = ("person", "child", "vehicle", "phone", "handle")
PEOPLE = ("person", "child")
BLOOM_BITS = 1024  # a power of two, as clkhash's BLAKE2b encoding needs
TOKEN_BYTES = 16  # a keyed token: the first 128 bits of an HMAC-SHA256
BLOCK_HEX = 32  # 128 bits of HMAC: collisions between different values do not happen in practice
MAX_BLOCKS = 64  # block keys one encoding may carry

# The fields of each kind, and how each is compared: "bloom" (Dice similarity) or "token" (equal).
FIELDS: dict[str, dict[str, str]] = {
    "person": {
        "names": "bloom",
        "date_of_birth": "bloom",
        "birth_year": "bloom",
        "sex": "token",
        "addresses": "bloom",
        "postcodes": "bloom",
        "phones": "bloom",
        "handles": "bloom",
        "plates": "bloom",
    },
    "vehicle": {"value": "bloom"},
    "phone": {"value": "bloom"},
    "handle": {"value": "bloom"},
}
FIELDS["child"] = FIELDS["person"]


def field_bytes(kind: str, field: str) -> int:
    """How many bytes the field's encoding has: a Bloom filter's or a token's."""
    return BLOOM_BITS // 8 if FIELDS[kind][field] == "bloom" else TOKEN_BYTES


def check(kind: str, fields: Mapping[str, bytes]) -> None:
    """Raise ValueError, with a message fit for a 400 answer, unless `fields` is a well-formed
    encoding of `kind` (known fields of the right sizes)."""
    if kind not in FIELDS:
        raise ValueError(f"unknown kind {kind!r}")
    for field, blob in fields.items():
        if field not in FIELDS[kind]:
            raise ValueError(f"unknown field {field!r} for kind {kind!r}")
        if not isinstance(blob, bytes) or not blob:
            raise ValueError(f"field {field!r} is empty")
        if len(blob) != field_bytes(kind, field):
            raise ValueError(f"field {field!r} must be {field_bytes(kind, field)} bytes")
