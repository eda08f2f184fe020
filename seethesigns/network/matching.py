"""Join the dots: the same registration, phone, handle, name or address written another way.

Registrations, phone numbers and handles are compared exactly once normalised (spacing, case,
+44 or 0, @). Names and addresses are found in two steps:
1. candidates by trigram similarity, as PostgreSQL's pg_trgm computes it: production asks
   pg_trgm (with its GIN index); SQLite uses `similarity()` below, the same figure in Python;
2. a candidate is kept only if `close()` agrees word by word: every word of the shorter name
   is in the other, but for at most one word that is one slip of the keyboard away (two for
   words of eight letters or more), and house numbers are equal. Sharing a long surname is not
   enough ("Ryan Gallagher" is not "Nathan Gallagher"), nor is a letter out in each word.
Because house numbers must be equal, step 1 looks for an address only among those with the same
numbers (kept in their own indexed column, see `house_numbers()`) or with none.
The figures behind these choices are in docs/join-the-dots.md.
"""

import re
import unicodedata

from rapidfuzz.distance import OSA

from seethesigns.matching import normalise as written
from seethesigns.matching.normalise import ADDRESS_WORDS

EXACT = {"vehicle", "phone", "handle"}
FUZZY = {"person", "place", "group"}
# Trigram similarity a candidate needs before close() looks at it (pg_trgm's default is 0.3).
THRESHOLDS = {"person": 0.3, "place": 0.3, "group": 0.3}


def normalise(kind: str, value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    if kind == "vehicle":
        return written.plate(value)
    if kind == "phone":
        return written.phone(value)
    if kind == "handle":
        return written.handle(value)
    words = _plain(value).split()
    if kind == "place":
        words = [ADDRESS_WORDS.get(word, word) for word in words]
    return " ".join(words)


def house_numbers(kind: str, normalised: str) -> str:
    """A place's house numbers, in order ("4 12"); "" for none, or too many to be an address."""
    if kind != "place":
        return ""
    numbers = " ".join(sorted({word for word in normalised.split() if word.isdigit()}))
    return numbers if len(numbers) <= 60 else ""  # so "" means "compare with every address"


def _plain(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", re.sub(r"['\u2019`]", "", value.lower()))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", letters)


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams: set[str] = set()
    for word in _plain(text).split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams of the two."""
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def close(kind: str, a: str, b: str) -> bool:
    """Two normalised names or addresses that are the same but for one slip (see above)."""
    first, second = a.split(), b.split()
    if not first or not second:
        return False
    short, long = sorted([first, second], key=len)
    if len(short) < min(2, len(long)):
        return False  # a lone first name is not a full name
    if kind == "place":
        numbers = [{w for w in words if w.isdigit()} for words in (first, second)]
        if all(numbers) and numbers[0] != numbers[1]:
            return False  # 14 Station Road is not 41 Station Road
    unpaired = list(long)  # each word pairs with a word of its own: "William Williams" is
    for word in short:  # not "James Williams" because "william" is close to "williams"
        if word in unpaired:
            unpaired.remove(word)
    slips = [word for word in short if word not in long]
    for word in slips:
        near = next((other for other in unpaired if _near(word, other)), None)
        if near is None:
            return False
        unpaired.remove(near)
    return len(slips) <= 1  # two words each a letter out is another name: Dwayne Brown, Wayne Brawn


def _near(a: str, b: str) -> bool:
    if a.isdigit() or b.isdigit():
        return False
    return distance(a, b) <= (1 if max(len(a), len(b)) < 8 else 2)


def distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn a into b: the optimal
    string alignment distance, from rapidfuzz (the same answers as the pure-Python loop it
    replaced, about a thousand times faster; docs/join-the-dots.md)."""
    return int(OSA.distance(a, b))
