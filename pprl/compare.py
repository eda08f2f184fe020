"""Compare two encodings (`pprl.encode`) the way the plain model compares two records.

Each field's encodings are put in one of the plain model's comparison levels
(`seethesigns/matching/fields.py`): by shared tokens where the plain model tests equality, by the
Dice similarity of keyed bigram filters where it uses Jaro-Winkler. The levels' m and u
probabilities are the plain model's (the shipped defaults below, or a partnership's estimate
passed as `params`), and the weights are summed Fellegi-Sunter style: log2 of the prior odds plus
log2(m/u) of each field's level; a field missing on either side adds nothing. The Dice
thresholds standing for the plain model's Jaro-Winkler ones were tuned on FEBRL3 and the
generated set (bench/linkage.py; figures in docs/linkage-hub.md).

No Django and no `seethesigns` import: the hub runs this.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pprl.schema import VALUE_KINDS

# Dice of the bigram filters standing for the plain model's Jaro-Winkler thresholds.
NAME_DICE = 0.85  # a slip apart (Jaro-Winkler >= 0.92 on the whole name)
COVER_DICE = 0.71  # every word of one close to a word of the other (>= 0.9 word by word)
WORD_DICE = 0.73  # one word in common (>= 0.92)
# Without word filters (encode.WORD_FILTERS off): the whole name's Dice for those two levels.
COVER_FULL_DICE = 0.84
WORD_FULL_DICE = 0.62
ADDRESS_DICE = 0.8  # house numbers fit and a slip apart (>= 0.9)
# The hub's bands. An alert asks one coordinator to phone another, so "possibly" is set higher
# than inside one partnership's app (MATCHING_THRESHOLDS: 0.95 and 0.02); bench/linkage.py
# measures both.
DEFAULT_THRESHOLDS = {"very_likely": 0.95, "possibly": 0.5}
PRIOR = 0.0001
# The records the shipped prior is meant for (the app's `seethesigns.network.batch.SHIPPED_FOR`;
# a test checks they agree).
SHIPPED_FOR = 10_000

# The plain model's shipped parameters (seethesigns/matching/fields.py; a test checks they agree).
_NAME = (
    (0.70, 0.05, 0.10, 0.04, 0.04, 0.05, 0.02),
    (0.0002, 0.00005, 0.0005, 0.001, 0.002, 0.08, 0.91625),
)
_DOB = ((0.80, 0.10, 0.015, 0.05, 0.015, 0.02), (0.0003, 0.003, 0.02, 0.02, 0.15, 0.8067))
_SEX = ((0.97, 0.03), (0.5, 0.5))
_ADDRESS = ((0.5, 0.25, 0.05, 0.05, 0.15), (0.001, 0.0005, 0.0005, 0.005, 0.993))


def _exact(m: float, u: float) -> tuple[tuple[float, float], tuple[float, float]]:
    return (m, 1 - m), (u, 1 - u)


_PHONE, _HANDLE, _PLATE = _exact(0.6, 0.0002), _exact(0.5, 0.0001), _exact(0.5, 0.0001)
_NHS = ((0.97, 0.03), (0.0000001, 0.9999999))
_SHIPPED = {
    "person": {
        "name": _NAME,
        "dob": _DOB,
        "sex": _SEX,
        "address": _ADDRESS,
        "phone": _PHONE,
        "handle": _HANDLE,
        "plate": _PLATE,
    },
    "child": {
        "name": _NAME,
        "dob": _DOB,
        "sex": _SEX,
        "address": _ADDRESS,
        "phone": _PHONE,
        "handle": _HANDLE,
        "nhs": _NHS,
    },
}
FIELDS = {kind: tuple(fields) for kind, fields in _SHIPPED.items()}


@dataclass(frozen=True)
class Score:
    probability: float
    band: str  # "very_likely", "possibly" or ""
    similarities: dict[str, float]  # per field present on both sides, 1.0 the closest level


def default_parameters(kind: str) -> dict[str, Any]:
    """The plain model's shipped parameters for `kind`, in its parameters' shape."""
    shipped = _SHIPPED[kind]
    return {
        "prior": PRIOR,
        "m": {field: list(mu[0]) for field, mu in shipped.items()},
        "u": {field: list(mu[1]) for field, mu in shipped.items()},
    }


def for_size(params: Mapping[str, Any], made_for: int, held: int) -> dict[str, Any]:
    """`params` with the prior scaled to the records now compared.

    The prior is the chance that two records picked at random are one person. Each person is
    held a bounded number of times (by one partnership, or by a few), so the true pairs grow
    with the records while the pairs grow with their square: the prior falls as 1/records. A
    prior estimated on `made_for` records is multiplied by made_for / held once more are held
    (never raised). Without it, a national store scored with one partnership's prior raised a
    wrong alert for every right one (docs/linkage-hub.md, "The prior at national size")."""
    scaled = dict(params)
    if held > made_for > 0:
        scaled["prior"] = params["prior"] * made_for / held
    return scaled


def check_parameters(kind: str, given: Any) -> dict[str, Any]:
    """`given` as parameters for `kind`, in the fields' order; ValueError saying what is wrong.

    They must be what the plain model's parameters are (`seethesigns.matching.api.parameters`):
    {"prior": p, "m": {field: [one per level]}, "u": {...}}, with this kind's fields, as many
    levels as compare.py tells apart, and every probability above 0 and at most 1 (a prior
    below 1)."""
    if kind not in _SHIPPED:
        raise ValueError(
            f"parameters are kept for {' and '.join(_SHIPPED)} only (vehicles, phones and "
            f"handles are scored on fixed levels), not {kind!r}"
        )
    if not isinstance(given, dict):
        raise ValueError('the parameters must be a JSON object: {"prior": ..., "m": ..., "u": ...}')
    if set(given) != {"prior", "m", "u"}:
        raise ValueError(
            "the parameters must hold exactly prior, m and u"
            + _missing_unknown(["prior", "m", "u"], list(given))
        )
    prior = given["prior"]
    if not _probability_like(prior) or prior >= 1:
        raise ValueError(f"prior must be a number above 0 and below 1, not {prior!r}")
    checked: dict[str, Any] = {"prior": float(prior), "m": {}, "u": {}}
    for which in ("m", "u"):
        table = given[which]
        if not isinstance(table, dict):
            raise ValueError(f"{which} must be an object of fields")
        fields = _SHIPPED[kind]
        if set(table) != set(fields):
            raise ValueError(
                f"{which} must have the {kind} fields {', '.join(fields)}"
                + _missing_unknown(list(fields), list(table))
            )
        for field, shipped in fields.items():
            values = table[field]
            levels = len(shipped[0])
            if not isinstance(values, list) or len(values) != levels:
                raise ValueError(f"{which}[{field!r}] must be a list of {levels} probabilities")
            if not all(_probability_like(v) for v in values):
                raise ValueError(f"{which}[{field!r}] must hold numbers above 0 and at most 1")
            checked[which][field] = [float(v) for v in values]
    return checked


def _missing_unknown(wanted: list[str], given: list[Any]) -> str:
    """ "(missing x; unknown y)" for a message, or nothing."""
    said = (
        [f"missing {', '.join(w for w in wanted if w not in given)}"]
        if set(wanted) - set(given)
        else []
    )
    unknown = sorted(str(g) for g in given if g not in wanted)
    said += [f"unknown {', '.join(unknown)}"] if unknown else []
    return f" ({'; '.join(said)})" if said else ""


def _probability_like(value: Any) -> bool:
    """A JSON number in (0, 1] (not a boolean, not NaN)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1


# ---- Reading the wire format ----------------------------------------------------------------

Sections = tuple[tuple[int, ...], ...]


@functools.lru_cache(maxsize=16384)  # a few MB: one record read once against its candidates
def sections(blob: bytes) -> Sections:
    """A field's sections, each item as an int (tokens compare by ==, filters by popcount)."""
    found = []
    at = 0
    while at < len(blob):
        if at + 3 > len(blob):
            raise ValueError("a field's encoding is cut short")
        count, width = struct.unpack_from(">BH", blob, at)
        at += 3
        end = at + count * width
        if width == 0 or end > len(blob):
            raise ValueError("a field's encoding is cut short")
        found.append(
            tuple(int.from_bytes(blob[i : i + width], "big") for i in range(at, end, width))
        )
        at = end
    return tuple(found)


def dice(a: bytes, b: bytes) -> float:
    """The Dice coefficient of two Bloom filters: twice the shared bits over all set bits."""
    return _dice(int.from_bytes(a, "big"), int.from_bytes(b, "big"))


def _dice(a: int, b: int) -> float:
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


def _shared(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return not set(a).isdisjoint(b)


# ---- Levels, field by field (closest first, as the plain model's) ----------------------------


def _cover(x: tuple[int, ...], y: tuple[int, ...]) -> float:
    """How well every word of x is found in y: the worst word's best Dice."""
    return min(max(_dice(w, v) for v in y) for w in x) if x and y else 0.0


def name_level(a: Sections, b: Sections) -> tuple[int, float]:
    n_a, n_b = len(a[0]), len(b[0])
    if len(a) not in (4, 4 + n_a) or len(b) not in (4, 4 + n_b):
        raise ValueError("a name's encoding does not hold what it says")
    best = max((_dice(x, y) for x in a[3] for y in b[3]), default=0.0)
    if _shared(a[0], b[0]):
        return 0, 1.0
    if _shared(a[1], b[1]):
        return 1, best
    if best >= NAME_DICE:
        return 2, best
    if _shared(a[2], b[2]):
        return 3, best
    words_a, words_b = a[4:], b[4:]
    if not words_a or not words_b:  # one side sent no word filters: the whole name decides
        return (
            (4, best)
            if best >= COVER_FULL_DICE
            else (5, best)
            if best >= WORD_FULL_DICE
            else (6, best)
        )
    covered = max((max(_cover(x, y), _cover(y, x)) for x in words_a for y in words_b), default=0.0)
    if covered >= COVER_DICE:
        return 4, best
    word = max((_dice(w, v) for x in words_a for y in words_b for w in x for v in y), default=0.0)
    if word >= WORD_DICE:
        return 5, best
    return 6, best


def _overlap(
    start_a: tuple[int, ...],
    cover_a: tuple[int, ...],
    start_b: tuple[int, ...],
    cover_b: tuple[int, ...],
) -> bool:
    """Two ranges overlap when either's start lies in the other (a shared dyadic token)."""
    return _shared(start_a, cover_b) or _shared(start_b, cover_a)


def dob_level(a: Sections, b: Sections) -> tuple[int, float]:
    if len(a) != 10 or len(b) != 10:
        raise ValueError("a date of birth's encoding does not hold what it says")
    if a[0] and b[0]:
        if a[0] == b[0]:
            return 0, 1.0
        if _shared(a[2], b[2]) or _shared(a[0], b[1]) or _shared(b[0], a[1]):
            return 1, 0.8
        if a[3] == b[3]:
            return 2, 0.6
    # Ages fit each other, judged by years: the encodings hold no ranges of days (encode.py).
    if _overlap(a[6], a[8], b[6], b[8]):
        return 3, 0.4
    # Born up to five years apart: a's years overlap b's widened by five on each side: one's
    # first year is in the other's widened range, or b's first less five is in a's range (sent
    # only by a range of more than one year; for one year the first test decides).
    if _shared(a[6], b[9]) or _shared(b[6], a[9]) or _shared(b[7], a[8]) or _shared(a[7], b[8]):
        return 4, 0.2
    return 5, 0.0


def address_level(a: Sections, b: Sections) -> tuple[int, float]:
    if len(a) != 5 or len(b) != 5:
        raise ValueError("an address's encoding does not hold what it says")
    if _shared(a[0], b[0]):
        return 0, 1.0
    best = 0.0
    for number_a, filter_a in zip(a[1], a[4], strict=False):
        for number_b, filter_b in zip(b[1], b[4], strict=False):
            if number_a == number_b or not number_a or not number_b:
                best = max(best, _dice(filter_a, filter_b))
    if best >= ADDRESS_DICE:
        return 1, best
    if _shared(a[2], b[2]):
        return 2, best
    if _shared(a[3], b[3]):
        return 3, best
    return 4, best


def _any_level(a: Sections, b: Sections) -> tuple[int, float]:
    return (0, 1.0) if _shared(a[0], b[0]) else (1, 0.0)


LEVELS: dict[str, Callable[[Sections, Sections], tuple[int, float]]] = {
    "name": name_level,
    "dob": dob_level,
    "sex": _any_level,
    "address": address_level,
    "phone": _any_level,
    "handle": _any_level,
    "plate": _any_level,
    "nhs": _any_level,
}


def levels(
    kind: str, a_fields: Mapping[str, bytes], b_fields: Mapping[str, bytes]
) -> dict[str, tuple[int, float]]:
    """Each field present on both sides: (the plain model's level, a similarity in [0, 1])."""
    found = {}
    for field in FIELDS[kind]:
        if field in a_fields and field in b_fields:
            found[field] = LEVELS[field](sections(a_fields[field]), sections(b_fields[field]))
    return found


# One vehicle, phone or handle: the same value written differently is the whole evidence. Levels
# by the Dice of the two filters: the same (>= 0.98), a character misread (>= 0.85), like
# (>= 0.65), unlike; m and u as the hub's first version had them.
VALUE_LEVELS = (0.98, 0.85, 0.65)
VALUE_M = (0.9, 0.07, 0.02, 0.01)
VALUE_U = {
    "vehicle": (1e-7, 1e-5, 1e-4, 0.9998),
    "phone": (1e-7, 1e-6, 1e-4, 0.9999),
    "handle": (1e-7, 1e-5, 1e-4, 0.9998),
}


def band(probability: float, thresholds: Mapping[str, float] | None = None) -> str:
    limits = thresholds or DEFAULT_THRESHOLDS
    if probability >= limits["very_likely"]:
        return "very_likely"
    return "possibly" if probability >= limits["possibly"] else ""


def _weight(prior: float) -> float:
    return math.log2(prior / (1 - prior))


def _probability(weight: float) -> float:
    return 1.0 if weight > 1000 else 2.0**weight / (1 + 2.0**weight)


def score(
    kind: str,
    a_fields: Mapping[str, bytes],
    b_fields: Mapping[str, bytes],
    *,
    thresholds: Mapping[str, float] | None = None,
    params: Mapping[str, Any] | None = None,
) -> Score:
    """How likely two encodings of `kind` are one person, child, vehicle, phone or handle.
    `params` are the plain model's parameters (a partnership's estimate); shipped ones if None."""
    similarities: dict[str, float] = {}
    if kind in VALUE_KINDS:
        weight = _weight(PRIOR)
        a, b = a_fields.get("value"), b_fields.get("value")
        if a and b:
            similarity = dice(a, b) if len(a) == len(b) else 0.0
            at = next((i for i, t in enumerate(VALUE_LEVELS) if similarity >= t), 3)
            weight += math.log2(VALUE_M[at] / VALUE_U[kind][at])
            similarities["value"] = similarity
    elif kind in FIELDS:
        chosen = params or default_parameters(kind)
        weight = _weight(chosen["prior"])
        for field, (at, similarity) in levels(kind, a_fields, b_fields).items():
            weight += math.log2(chosen["m"][field][at] / chosen["u"][field][at])
            similarities[field] = similarity
    else:
        raise ValueError(f"unknown kind {kind!r}")
    probability = _probability(weight)
    return Score(probability, band(probability, thresholds), similarities)
