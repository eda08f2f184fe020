"""Children are named in a MACE pack by reference and initials only, free text included.

A name typed into a reason, an action, a minute or a disruption's details ("Leah's last
episode") is found before the pack is made: the coordinator is shown where, and the pack and its
PDF print the child's initials in its place.
"""

import re
from dataclasses import dataclass

from seethesigns.children.models import Child


@dataclass(frozen=True)
class NameFound:
    where: str  # "Action", "Minute", … : what the coordinator should edit
    name: str  # the name as typed


def _pattern(children: list[Child]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    initials: dict[str, str] = {}
    for child in children:
        for name in (child.first_name, child.last_name):
            name = name.strip()
            if len(name) >= 2:
                # As a name is written ("Leah") or shouted ("LEAH"); never "will" for a Will.
                initials[name] = initials[name.upper()] = child.initials
    if not initials:
        return None
    names = sorted(initials, key=len, reverse=True)  # "Leanne" before "Lea"
    words = "|".join(re.escape(n) for n in names)
    return re.compile(rf"\b({words})\b"), initials


def mask(text: str, children: list[Child]) -> str:
    """The text with each child's first and last name replaced by their initials."""
    found = _pattern(children)
    if found is None or not text:
        return text
    pattern, initials = found
    return pattern.sub(lambda m: initials[m.group(1)], text)


def names_in(texts: list[tuple[str, str]], children: list[Child]) -> list[NameFound]:
    """Where a child's name appears in free text: (where, text) pairs in, each find out."""
    found = _pattern(children)
    if found is None:
        return []
    pattern, _ = found
    return [
        NameFound(where, m.group(1)) for where, text in texts for m in pattern.finditer(text or "")
    ]
