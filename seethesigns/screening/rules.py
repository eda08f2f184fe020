"""Suggest a level of concern from structured indicators. Pure: no database, no Django.

The tool supports professional judgement and never replaces it. It adds points as the Hampshire
SERAF guidance does (older evidence weighs less), then applies override rules that no other answer
can lower. "Not known" is never read as "not present": it scores nothing, and when much is not
known the result says so and lists what to find out. See docs/screening.md.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

LEVELS = ("none", "emerging", "moderate", "significant")
LEVEL_WORDS = {
    "none": "No current concern",
    "emerging": "Emerging concern",
    "moderate": "Moderate concern",
    "significant": "Significant concern",
}
KINDS = ("vulnerability", "risk", "harm")
STATES = ("present", "not_known", "not_present")
WHENS = ("current", "earlier")
DISCLOSURE = "disclosure"


class ScreeningError(ValueError):
    """Input the rules cannot read; the message says what to change."""


@dataclass(frozen=True)
class Spec:
    """An indicator as the rules see it."""

    kind: str  # vulnerability | risk | harm
    band: str = ""  # risk only: moderate | significant


@dataclass(frozen=True)
class Config:
    points: Mapping[str, Mapping[str, int]]
    thresholds: Mapping[str, int]
    not_known_limit: int


@dataclass(frozen=True)
class Answer:
    state: str = "not_known"
    when: str = "current"


@dataclass(frozen=True)
class Reason:
    indicator: str
    kind: str
    when: str
    points: int


@dataclass(frozen=True)
class Override:
    rule: str
    floor: str
    why: str


@dataclass
class Result:
    level: str
    level_from_points: str
    score: int
    reasons: list[Reason] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    not_known: list[str] = field(default_factory=list)
    enough_known: bool = True
    immediate_referral: bool = False

    @property
    def words(self) -> str:
        return LEVEL_WORDS[self.level]


def rank(level: str) -> int:
    return LEVELS.index(level)


def suggest(
    answers: Mapping[str, Answer],
    *,
    age: int | None,
    learning_disability: str,
    catalogue: Mapping[str, Spec],
    config: Config,
) -> Result:
    """Return the suggested level, why, and what is not known. Indicators not answered are
    not known."""
    unknown_ids = sorted(set(answers) - set(catalogue))
    if unknown_ids:
        raise ScreeningError(f"Unknown indicator: {', '.join(unknown_ids[:5])}.")
    for indicator, answer in answers.items():
        if answer.state not in STATES:
            raise ScreeningError(f"{indicator}: state must be one of {', '.join(STATES)}.")
        if answer.when not in WHENS:
            raise ScreeningError(f"{indicator}: when must be current or earlier.")
    if age is not None and not 0 <= age <= 25:
        raise ScreeningError("Age must be a whole number of years from 0 to 25.")
    if learning_disability not in ("yes", "no", "not_known"):
        raise ScreeningError("learning_disability must be yes, no or not_known.")

    reasons = []
    not_known = []
    for indicator, spec in catalogue.items():
        answer = answers.get(indicator, Answer())
        if answer.state == "present":
            weights = config.points[spec.band if spec.kind == "risk" else spec.kind]
            reasons.append(Reason(indicator, spec.kind, answer.when, weights[answer.when]))
        elif answer.state == "not_known":
            not_known.append(indicator)
    score = sum(r.points for r in reasons)
    from_points = _level_for(score, config.thresholds)

    overrides = _overrides(reasons, age=age, learning_disability=learning_disability)
    level = max([from_points, *(o.floor for o in overrides)], key=rank)
    signs_not_known = [i for i in not_known if catalogue[i].kind in ("risk", "harm")]
    return Result(
        level=level,
        level_from_points=from_points,
        score=score,
        reasons=sorted(reasons, key=lambda r: (-r.points, r.indicator)),
        overrides=overrides,
        not_known=not_known,
        enough_known=len(signs_not_known) < config.not_known_limit,
        immediate_referral=any(o.rule == "disclosure" for o in overrides),
    )


def _level_for(score: int, thresholds: Mapping[str, int]) -> str:
    level = "none"
    for name in LEVELS[1:]:
        if score >= thresholds[name]:
            level = name
    return level


def _overrides(
    reasons: list[Reason], *, age: int | None, learning_disability: str
) -> list[Override]:
    """The rules no other answer can lower (docs/screening.md, "Override rules")."""
    found = []
    present = {r.indicator for r in reasons}
    kinds = {r.kind for r in reasons}
    age_text = "age not known, so treated as possibly" if age is None else f"aged {age},"
    if DISCLOSURE in present:
        found.append(
            Override(
                "disclosure",
                "significant",
                "The child has disclosed: refer to the police and children's social care now.",
            )
        )
    if kinds & {"risk", "harm"} and (age is None or age <= 12):
        found.append(
            Override(
                "young-child",
                "emerging",
                f"A child {age_text} 12 or under with any sign of risk or harm is never "
                "'no current concern'.",
            )
        )
    if kinds & {"risk", "harm"} and learning_disability == "yes":
        found.append(
            Override(
                "learning-disability",
                "emerging",
                "A child with a learning disability and any sign of risk or harm is never "
                "'no current concern'.",
            )
        )
    if "harm" in kinds and (age is None or age <= 13):
        found.append(
            Override(
                "harm-13-or-under",
                "moderate",
                f"A sign of harm in a child {age_text} 13 or under is at least a moderate concern.",
            )
        )
    return found
