"""The partnership's weights and thresholds (content/screening/rules.yaml)."""

from functools import cache

from seethesigns.content.loading import CONTENT_DIR, read_yaml
from seethesigns.screening.rules import Config


@cache
def load_config() -> Config:
    raw = read_yaml(CONTENT_DIR / "screening" / "rules.yaml")
    return Config(
        points={k: dict(v) for k, v in raw["points"].items()},
        thresholds=dict(raw["thresholds"]),
        not_known_limit=int(raw["not_known_limit"]),
    )
