"""The comparison levels of each field, written twice: in Python for the online `compare()` and
in DuckDB SQL for Splink's batch estimation and prediction. Both read the same precomputed
columns (`features()`), and a test checks that they give the same levels and probabilities.

Each field has levels from the closest agreement to the furthest; a missing value on either side
is Splink's "null level": neutral, with a Bayes factor of one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import jellyfish
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from seethesigns.matching import normalise

Features = dict[str, Any]


@dataclass(frozen=True)
class Level:
    label: str
    sql: str  # Splink's sql_condition, on columns suffixed _l and _r


@dataclass(frozen=True)
class Field:
    name: str  # Splink's output_column_name, and the key in the parameters
    words: str  # plain words for the worker: "date of birth"
    columns: tuple[str, ...]  # feature columns it reads; the first decides "missing"
    levels: tuple[Level, ...]
    level_of: Callable[[Features, Features], int]  # called only when neither side is missing
    m: tuple[float, ...]  # shipped defaults, used until estimated from the partnership's data
    u: tuple[float, ...]


def name_sound(name: str) -> str:
    """A full name's sound-alike key: each word's metaphone, in alphabetical order."""
    return " ".join(sorted(jellyfish.metaphone(word) for word in name.split()))


def _best_jw(a: list[str], b: list[str]) -> float:
    return max(JaroWinkler.similarity(x, y) for x in a for y in b)


def _jw_sql(left: str, right: str, inner: str = "jaro_winkler_similarity(x, y)") -> str:
    return f"list_max(list_transform({left}, x -> list_max(list_transform({right}, y -> {inner}))))"


def _name_level(a: Features, b: Features) -> int:
    if set(a["names"]) & set(b["names"]):
        return 0
    if set(a["names_sorted"]) & set(b["names_sorted"]):
        return 1
    best = _best_jw(a["names"], b["names"])
    if best >= 0.92:
        return 2
    if set(a["name_sounds"]) & set(b["name_sounds"]):
        return 3
    if best >= 0.8:
        return 4
    return 5


NAME_JW = _jw_sql("names_l", "names_r")
NAME = Field(
    "name",
    "name",
    ("names", "names_sorted", "name_sounds"),
    (
        Level("same name (or alias)", "list_has_any(names_l, names_r)"),
        Level("same words in another order", "list_has_any(names_sorted_l, names_sorted_r)"),
        Level("a slip apart (Jaro-Winkler >= 0.92)", f"{NAME_JW} >= 0.92"),
        Level("sounds the same", "list_has_any(name_sounds_l, name_sounds_r)"),
        Level("similar (Jaro-Winkler >= 0.8)", f"{NAME_JW} >= 0.8"),
        Level("different", "ELSE"),
    ),
    _name_level,
    (0.70, 0.05, 0.12, 0.04, 0.05, 0.04),
    (0.0005, 0.0001, 0.002, 0.002, 0.05, 0.9454),
)


def _dob_level(a: Features, b: Features) -> int:
    x, y = a["dob"], b["dob"]
    if x and y:
        if x == y:
            return 0
        swapped = x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]
        if DamerauLevenshtein.distance(x, y) <= 1 or swapped:
            return 1
        if x[:4] == y[:4]:
            return 2
    if a["birth_lo"] <= b["birth_hi"] and b["birth_lo"] <= a["birth_hi"]:
        return 3
    gap = max(
        int(a["birth_lo"][:4]) - int(b["birth_hi"][:4]),
        int(b["birth_lo"][:4]) - int(a["birth_hi"][:4]),
    )
    return 4 if gap <= FAR_YEARS else 5


def _year(column: str) -> str:
    return f"CAST(substr({column}, 1, 4) AS INTEGER)"


FAR_YEARS = 5  # born more than five years apart: another generation, not a slip
DOB = Field(
    "dob",
    "date of birth",
    ("birth_lo", "birth_hi", "dob"),
    (
        Level("same date of birth", "dob_l = dob_r"),
        Level(
            "one character off, or day and month swapped",
            "damerau_levenshtein(dob_l, dob_r) <= 1 OR (substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"
            " AND substr(dob_l, 6, 2) = substr(dob_r, 9, 2)"
            " AND substr(dob_l, 9, 2) = substr(dob_r, 6, 2))",
        ),
        Level("same year of birth", "substr(dob_l, 1, 4) = substr(dob_r, 1, 4)"),
        Level("ages fit each other", "birth_lo_l <= birth_hi_r AND birth_lo_r <= birth_hi_l"),
        Level(
            f"born up to {FAR_YEARS} years apart",
            f"greatest({_year('birth_lo_l')} - {_year('birth_hi_r')},"
            f" {_year('birth_lo_r')} - {_year('birth_hi_l')}) <= {FAR_YEARS}",
        ),
        Level(f"born more than {FAR_YEARS} years apart", "ELSE"),
    ),
    _dob_level,
    (0.80, 0.10, 0.03, 0.05, 0.018, 0.002),
    (0.0003, 0.003, 0.02, 0.02, 0.15, 0.8067),
)


def _sex_level(a: Features, b: Features) -> int:
    return 0 if a["sex"] == b["sex"] else 1


SEX = Field(
    "sex",
    "sex",
    ("sex",),
    (Level("same", "sex_l = sex_r"), Level("different", "ELSE")),
    _sex_level,
    (0.97, 0.03),
    (0.5, 0.5),
)


def _address_level(a: Features, b: Features) -> int:
    if set(a["addresses"]) & set(b["addresses"]):
        return 0
    pairs = [
        (x, y) for x in a["addresses"] for y in b["addresses"] if x.split("|")[0] == y.split("|")[0]
    ]
    if pairs and max(JaroWinkler.similarity(x, y) for x, y in pairs) >= 0.9:
        return 1
    if a["postcodes"] and b["postcodes"] and set(a["postcodes"]) & set(b["postcodes"]):
        return 2
    return 3


ADDRESS_JW = _jw_sql(
    "addresses_l",
    "addresses_r",
    "CASE WHEN split_part(x, '|', 1) = split_part(y, '|', 1)"
    " THEN jaro_winkler_similarity(x, y) ELSE 0.0 END",
)
ADDRESS = Field(
    "address",
    "address",
    ("addresses", "postcodes"),
    (
        Level("same address", "list_has_any(addresses_l, addresses_r)"),
        Level("same house number, a slip apart", f"{ADDRESS_JW} >= 0.9"),
        Level("same postcode", "list_has_any(postcodes_l, postcodes_r)"),
        Level("different", "ELSE"),
    ),
    _address_level,
    (0.55, 0.25, 0.05, 0.15),
    (0.0005, 0.001, 0.005, 0.9935),
)


def _any_level(column: str) -> Callable[[Features, Features], int]:
    def level_of(a: Features, b: Features) -> int:
        return 0 if set(a[column]) & set(b[column]) else 1

    return level_of


def _exact_list(name: str, words: str, column: str, m: float, u: float) -> Field:
    return Field(
        name,
        words,
        (column,),
        (
            Level(f"a {words} in common", f"list_has_any({column}_l, {column}_r)"),
            Level(f"no {words} in common", "ELSE"),
        ),
        _any_level(column),
        (m, 1 - m),
        (u, 1 - u),
    )


PHONE = _exact_list("phone", "phone", "phones", 0.6, 0.0002)
HANDLE = _exact_list("handle", "handle", "handles", 0.5, 0.0001)
PLATE = _exact_list("plate", "vehicle", "plates", 0.5, 0.0001)


def _nhs_level(a: Features, b: Features) -> int:
    return 0 if a["nhs"] == b["nhs"] else 1


NHS = Field(
    "nhs",
    "NHS number",
    ("nhs",),
    (Level("same NHS number", "nhs_l = nhs_r"), Level("different", "ELSE")),
    _nhs_level,
    (0.97, 0.03),
    (0.0000001, 0.9999999),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "person": (NAME, DOB, SEX, ADDRESS, PHONE, HANDLE, PLATE),
    "child": (NAME, DOB, SEX, ADDRESS, PHONE, HANDLE, NHS),
}
# Before any estimate: about one pair in ten thousand is the same person (Splink's own default).
DEFAULT_PRIOR = 0.0001

COLUMNS = (
    "names",
    "names_sorted",
    "name_sounds",
    "dob",
    "birth_lo",
    "birth_hi",
    "sex",
    "addresses",
    "postcodes",
    "phones",
    "handles",
    "plates",
    "nhs",
)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def features(record: Any, today: date) -> Features:
    """The columns both comparisons read; None (or an empty list) is missing."""
    names = list(dict.fromkeys(n for n in (normalise.name(x) for x in record.names) if n))
    addresses = [normalise.address(a) for a in record.addresses]
    birth_lo = birth_hi = None
    if record.date_of_birth:
        birth_lo = birth_hi = record.date_of_birth.isoformat()
    elif record.age_low is not None or record.age_high is not None:
        on = record.age_on or today
        low = record.age_low if record.age_low is not None else 0
        high = record.age_high if record.age_high is not None else 120
        # Aged `high` on `on`: born after `on` less high+1 years; aged `low`: on or before
        # `on` less `low` years.
        birth_lo = date.fromordinal(_years_before(on, high + 1).toordinal() + 1).isoformat()
        birth_hi = _years_before(on, low).isoformat()
    sex = record.sex if record.sex and record.sex != "not-known" else None

    def listed(values: list[str]) -> list[str] | None:
        kept = list(dict.fromkeys(v for v in values if v))
        return kept or None

    return {
        "names": listed(names),
        "names_sorted": listed([" ".join(sorted(n.split())) for n in names]),
        "name_sounds": listed([name_sound(n) for n in names]),
        "dob": record.date_of_birth.isoformat() if record.date_of_birth else None,
        "birth_lo": birth_lo,
        "birth_hi": birth_hi,
        "sex": sex,
        "addresses": listed([f"{number}|{text}" for number, text, _ in addresses if text]),
        "postcodes": listed([code for _, _, code in addresses]),
        "phones": listed([normalise.phone(p) for p in record.phones]),
        "handles": listed([normalise.handle(h) for h in record.handles]),
        "plates": listed([normalise.plate(p) for p in record.plates]),
        "nhs": normalise.nhs_number(record.nhs_number) or None,
    }


def level(field: Field, a: Features, b: Features) -> int | None:
    """The field's level for the pair, or None when either side is missing (neutral)."""
    if a[field.columns[0]] is None or b[field.columns[0]] is None:
        return None
    return field.level_of(a, b)


def log2(x: float) -> float:
    return math.log2(x)
