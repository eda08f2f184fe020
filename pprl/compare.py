"""Compare two encodings: Dice similarity per field, combined Fellegi-Sunter style.

Each field's similarity falls into a level (the same as, close to, like, or unlike the other's);
each level has an m (how often true matches fall in it) and a u (how often non-matches do), and the
log Bayes factors of the fields present on both sides are summed with the prior. A field missing on
either side is neutral. The Dice coefficient is the one anonlink computes (a test checks they
agree); here it is a popcount on Python integers, which needs no bitarray for one pair.

First working version (helper "hub"); m, u and the levels are tuned by helper "enc".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pprl.schema import FIELDS

PRIOR = 0.0001  # a record held in one partnership is the same as a given one held in another
# An alert asks one coordinator to phone another: "possibly" is set higher than inside one app.
DEFAULT_THRESHOLDS = {"very_likely": 0.95, "possibly": 0.5}

# Similarity at or above each limit falls in that level; below the last, "unlike".
LEVELS = (0.98, 0.85, 0.65)


@dataclass(frozen=True)
class Param:
    m: tuple[float, float, float, float]  # same, close, like, unlike
    u: tuple[float, float, float, float]


_CONTACT = Param(m=(0.6, 0.12, 0.05, 0.23), u=(1e-6, 1e-5, 1e-4, 0.99989))
PARAMS: dict[str, dict[str, Param]] = {
    "person": {
        "names": Param(m=(0.75, 0.15, 0.06, 0.04), u=(0.0005, 0.003, 0.02, 0.9765)),
        "date_of_birth": Param(m=(0.9, 0.06, 0.02, 0.02), u=(0.0001, 0.003, 0.02, 0.9769)),
        "birth_year": Param(m=(0.85, 0.08, 0.05, 0.02), u=(0.02, 0.04, 0.08, 0.86)),
        "sex": Param(m=(0.97, 0.0, 0.0, 0.03), u=(0.5, 0.0, 0.0, 0.5)),
        "addresses": Param(m=(0.5, 0.2, 0.1, 0.2), u=(0.0001, 0.001, 0.01, 0.9889)),
        "postcodes": Param(m=(0.6, 0.1, 0.1, 0.2), u=(0.0005, 0.002, 0.01, 0.9875)),
        "phones": _CONTACT,
        "handles": _CONTACT,
        "plates": _CONTACT,
    },
    # One identifier: the same value written differently is the whole evidence.
    "vehicle": {"value": Param(m=(0.9, 0.07, 0.02, 0.01), u=(1e-7, 1e-5, 1e-4, 0.9998))},
    "phone": {"value": Param(m=(0.9, 0.07, 0.02, 0.01), u=(1e-7, 1e-6, 1e-4, 0.9999))},
    "handle": {"value": Param(m=(0.9, 0.07, 0.02, 0.01), u=(1e-7, 1e-5, 1e-4, 0.9998))},
}
PARAMS["child"] = PARAMS["person"]


@dataclass(frozen=True)
class Score:
    probability: float
    band: str  # "very_likely", "possibly" or ""
    similarities: dict[str, float]  # field -> similarity, for fields present on both sides


def dice(a: bytes, b: bytes) -> float:
    """The Dice coefficient of two Bloom filters: twice the shared bits over all set bits."""
    x, y = int.from_bytes(a, "big"), int.from_bytes(b, "big")
    total = x.bit_count() + y.bit_count()
    return 2 * (x & y).bit_count() / total if total else 0.0


def _level(similarity: float) -> int:
    for index, limit in enumerate(LEVELS):
        if similarity >= limit:
            return index
    return len(LEVELS)


def band(probability: float, thresholds: Mapping[str, float] | None = None) -> str:
    limits = thresholds or DEFAULT_THRESHOLDS
    if probability >= limits["very_likely"]:
        return "very_likely"
    return "possibly" if probability >= limits["possibly"] else ""


def score(
    kind: str,
    a_fields: Mapping[str, bytes],
    b_fields: Mapping[str, bytes],
    *,
    thresholds: Mapping[str, float] | None = None,
    prior: float = PRIOR,
) -> Score:
    """How likely two encodings of the same kind are of the same person, child or thing."""
    if kind not in PARAMS:
        raise ValueError(f"unknown kind {kind!r}")
    similarities: dict[str, float] = {}
    weight = math.log2(prior / (1 - prior))
    both = sorted(set(a_fields) & set(b_fields) & set(PARAMS[kind]))
    # A date of birth on both sides says more than the birth year it contains: count it once.
    if "date_of_birth" in both:
        both = [f for f in both if f != "birth_year"]
    for field in both:
        a, b = a_fields[field], b_fields[field]
        if FIELDS[kind][field] == "token":
            similarity = 1.0 if a == b else 0.0
        else:
            similarity = dice(a, b) if len(a) == len(b) else 0.0
        similarities[field] = similarity
        param = PARAMS[kind][field]
        level = _level(similarity)
        if FIELDS[kind][field] == "token":
            level = 0 if similarity == 1.0 else len(LEVELS)
        weight += math.log2(param.m[level] / param.u[level])
    probability = 2**weight / (1 + 2**weight) if weight < 1000 else 1.0
    return Score(probability, band(probability, thresholds), similarities)
