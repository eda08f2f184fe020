"""Encode a record's identifiers so that a hub can compare them without reading them.

Each field becomes keyed tokens (for the comparisons the plain model makes by equality) and keyed
Bloom filters of bigrams (for the ones it makes by similarity), so that `pprl.compare` can put a
pair of encodings in the same comparison level as `seethesigns.matching` puts the plain pair.
The levels, field by field (the plain model's are in `seethesigns/matching/fields.py`):

- name: the same name (token), the same words in another order (token of the sorted words), a
  slip apart (Dice of the names' bigram filters), the same sound (token of the words' metaphones),
  every word of one close to a word of the other, or one word in common (Dice of the words'
  own filters);
- date of birth: the same (token), one character off or day and month swapped (tokens of the
  date with one position masked and of the date with two characters swapped), the same year
  (token), age ranges whose years overlap and born up to five years apart (tokens of the
  dyadic intervals of years covering each range, so overlap is a shared token; no ranges of
  days, which would let the hub order dates of birth);
- address: the same (token), house numbers fit and a slip apart (house number token and bigram
  filter), the same house number and street sound (token), the same postcode (token);
- sex, phones, handles, vehicles, NHS number: tokens.

Every token and every filter is keyed with a key derived (HKDF, clkhash's `generate_key_lists`)
from the partnerships' shared secret, one key per field, so the hub, which never has the secret,
cannot recompute them, and a token of one field says nothing about another. Filters use
clkhash's keyed BLAKE2 hashing (`clkhash.bloomfilter.blake_encode_ngrams`), not double hashing,
which is open to Kroll and Steinmetzer's attack. The attacks that remain, and what this does
against them, are in docs/linkage-hub.md ("Attacks on the encodings").

Wire format of one field: sections, each a count (1 byte), an item width in bytes (2 bytes, big
endian), then the items. `pprl.compare.sections()` reads it back.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
from clkhash.bloomfilter import blake_encode_ngrams
from clkhash.key_derivation import generate_key_lists

from pprl.schema import (
    ADDRESS_BITS,
    BLOCK_HEX,
    BLOOM_BITS,
    FIELDS,
    KINDS,
    NAME_BITS,
    TOKEN_BYTES,
    VALUE_KINDS,
    WORD_BITS,
)
from seethesigns.matching import normalise

__all__ = ["BLOOM_BITS", "FIELDS", "KINDS", "Encoded", "encode"]
NAME_K = 20  # bits set per bigram; tuned by bench/linkage.py (see docs/linkage-hub.md)
WORD_K = 10
ADDRESS_K = 20
DAY_BITS = 20  # days since 0001-01-01 fit in 20 bits until the year 2871 (no longer sent)
YEAR_BITS = 12
FAR_YEARS = 5  # the plain model's "born up to five years apart"
# A filter for each word of a name lets the hub tell "one word in common" from "different" as
# the plain model does, but a word's filter is the same wherever the word is, so the hub can
# count first names and surnames: a frequency attack names 22 to 72 % of them (docs/linkage-hub.md).
# So they are not sent: compare.py judges those two levels on the whole name's filter, which
# keeps precision and recall within 0.02 of plain text at the hub's thresholds (0.95 and 0.5;
# `make join-the-dots`). They only pay below the hub's "possibly" line, where it never alerts.
WORD_FILTERS = False
MAX_WORDS = 6  # words of one name with a filter of their own: twenty names still fit 8 KiB
MAX_VALUES = 20  # names, addresses, phones... kept per record: a field's count is one byte
MIN_KEY_BYTES = 16
SALT = b"seethesigns-pprl-v1"
KEYED = (
    "name",
    "name-filter",
    "word-filter",
    "dob",
    "sex",
    "address",
    "address-filter",
    "phone",
    "handle",
    "plate",
    "nhs",
    "vehicle-value",
    "phone-value",
    "handle-value",
    "blocks",
)


@dataclass(frozen=True)
class Encoded:
    """One record's encoding: what is sent to the hub, and all that is."""

    fields: dict[str, bytes]  # field name -> keyed tokens and filters; a missing field is absent
    blocks: tuple[str, ...]  # keyed hex block keys: the hub compares encodings sharing one


def encode(kind: str, identifiers: Mapping[str, Any], key: bytes) -> Encoded:
    """Encode `identifiers` of a record of `kind` with the partnerships' shared `key`."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if not isinstance(key, bytes) or len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the encoding key must be at least {MIN_KEY_BYTES} bytes")
    keys = _keys(key)
    if kind in VALUE_KINDS:
        return _encode_value(kind, identifiers, keys)
    return _encode_record(kind, identifiers, keys)


@functools.lru_cache(maxsize=8)
def _keys(key: bytes) -> dict[str, bytes]:
    """One 64-byte key per use, derived from the shared secret (HKDF-SHA256)."""
    derived = generate_key_lists(
        key, len(KEYED), num_hashing_methods=1, key_size=64, salt=SALT, info=b"fields"
    )
    return {name: found[0] for name, found in zip(KEYED, derived, strict=True)}


def _token(key: bytes, *parts: object) -> bytes:
    message = "\x1f".join(str(p) for p in parts).encode()
    return hashlib.blake2b(message, key=key, digest_size=TOKEN_BYTES).digest()


def _block(key: bytes, kind: str, *parts: object) -> str:
    message = "\x1f".join(str(p) for p in (kind, *parts)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:BLOCK_HEX]


def pack(sections: Sequence[Sequence[bytes]], width: int) -> bytes:
    """Sections of items of `width` bytes each, in the wire format (see the module's doc)."""
    out = bytearray()
    for items in sections:
        if len(items) > 255:
            raise ValueError("too many values in one field")
        out += struct.pack(">BH", len(items), width)
        for item in items:
            if len(item) != width:
                raise ValueError("items of a section must all be as wide as it says")
            out += item
    return bytes(out)


def bigrams(text: str) -> list[str]:
    """The text's bigrams, padded with a space at each end ("ab" -> " a", "ab", "b ")."""
    padded = f" {text} "
    return [padded[i : i + 2] for i in range(len(padded) - 1)]


def prefixes(text: str) -> list[str]:
    """Its first one to four characters, marked: Jaro-Winkler rewards a shared beginning."""
    return [f"^{text[:i]}" for i in range(1, min(4, len(text)) + 1)]


def letters(text: str) -> list[str]:
    """Each letter with how many times it has come so far ("anna": a1 n1 n2 a2): letters in
    another order still agree, as Jaro-Winkler forgives a transposition."""
    seen: dict[str, int] = {}
    found = []
    for char in text:
        seen[char] = seen.get(char, 0) + 1
        found.append(f"\x00{char}{seen[char]}")
    return found


# What goes into each filter. Measured against the plain model's Jaro-Winkler levels on the
# candidate pairs of FEBRL3 and the generated set (bench/linkage.py prints the agreement): for
# whole names, bigrams, letters and the first letters (agreement 0.956 to 0.971); for words,
# bigrams and letters; for addresses, bigrams and the first letters (0.940 to 0.998).
#
# Each filter takes at most its first FILTER_CHARS characters; the tokens are made of the whole
# text. Two unrelated filters with a share p of their bits set have a Dice of about p, so a filter
# of a long text would look "a slip apart" from any other long one, and one of most bits set is
# refused by the hub (`pprl.schema.MAX_FILL`). At these lengths at most about 0.72 of a name's
# bits are set (NAME_DICE 0.85), 0.62 of a word's (WORD_DICE 0.73), 0.69 of an address's
# (ADDRESS_DICE 0.8) and 0.45 of a vehicle's, phone's or handle's (its lowest level 0.65). Two
# long texts that agree in their first characters then compare as their beginnings do, as
# Jaro-Winkler, which weighs the beginning, nearly does.
FILTER_CHARS = {"name": 30, "word": 12, "address": 55, "value": 30}


def name_grams(text: str) -> list[str]:
    text = text[: FILTER_CHARS["name"]]
    return bigrams(text) + letters(text) + prefixes(text)


def word_grams(text: str) -> list[str]:
    text = text[: FILTER_CHARS["word"]]
    return bigrams(text) + letters(text)


def address_grams(text: str) -> list[str]:
    text = text[: FILTER_CHARS["address"]]
    return bigrams(text) + prefixes(text)


def bloom(grams: list[str], key: bytes, bits: int, k: int) -> bytes:
    """A keyed Bloom filter of the grams (clkhash's BLAKE2 hashing), as bytes."""
    grams = sorted(set(grams))
    return blake_encode_ngrams(grams, (key,), [k] * len(grams), bits, "utf-8").tobytes()


# ---- People and children --------------------------------------------------------------------


def _listed(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))[:MAX_VALUES]


def _strings(identifiers: Mapping[str, Any], name: str) -> list[str]:
    value = identifiers.get(name) or ()
    if isinstance(value, str):
        value = (value,)
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of strings")
    return list(value)


def _date(identifiers: Mapping[str, Any], name: str) -> date | None:
    value = identifiers.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{name} must be a date (YYYY-MM-DD)")


def _age(identifiers: Mapping[str, Any], name: str) -> int | None:
    value = identifiers.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 150:
        raise ValueError(f"{name} must be a whole number of years")
    return value


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_range(identifiers: Mapping[str, Any]) -> tuple[date, date] | None:
    """The earliest and latest possible birth dates, as the plain model computes them."""
    born = _date(identifiers, "date_of_birth")
    if born:
        return born, born
    low, high = _age(identifiers, "age_low"), _age(identifiers, "age_high")
    if low is None and high is None:
        return None
    on = _date(identifiers, "age_on") or date.today()  # noqa: DTZ011  (a calendar day)
    low = 0 if low is None else low
    high = 120 if high is None else high
    earliest = date.fromordinal(_years_before(on, high + 1).toordinal() + 1)
    return earliest, _years_before(on, low)


def ancestors(point: int, bits: int) -> list[tuple[int, int]]:
    """Every aligned dyadic interval holding `point`: (level, index) from one to 2**bits wide."""
    return [(level, point >> level) for level in range(bits + 1)]


def cover(low: int, high: int, bits: int) -> list[tuple[int, int]]:
    """The fewest aligned dyadic intervals whose union is [low, high]: a point is inside the
    range exactly when one of its ancestors is one of these."""
    found = []
    while low <= high:
        level = 0
        while (
            level < bits and low % (1 << (level + 1)) == 0 and low + (1 << (level + 1)) - 1 <= high
        ):
            level += 1
        found.append((level, low >> level))
        low += 1 << level
    return found


def _name_field(names: list[str], keys: dict[str, bytes]) -> bytes:
    key = keys["name"]
    exact = [_token(key, "n", n) for n in names]
    ordered = _listed(" ".join(sorted(n.split())) for n in names)
    sounds = _listed(" ".join(sorted(jellyfish.metaphone(w) for w in n.split())) for n in names)
    sections: list[list[bytes]] = [
        exact,
        [_token(key, "o", n) for n in ordered],
        [_token(key, "s", s) for s in sounds],
    ]
    blob = pack(sections, TOKEN_BYTES)
    blob += pack(
        [[bloom(name_grams(n), keys["name-filter"], NAME_BITS, NAME_K) for n in names]],
        NAME_BITS // 8,
    )
    if not WORD_FILTERS:
        return blob
    words = [
        [
            bloom(word_grams(w), keys["word-filter"], WORD_BITS, WORD_K)
            for w in n.split()[:MAX_WORDS]
        ]
        for n in names
    ]
    return blob + pack(words, WORD_BITS // 8)


def _dob_field(identifiers: Mapping[str, Any], keys: dict[str, bytes]) -> bytes | None:
    found = birth_range(identifiers)
    if not found:
        return None
    key = keys["dob"]
    low, high = found
    born = _date(identifiers, "date_of_birth")
    exact: list[bytes] = []
    variants: list[bytes] = []
    masks: list[bytes] = []
    year: list[bytes] = []
    if born:
        text = born.isoformat()
        exact = [_token(key, "d", text)]
        swapped = {text[:i] + text[i + 1] + text[i] + text[i + 2 :] for i in range(len(text) - 1)}
        swapped.add(f"{text[:4]}-{text[8:10]}-{text[5:7]}")  # day and month the other way
        variants = [_token(key, "d", v) for v in sorted(swapped - {text})]
        masks = [_token(key, "m", i, text[:i] + text[i + 1 :]) for i in range(len(text))]
        year = [_token(key, "y", text[:4])]
    # No day-level ranges: a token for every dyadic range of days holding the date let the hub
    # put every record on one timeline of birth days (docs/linkage-hub.md). Ranges are of years
    # only, so "ages fit each other" is judged by years (sections 4 and 5, once day ranges, are
    # sent empty, so that the wire format keeps its shape).
    first, last = low.year, high.year
    years = [_token(key, "Y", *pair) for pair in ancestors(first, YEAR_BITS)]
    year_cover = [_token(key, "Y", *pair) for pair in cover(first, last, YEAR_BITS)]
    near_cover = [
        _token(key, "Y", *pair) for pair in cover(first - FAR_YEARS, last + FAR_YEARS, YEAR_BITS)
    ]
    # The year five years before the range's first is needed only when the range is wider than
    # a year: for one year, its year inside the other's widened range already decides.
    years_less = (
        [_token(key, "Y", *pair) for pair in ancestors(first - FAR_YEARS, YEAR_BITS)]
        if last > first
        else []
    )
    sections = [exact, variants, masks, year, [], [], years, years_less]
    return pack([*sections, year_cover, near_cover], TOKEN_BYTES)


def _street(number: str, text: str) -> str:
    """The house number and the sound of the street's first word, as the plain model has it."""
    words = [w for w in text.split() if w.isalpha() and len(w) > 2 and w != "flat"]
    return f"{number} {jellyfish.metaphone(words[0])}" if words and number else ""


def _address_field(addresses: list[str], keys: dict[str, bytes]) -> bytes | None:
    parts = [normalise.address(a) for a in addresses]
    written = [(number, text) for number, text, _ in parts if text]
    written = list(dict.fromkeys(written))[:MAX_VALUES]
    if not written:
        return None
    key = keys["address"]
    exact = [_token(key, "a", f"{number}|{text}") for number, text in written]
    # A missing house number is eight zero bytes: "fits any number" (a token is never all zeros
    # but once in 2**64).
    numbers = [_token(key, "h", number) if number else bytes(TOKEN_BYTES) for number, _ in written]
    streets = _listed(_street(number, text) for number, text, _ in parts)
    codes = _listed(code for _, _, code in parts)
    blob = pack(
        [
            exact,
            numbers,
            [_token(key, "s", s) for s in streets],
            [_token(key, "p", c) for c in codes],
        ],
        TOKEN_BYTES,
    )
    filters = [
        bloom(address_grams(f"{number}|{text}"), keys["address-filter"], ADDRESS_BITS, ADDRESS_K)
        for number, text in written
    ]
    return blob + pack([filters], ADDRESS_BITS // 8)


def _tokens(key: bytes, values: list[str]) -> bytes | None:
    return pack([[_token(key, "v", v) for v in values]], TOKEN_BYTES) if values else None


def _encode_record(kind: str, identifiers: Mapping[str, Any], keys: dict[str, bytes]) -> Encoded:
    names = _listed(normalise.name(n) for n in _strings(identifiers, "names"))
    sex = identifiers.get("sex") or ""
    if not isinstance(sex, str):
        raise ValueError("sex must be a string")
    phones = _listed(normalise.phone(p) for p in _strings(identifiers, "phones"))
    handles = _listed(normalise.handle(h) for h in _strings(identifiers, "handles"))
    plates = _listed(normalise.plate(p) for p in _strings(identifiers, "plates"))
    nhs = normalise.nhs_number(str(identifiers.get("nhs_number") or ""))
    fields: dict[str, bytes | None] = {
        "name": _name_field(names, keys) if names else None,
        "dob": _dob_field(identifiers, keys),
        "sex": _tokens(keys["sex"], [sex]) if sex and sex != "not-known" else None,
        "address": _address_field(_strings(identifiers, "addresses"), keys),
        "phone": _tokens(keys["phone"], phones),
        "handle": _tokens(keys["handle"], handles),
        "plate": _tokens(keys["plate"], plates) if kind == "person" else None,
        "nhs": _tokens(keys["nhs"], [nhs]) if kind == "child" and nhs else None,
    }
    kept = {name: blob for name, blob in fields.items() if blob is not None}
    return Encoded(
        kept, _record_blocks(kind, identifiers, names, phones, handles, plates, nhs, keys)
    )


def _prefix(name: str) -> str | None:
    words = name.split()
    if len(words) < 2:
        return None
    return "|".join(sorted((words[0][:3], words[-1][:3])))


def _record_blocks(
    kind: str,
    identifiers: Mapping[str, Any],
    names: list[str],
    phones: list[str],
    handles: list[str],
    plates: list[str],
    nhs: str,
    keys: dict[str, bytes],
) -> tuple[str, ...]:
    """The plain batch's blocking rules (`matching.estimate.PREDICTION_RULES`) as keyed keys, on
    the same values: the first name, the first address's street and postcode, the first phone,
    handle and vehicle. Blocking on every alias as well found no more true pairs on the generated
    records and many more wrong "possibly" ones (bench/linkage.py).

    Two of the batch's rules are narrowed, because a hub holds every partnership's records and a
    key made only of values from a small set grows with them: the names' first letters are
    blocked with the year of birth, and the first name's sound with the year and the surname's
    first sound. With 3 million encodings (bench/hub_scale.py) the two keys as the batch makes
    them held up to 3,389 encodings each and made 650 million of the 840 million pairs to
    compare; narrowed, they reach 3 to 9 fewer true pairs in a few thousand, none of them
    "very likely" (docs/linkage-hub.md, "Blocking at national size")."""
    born = _date(identifiers, "date_of_birth")
    year = born.year if born else None
    found: list[tuple[object, ...]] = []
    if born:
        found.append(("dob", born.isoformat()))
    if names:
        name = names[0]
        words = list(dict.fromkeys(jellyfish.metaphone(w) for w in name.split() if len(w) > 1))
        first = words[0] if words else None
        last = words[-1] if len(words) > 1 else None
        if first and last:
            found.append(("first-last", *sorted((first, last))))  # either order
        prefix = _prefix(name)
        if prefix and year:
            found.append(("prefix-year", prefix, year))
        if year and last:
            found.append(("last-year", last, year))
        if year and first:
            found.append(("first-year-initial", first, year, last[:1] if last else ""))
    parts = [normalise.address(a) for a in _strings(identifiers, "addresses")]
    streets = _listed(_street(number, text) for number, text, _ in parts)
    codes = _listed(code for _, _, code in parts)
    for label, values in (
        ("street", streets),
        ("postcode", codes),
        ("phone", phones),
        ("handle", handles),
        ("plate", plates if kind == "person" else []),
        ("nhs", [nhs] if kind == "child" and nhs else []),
    ):
        if values:
            found.append((label, values[0]))
    return tuple(sorted({_block(keys["blocks"], kind, *parts) for parts in found}))


# ---- Vehicles, phones, handles --------------------------------------------------------------

NORMALISE = {"vehicle": normalise.plate, "phone": normalise.phone, "handle": normalise.handle}
# Plate characters that are misread for each other (O and 0, I and 1): one block for both readings.
CONFUSABLE = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
                            "B": "8", "G": "6"})  # fmt: skip
VALUE_K = 20


def _value_blocks(kind: str, value: str) -> list[tuple[str, str]]:
    if kind == "vehicle":
        return [("v", value), ("vc", value.translate(CONFUSABLE))]
    if kind == "phone":
        # The last seven digits: the same number with a wrong or missing area code.
        return [("p", value), ("p7", value[-7:])]
    stripped = "".join(c for c in value if c.isalpha())
    return [("h", value)] + ([("ha", stripped)] if stripped else [])


def _encode_value(kind: str, identifiers: Mapping[str, Any], keys: dict[str, bytes]) -> Encoded:
    """One vehicle, phone or handle: a keyed Bloom filter of its bigrams, so that a misread
    character still scores close (pprl.compare), and block keys for it and its misreadings."""
    value = identifiers.get("value")
    plain = NORMALISE[kind](value) if isinstance(value, str) else ""
    if not plain:
        return Encoded({}, ())
    blob = bloom(
        bigrams(plain[: FILTER_CHARS["value"]]), keys[f"{kind}-value"], BLOOM_BITS, VALUE_K
    )
    blocks = sorted({_block(keys["blocks"], kind, *parts) for parts in _value_blocks(kind, plain)})
    return Encoded({"value": blob}, tuple(blocks))
