"""Keyed Bloom-filter encodings of a record's identifiers, and keyed block keys to find candidates.

Each field is written one way (seethesigns.matching.normalise, as the app's own matching does),
cut into bigrams, and hashed into a Bloom filter with clkhash's keyed BLAKE2b encoding; the key of
each field is derived from the secret the partnerships share (HKDF), so whoever holds the
encodings without the secret (the hub) can compare them but cannot rebuild them from guesses.
Exact fields (sex) are keyed tokens: an HMAC, equal or not. Block keys are HMACs of a few
normalised blocking values (a name's sound, a plate, a phone): two records that share one are
compared, others never. blocklib is not used (it pins pydantic<2 and numpy<2); this is our own.

First working version written for the hub and the client to build on (helper "hub"); the
encodings' parameters (filter length, k, which fields and blocks) are tuned by helper "enc".
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
from clkhash.bloomfilter import blake_encode_ngrams
from clkhash.key_derivation import generate_key_lists

from pprl.schema import BLOCK_HEX, BLOOM_BITS, FIELDS, KINDS, PEOPLE, TOKEN_BYTES
from seethesigns.matching import normalise

__all__ = ["BLOOM_BITS", "FIELDS", "KINDS", "Encoded", "encode"]

BLOOM_K = 20  # bits set per bigram
VERSION = b"seethesigns-pprl-1"
# Plate characters that are misread for each other (O and 0, I and 1): one block for both readings.
CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
                            "B": "8", "G": "6"})  # fmt: skip


@dataclass(frozen=True)
class Encoded:
    fields: dict[str, bytes]  # field name -> Bloom filter (BLOOM_BITS / 8 bytes) or keyed token
    blocks: tuple[str, ...]  # keyed hex block keys, sorted, no repeats


@functools.lru_cache(maxsize=256)
def _field_key(key: bytes, kind: str, field: str) -> bytes:
    """The field's own key from the shared secret: one field's bits say nothing of another's."""
    family = "person" if kind in PEOPLE else kind
    info = VERSION + b"/field/" + family.encode() + b"/" + field.encode()
    return generate_key_lists(key, 1, 1, info=info)[0][0]


@functools.lru_cache(maxsize=16)
def _block_key(key: bytes) -> bytes:
    return generate_key_lists(key, 1, 1, info=VERSION + b"/blocks")[0][0]


def bigrams(value: str) -> list[str]:
    """The value's bigrams, padded with a space at each end ("ab" -> " a", "ab", "b ")."""
    padded = f" {value} "
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def bloom(tokens: Iterable[str], field_key: bytes) -> bytes:
    """The tokens hashed into a keyed Bloom filter (clkhash's BLAKE2b encoding)."""
    grams = sorted(set(tokens))
    bits = blake_encode_ngrams(grams, (field_key,), [BLOOM_K] * len(grams), BLOOM_BITS, "utf-8")
    return bits.tobytes()


def token(value: str, field_key: bytes) -> bytes:
    """An exact value as a keyed token: equal values give equal tokens, nothing else is learnt."""
    return hmac.new(field_key, value.encode(), hashlib.sha256).digest()[:TOKEN_BYTES]


def _strings(value: Any) -> list[str]:
    """A field's values as strings: one string, or a list or tuple of them; anything else none."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in value if isinstance(v, str)]
    return []


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _birth_years(identifiers: Mapping[str, Any]) -> list[int]:
    """The years the person may have been born in: one from a date of birth, or an age range's."""
    born = _date(identifiers.get("date_of_birth"))
    if born:
        return [born.year]
    low, high = _int(identifiers.get("age_low")), _int(identifiers.get("age_high"))
    if low is None and high is None:
        return []
    low = high if low is None else low
    high = low if high is None else high
    assert low is not None and high is not None  # noqa: S101 (one of them was set)
    if high < low or high - low > 30:
        return []
    on = _date(identifiers.get("age_on")) or date.today()  # noqa: DTZ011 (a calendar date)
    # Someone aged a on date d was born in d.year - a or d.year - a - 1.
    return list(range(on.year - high - 1, on.year - low + 1))


def _person_values(identifiers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Each field's normalised values (tokens to hash), empty fields left out."""
    names = [n for n in (normalise.name(v) for v in _strings(identifiers.get("names"))) if n]
    born = _date(identifiers.get("date_of_birth"))
    addresses = [normalise.address(v) for v in _strings(identifiers.get("addresses"))]
    sex = str(identifiers.get("sex") or "")
    values: dict[str, list[str]] = {
        "names": [g for n in names for g in bigrams(n)],
        "date_of_birth": bigrams(born.isoformat()) if born else [],
        "birth_year": [f"y{year}" for year in _birth_years(identifiers)],
        "sex": [sex] if sex and sex != "not-known" else [],
        "addresses": [g for _, words, _ in addresses if words for g in bigrams(words)],
        "postcodes": [c for _, _, code in addresses if code for c in (code, f"out:{code[:-3]}")],
        "phones": [
            g for v in _strings(identifiers.get("phones")) for g in _grams(normalise.phone(v))
        ],
        "handles": [
            g for v in _strings(identifiers.get("handles")) for g in _grams(normalise.handle(v))
        ],
        "plates": [
            g for v in _strings(identifiers.get("plates")) for g in _grams(normalise.plate(v))
        ],
    }
    return {field: tokens for field, tokens in values.items() if tokens}


def _grams(value: str) -> list[str]:
    return bigrams(value) if value else []


def _single_value(kind: str, identifiers: Mapping[str, Any]) -> str:
    raw = identifiers.get("value")
    if not isinstance(raw, str):
        return ""
    write = {"vehicle": normalise.plate, "phone": normalise.phone, "handle": normalise.handle}[kind]
    return write(raw)


def _sound(word: str) -> str:
    return jellyfish.metaphone(word) or word


def _person_blocks(identifiers: Mapping[str, Any]) -> set[str]:
    """Blocking values: name sounds, name sound with birth year, date of birth, shared contacts."""
    found: set[str] = set()
    born = _date(identifiers.get("date_of_birth"))
    years = _birth_years(identifiers)
    for full in _strings(identifiers.get("names")):
        words = normalise.name(full).split()
        if not words:
            continue
        first, last = _sound(words[0]), _sound(words[-1])
        found.add("n:" + ":".join(sorted((first, last))))
        for year in years:
            found.add(f"ny:{last}:{year}")
        if born:
            found.add(f"nd:{first[:1]}:{born.isoformat()}")
    for value in _strings(identifiers.get("phones")):
        found |= {f"p:{v}" for v in [normalise.phone(value)] if v}
    for value in _strings(identifiers.get("handles")):
        found |= {f"h:{v}" for v in [normalise.handle(value)] if v}
    for value in _strings(identifiers.get("plates")):
        found |= {f"v:{v}" for v in [normalise.plate(value)] if v}
    for value in _strings(identifiers.get("addresses")):
        number, _, code = normalise.address(value)
        if code:
            found.add(f"a:{code}:{number}")
    return found


def _value_blocks(kind: str, value: str) -> set[str]:
    if not value:
        return set()
    if kind == "vehicle":
        return {f"v:{value}", f"vc:{value.translate(CONFUSABLE)}"}
    if kind == "phone":
        # The last seven digits: the same number with a wrong or missing area code.
        return {f"p:{value}", f"p7:{value[-7:]}"}
    stripped = "".join(c for c in value if c.isalpha())
    return {f"h:{value}"} | ({f"ha:{stripped}"} if stripped else set())


def encode(kind: str, identifiers: Mapping[str, Any], key: bytes) -> Encoded:
    """Encode a record's identifiers of the given kind with the partnerships' shared key."""
    if kind not in FIELDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if not key:
        raise ValueError("the encoding key is empty")
    if kind in PEOPLE:
        values = _person_values(identifiers)
        labels = _person_blocks(identifiers)
    else:
        value = _single_value(kind, identifiers)
        values = {"value": bigrams(value)} if value else {}
        labels = _value_blocks(kind, value)
    fields: dict[str, bytes] = {}
    for field, tokens in values.items():
        field_key = _field_key(key, kind, field)
        if FIELDS[kind][field] == "token":
            fields[field] = token(tokens[0], field_key)
        else:
            fields[field] = bloom(tokens, field_key)
    family = "person" if kind in PEOPLE else kind
    block_key = _block_key(key)
    blocks = {
        hmac.new(block_key, f"{family}\x1f{label}".encode(), hashlib.sha256).hexdigest()[:BLOCK_HEX]
        for label in labels
    }
    return Encoded(fields=fields, blocks=tuple(sorted(blocks)))
