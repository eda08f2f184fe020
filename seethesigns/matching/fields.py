"""The comparison levels of each field, written twice: in Python for the online `compare()` and
in DuckDB SQL for Splink's batch estimation and prediction. Both read the same precomputed
columns (`features()`), and a test checks that they give the same levels and probabilities.

Each field has levels from the closest agreement to the furthest; a missing value on either side
is Splink's "null level": neutral, with a Bayes factor of one.
"""

from __future__ import annotations

import functools
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
    fixed_m: bool = False  # EM keeps the shipped m (see FAR_YEARS)


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


def _cover(x: str, y: str) -> float:
    """How well every word of x is found in y: the worst word's best Jaro-Winkler."""
    return min(max(JaroWinkler.similarity(w, v) for v in y.split()) for w in x.split())


def _word(x: str, y: str) -> float:
    """The closest pair of words, one from each name."""
    return max(JaroWinkler.similarity(w, v) for w in x.split() for v in y.split())


def _name_level(a: Features, b: Features) -> int:
    if set(a["names"]) & set(b["names"]):
        return 0
    if set(a["names_sorted"]) & set(b["names_sorted"]):
        return 1
    pairs = [(x, y) for x in a["names"] for y in b["names"]]
    if max(JaroWinkler.similarity(x, y) for x, y in pairs) >= 0.92:
        return 2
    if set(a["name_sounds"]) & set(b["name_sounds"]):
        return 3
    if max(max(_cover(x, y), _cover(y, x)) for x, y in pairs) >= 0.9:
        return 4
    if max(_word(x, y) for x, y in pairs) >= 0.92:
        return 5
    return 6


def _over_names(inner: str) -> str:
    """SQL: the largest `inner` (on names x and y) over every pairing of the two lists."""
    return _jw_sql("names_l", "names_r", inner)


def _cover_sql(x: str, y: str) -> str:
    return (
        f"list_min(list_transform(string_split({x}, ' '), w -> list_max(list_transform("
        f"string_split({y}, ' '), v -> jaro_winkler_similarity(w, v)))))"
    )


NAME_JW = _over_names("jaro_winkler_similarity(x, y)")
NAME_COVER = _over_names(f"greatest({_cover_sql('x', 'y')}, {_cover_sql('y', 'x')})")
NAME_WORD = _over_names(
    "list_max(list_transform(string_split(x, ' '), w -> list_max(list_transform("
    "string_split(y, ' '), v -> jaro_winkler_similarity(w, v)))))"
)
NAME = Field(
    "name",
    "name",
    ("names", "names_sorted", "name_sounds"),
    (
        Level("same name (or alias)", "list_has_any(names_l, names_r)"),
        Level("same words in another order", "list_has_any(names_sorted_l, names_sorted_r)"),
        Level("a slip apart (Jaro-Winkler >= 0.92)", f"{NAME_JW} >= 0.92"),
        Level("sounds the same", "list_has_any(name_sounds_l, name_sounds_r)"),
        Level("every word of one in the other, a slip at most", f"{NAME_COVER} >= 0.9"),
        Level("one word in common (a first name or a surname)", f"{NAME_WORD} >= 0.92"),
        Level("different", "ELSE"),
    ),
    _name_level,
    (0.70, 0.05, 0.10, 0.04, 0.04, 0.05, 0.02),
    (0.0002, 0.00005, 0.0005, 0.001, 0.002, 0.08, 0.91625),
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


# Born more than five years apart: another generation, not a slip. Its m stays the shipped one
# (one pair in 50 of one person): unsupervised EM over pairs blocked on the name cannot tell a
# father from his son of the same name, and on the generated records it learnt that such a gap
# was nearly neutral.
FAR_YEARS = 5
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
        Level(f"born more than {FAR_YEARS} years apart", "ELSE", fixed_m=True),
    ),
    _dob_level,
    (0.80, 0.10, 0.015, 0.05, 0.015, 0.02),
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
    pairs = [(x, y) for x in a["addresses"] for y in b["addresses"] if _numbers_fit(x, y)]
    if pairs and max(JaroWinkler.similarity(x, y) for x, y in pairs) >= 0.9:
        return 1
    if a["streets"] and b["streets"] and set(a["streets"]) & set(b["streets"]):
        return 2
    if a["postcodes"] and b["postcodes"] and set(a["postcodes"]) & set(b["postcodes"]):
        return 3
    return 4


def _numbers_fit(x: str, y: str) -> bool:
    """The same house number, or one of the two has none."""
    first, second = x.split("|")[0], y.split("|")[0]
    return first == second or not first or not second


ADDRESS_JW = _jw_sql(
    "addresses_l",
    "addresses_r",
    "CASE WHEN split_part(x, '|', 1) = split_part(y, '|', 1)"
    " OR split_part(x, '|', 1) = '' OR split_part(y, '|', 1) = ''"
    " THEN jaro_winkler_similarity(x, y) ELSE 0.0 END",
)
ADDRESS = Field(
    "address",
    "address",
    ("addresses", "streets", "postcodes"),
    (
        Level("same address", "list_has_any(addresses_l, addresses_r)"),
        Level("house numbers fit, a slip apart", f"{ADDRESS_JW} >= 0.9"),
        Level("same house number and street", "list_has_any(streets_l, streets_r)"),
        Level("same postcode", "list_has_any(postcodes_l, postcodes_r)"),
        Level("different", "ELSE"),
    ),
    _address_level,
    (0.5, 0.25, 0.05, 0.05, 0.15),
    (0.001, 0.0005, 0.0005, 0.005, 0.993),  # shared homes: hostels, flats, families
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
    "streets",
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
    """The columns both comparisons read; None (or an empty list) is missing. Kept for the last
    few thousand records (a Record is frozen), so one record compared with many candidates is
    read once. Callers must not change what it returns."""
    try:
        return _kept(record, today)
    except TypeError:  # a Record given lists instead of tuples cannot be kept
        return _features(record, today)


@functools.lru_cache(maxsize=8192)
def _kept(record: Any, today: date) -> Features:
    return _features(record, today)


def _features(record: Any, today: date) -> Features:
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
        "streets": listed([_street(number, text) for number, text, _ in addresses if number]),
        "postcodes": listed([code for _, _, code in addresses]),
        "phones": listed([normalise.phone(p) for p in record.phones]),
        "handles": listed([normalise.handle(h) for h in record.handles]),
        "plates": listed([normalise.plate(p) for p in record.plates]),
        "nhs": normalise.nhs_number(record.nhs_number) or None,
    }


def _street(number: str, text: str) -> str:
    """The house number and the sound of the street's first word: "14 STXN" for 14 Station Rd."""
    words = [w for w in text.split() if w.isalpha() and len(w) > 2 and w != "flat"]
    return f"{number} {jellyfish.metaphone(words[0])}" if words else ""


def level(field: Field, a: Features, b: Features) -> int | None:
    """The field's level for the pair, or None when either side is missing (neutral)."""
    if a[field.columns[0]] is None or b[field.columns[0]] is None:
        return None
    return field.level_of(a, b)


def log2(x: float) -> float:
    return math.log2(x)
