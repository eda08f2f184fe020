"""What the higher apps use: the record shape, `compare()`, blocking keys and the source registry.

Fellegi-Sunter, as Splink computes it: each field's comparison level has an m probability (of
that level among pairs that are the same person) and a u probability (among pairs that are not);
the match weight is log2 of the prior odds plus log2(m/u) of each field's level, a missing field
adding nothing; the probability is 2^w / (1 + 2^w). The parameters are estimated from the
partnership's own records (`manage.py estimate_matching`, `estimate.py`) and kept in the
`MatchingModel` table; until then the shipped defaults in `fields.py` are used.

No model is imported at module level, so the higher apps may import this in their AppConfig.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
from django.utils.timezone import localdate

from seethesigns.matching import fields, normalise

KINDS = ("person", "child")


@dataclass(frozen=True)
class Record:
    names: tuple[str, ...] = ()  # full names: the main name first, then aliases
    date_of_birth: date | None = None
    age_low: int | None = None  # age range when the date of birth is not known,
    age_high: int | None = None  # as of `age_on` (defaults to today)
    age_on: date | None = None
    sex: str = ""  # demographics.Sex values; "" or "not-known" = missing
    addresses: tuple[str, ...] = ()  # free text addresses, postcodes inside if known
    phones: tuple[str, ...] = ()
    handles: tuple[str, ...] = ()
    plates: tuple[str, ...] = ()
    nhs_number: str = ""


@dataclass(frozen=True)
class Verdict:
    band: str  # "very_likely", "possibly" or "" (not a match)
    probability: float  # match probability from the Fellegi-Sunter weight
    weight: float  # log2 Bayes factor summed over fields (plus prior)
    agree: tuple[str, ...]  # plain words of the fields that agree ("date of birth", "phone")
    disagree: tuple[str, ...]  # and that disagree; missing fields are in neither (neutral)


# ---- Parameters --------------------------------------------------------------------------------

Parameters = dict[str, Any]  # {"prior": λ, "m": {field: [...]}, "u": {field: [...]}}
_cache: dict[str, tuple[float, Parameters]] = {}
CACHE_SECONDS = 300  # another process's new estimate is used within five minutes


def default_parameters(kind: str) -> Parameters:
    return {
        "prior": fields.DEFAULT_PRIOR,
        "m": {f.name: list(f.m) for f in fields.FIELDS[kind]},
        "u": {f.name: list(f.u) for f in fields.FIELDS[kind]},
    }


def parameters(kind: str) -> Parameters:
    """The newest estimate for `kind` from the database, or the shipped defaults."""
    cached = _cache.get(kind)
    if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    from seethesigns.matching.models import MatchingModel

    newest = MatchingModel.objects.filter(kind=kind).first()
    found = _usable(kind, newest.parameters) if newest else None
    chosen = found or default_parameters(kind)
    _cache[kind] = (time.monotonic(), chosen)
    return chosen


def forget_parameters() -> None:
    _cache.clear()


def _usable(kind: str, stored: Parameters) -> Parameters | None:
    """Stored parameters that fit today's fields; an estimate for other fields is ignored."""
    try:
        for field in fields.FIELDS[kind]:
            if len(stored["m"][field.name]) != len(field.levels):
                return None
            if len(stored["u"][field.name]) != len(field.levels):
                return None
        float(stored["prior"])
    except (KeyError, TypeError, ValueError):
        return None
    return stored


def thresholds() -> dict[str, float]:
    from django.conf import settings

    return dict(settings.MATCHING_THRESHOLDS)


# ---- Online comparison -------------------------------------------------------------------------


def compare(kind: str, a: Record, b: Record, *, params: Parameters | None = None) -> Verdict:
    """Are `a` and `b` the same person ("person") or the same child ("child")?"""
    today = localdate()
    return compare_features(kind, fields.features(a, today), fields.features(b, today), params)


def compare_features(
    kind: str, a: fields.Features, b: fields.Features, params: Parameters | None = None
) -> Verdict:
    params = params or parameters(kind)
    prior = params["prior"]
    weight = math.log2(prior / (1 - prior))
    agree, disagree = [], []
    for field in fields.FIELDS[kind]:
        at = fields.level(field, a, b)
        if at is None:
            continue  # missing on either side: neutral
        factor = math.log2(params["m"][field.name][at] / params["u"][field.name][at])
        weight += factor
        if factor > 0:
            agree.append(field.words)
        elif factor < 0:
            disagree.append(field.words)
    probability = _probability(weight)
    limits = thresholds()
    band = (
        "very_likely"
        if probability >= limits["very_likely"]
        else "possibly"
        if probability >= limits["possibly"]
        else ""
    )
    return Verdict(band, probability, weight, tuple(agree), tuple(disagree))


def _probability(weight: float) -> float:
    if weight > 1000:
        return 1.0
    odds = 2.0**weight
    return odds / (1 + odds)


# ---- Blocking ----------------------------------------------------------------------------------


def name_sound_keys(name: str) -> list[str]:
    """Sound-alike keys: the metaphone of each word of the name (one letter words left out),
    so "Stephen Smyth" and "Steven Smith" share "STFN" and "SM0"."""
    words = normalise.name(name).split()
    return list(dict.fromkeys(jellyfish.metaphone(w) for w in words if len(w) > 1))


def blocking_keys(record: Record) -> dict[str, list[str]]:
    """Values to find candidates by, each worth an index: a candidate shares at least one."""
    f = fields.features(record, localdate())
    surname_initial = []
    for full in f["names"] or []:
        words = full.split()
        if len(words) >= 2:
            surname_initial.append(f"{words[-1]} {words[0][0]}")
            surname_initial.append(f"{words[0]} {words[-1][0]}")  # first and last swapped
    keys = {
        "name_sound": list(dict.fromkeys(k for n in record.names for k in name_sound_keys(n))),
        "surname_initial": list(dict.fromkeys(surname_initial)),
        "dob": [f["dob"]] if f["dob"] else [],
        "postcode": f["postcodes"] or [],
        "phone": f["phones"] or [],
        "handle": f["handles"] or [],
        "plate": f["plates"] or [],
        "nhs": [f["nhs"]] if f["nhs"] else [],
    }
    return {key: values for key, values in keys.items() if values}


# ---- Where the records come from ---------------------------------------------------------------

Source = Callable[[], Iterable[Record]]
_sources: dict[str, Source] = {}


def register_source(kind: str, source: Source) -> None:
    """A higher app (network for "person", children for "child") says where its records are,
    in its AppConfig.ready(): a callable returning an iterable of Record."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    _sources[kind] = source


def source(kind: str) -> Source | None:
    return _sources.get(kind)


# ---- Splink ------------------------------------------------------------------------------------


def splink_settings(kind: str, params: Parameters | None = None) -> dict[str, Any]:
    """Splink 4 settings (a dict for SettingsCreator.from_dict / Linker) with the same
    comparison levels and parameters as `compare()`. Records go in as `splink_rows()`."""
    from seethesigns.matching import estimate

    return estimate.settings(kind, params or parameters(kind))


def splink_rows(records: Iterable[tuple[Any, Record]]) -> list[dict[str, Any]]:
    """(unique id, Record) pairs as the rows Splink reads (see `splink_settings()`)."""
    today = localdate()
    return [{"unique_id": uid, **fields.features(r, today)} for uid, r in records]
