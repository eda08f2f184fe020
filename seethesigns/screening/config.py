"""The partnership's combinations, limit and contacts (content/screening/rules.yaml)."""

from functools import cache
from typing import Any

from seethesigns.screening.rules import LEVELS, Combination, Config
from seethesigns.website.loading import CONTENT_DIR, read_yaml

COUNTED = ("harm", "significant", "moderate", "risk", "vulnerability")


@cache
def _raw() -> dict[str, Any]:
    return read_yaml(CONTENT_DIR / "screening" / "rules.yaml")


@cache
def load_config() -> Config:
    combinations = []
    for entry in _raw()["combinations"]:
        counts = {k: int(v) for k, v in entry.items() if k != "level"}
        if entry.get("level") not in LEVELS[1:] or not counts or set(counts) - set(COUNTED):
            raise ValueError(f"content/screening/rules.yaml: cannot read combination {entry}")
        combinations.append(Combination(counts=counts, level=entry["level"]))
    return Config(combinations=tuple(combinations), not_known_limit=int(_raw()["not_known_limit"]))


def contact_slugs() -> dict[str, str]:
    """The help contacts the next steps name: front_door, out_of_hours, police, emergency…"""
    return dict(_raw().get("contacts") or {})
