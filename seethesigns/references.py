"""References that say nothing: a keyed shuffle of a record's number, short and speakable.

C-00004 told every team that the partnership holds about four children's records. Now a child's
reference is C- and six characters (C-7KQ2MX) from an alphabet with nothing that reads as
another character, and the number behind it is shuffled with REFERENCE_KEY by a four-round
Feistel network over 31^6 values: a bijection, so every record keeps one reference for ever,
nothing has to be stored (no migration), and without the key consecutive records give
references that look unrelated. Keep REFERENCE_KEY as stable as the audit key: references are
printed in meeting packs.
"""

import hashlib
import hmac

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 6
HALF = len(ALPHABET) ** (LENGTH // 2)  # each Feistel half: 3 characters' worth
SPACE = HALF * HALF
ROUNDS = 4


def _round(kind: str, step: int, value: int) -> int:
    message = f"{kind}:{step}:{value}".encode()
    digest = hmac.new(settings.REFERENCE_KEY.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") % HALF


def shuffle(kind: str, number: int) -> int:
    left, right = divmod(number, HALF)
    for step in range(ROUNDS):
        left, right = right, (left + _round(kind, step, right)) % HALF
    return left * HALF + right


def unshuffle(kind: str, code: int) -> int:
    left, right = divmod(code, HALF)
    for step in reversed(range(ROUNDS)):
        left, right = (right - _round(kind, step, left)) % HALF, left
    return left * HALF + right


def encode(kind: str, pk: int) -> str:
    """The reference of record `pk` of this kind ("C" a child, "R" a record)."""
    if not 0 <= pk < SPACE:
        raise ValueError(f"No reference for record {pk}: past {SPACE}.")
    code, chars = shuffle(kind, pk), []
    for _ in range(LENGTH):
        code, digit = divmod(code, len(ALPHABET))
        chars.append(ALPHABET[digit])
    return f"{kind}-{''.join(reversed(chars))}"


def decode(text: str) -> tuple[str, int] | None:
    """(kind, pk) for a reference however it was typed ("c 7kq2mx", "C-7KQ-2MX"), or None."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    kind, rest = cleaned[:1], cleaned[1:]
    if len(rest) != LENGTH or any(ch not in ALPHABET for ch in rest):
        return None
    code = 0
    for ch in rest:
        code = code * len(ALPHABET) + ALPHABET.index(ch)
    return kind, unshuffle(kind, code)
