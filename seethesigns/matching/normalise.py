"""One way of writing each field, so that two records written differently compare equal.

The phone, plate, handle and address-word rules of the link lookup live here, low, so
that the link lookup (network.matching) and the model agree: one copy for both.
"""

import re
import unicodedata

ADDRESS_WORDS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "cl": "close",
    "ct": "court",
    "cres": "crescent",
    "pl": "place",
    "sq": "square",
    "gdns": "gardens",
    "ter": "terrace",
    "tce": "terrace",
    "apt": "flat",
}
HANDLE_PREFIX = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:[a-z]+\.(?:com|net|me|gg)/(?:add/|u/)?)?@?", re.IGNORECASE
)
# A UK postcode, spaces optional (ONS postcode directory form: outward code, inward code).
POSTCODE = re.compile(r"\b([a-z]{1,2}[0-9][a-z0-9]?)\s*([0-9][a-z]{2})\b")
HOUSE_NUMBER = re.compile(r"\b(\d+[a-z]?)\b")


def plain(value: str) -> str:
    """Lower case, accents and apostrophes gone, anything but letters and digits a space."""
    value = unicodedata.normalize("NFKC", value).strip()
    decomposed = unicodedata.normalize("NFKD", re.sub(r"['\u2019`]", "", value.lower()))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", letters).split())


def name(value: str) -> str:
    return " ".join(word for word in plain(value).split() if not word.isdigit())


def phone(value: str) -> str:
    """UK numbers in one form: +44 7700 900123, 0044…, (0)7700… and 07700900123 are the same."""
    value = unicodedata.normalize("NFKC", value)
    international = value.lstrip().startswith(("+", "00"))
    digits = re.sub(r"\D", "", value)
    if international:
        digits = digits.removeprefix("00")
        if not digits.startswith("44"):
            return "+" + digits  # another country: kept whole
        digits = digits[2:]
    elif digits.startswith("44") and len(digits) == 12:
        digits = digits[2:]
    return "0" + digits.lstrip("0") if digits else ""


def plate(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", unicodedata.normalize("NFKC", value).upper())


def handle(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    return re.sub(r"\s+", "", HANDLE_PREFIX.sub("", value.lower()))


def nhs_number(value: str) -> str:
    return re.sub(r"\D", "", value)


def postcode(value: str) -> str:
    """The address's UK postcode without spaces ("m14 5ab" → "M145AB"); failing that, a number
    of four or more digits ending the address (another country's postcode); or ""."""
    text = plain(value)
    found = POSTCODE.search(text)
    if found:
        return (found.group(1) + found.group(2)).upper()
    words = text.split()
    if len(words) > 1 and words[-1].isdigit() and len(words[-1]) >= 4:
        return words[-1]
    return ""


def address(value: str) -> tuple[str, str, str]:
    """(house number, the address's words without its postcode, postcode), each "" if none.

    The house number is the first number in the address ("Flat 2, 14 Station Road" → "2"), but
    not a number of four or more digits at its end (another country's postcode): two addresses
    whose house numbers differ are different homes, on purpose."""
    text = plain(value)
    code = postcode(value)
    if code:
        text = POSTCODE.sub(" ", text)
    words = [ADDRESS_WORDS.get(word, word) for word in text.split()]
    if len(words) > 1 and words[-1].isdigit() and len(words[-1]) >= 4:
        numbered = words[:-1]
    else:
        numbered = words
    number = HOUSE_NUMBER.search(" ".join(numbered))
    return (number.group(1) if number else "", " ".join(words), code)
