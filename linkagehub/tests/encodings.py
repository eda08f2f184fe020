"""Encodings made from plain values the way a partnership's app makes them, for the hub's tests."""

import base64
import secrets
from typing import Any

from pprl.encode import encode

KEY = b"the partnerships' shared encoding key, never sent to the hub"


def item(kind: str, identifiers: dict[str, Any], ref: str | None = None) -> dict[str, Any]:
    """One entry of POST /v1/encodings for these identifiers."""
    encoded = encode(kind, identifiers, KEY)
    return {
        "ref": ref or secrets.token_hex(16),
        "kind": kind,
        "fields": {name: base64.b64encode(bits).decode() for name, bits in encoded.fields.items()},
        "blocks": list(encoded.blocks),
    }
