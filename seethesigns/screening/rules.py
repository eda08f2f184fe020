"""Suggest a level of concern from structured indicators. Pure: no database, no Django.

A decision model of structured professional judgement, not a sum of points. Each rule below is
stated once and gives a *floor*: the least the level can be. The suggestion is the highest floor
found. What meets the statutory definition of child sexual exploitation (DfE 2017) is significant
whatever else is answered; a single strong sign is never "no current concern"; "not known" is never
read as "not present", and when the key questions are not answered the tool suggests no level at
all. The tool supports professional judgement and never replaces it. See docs/screening.md.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

LEVELS = ("none", "emerging", "moderate", "significant")
LEVEL_WORDS = {
    "none": "No current concern",
    "emerging": "Emerging concern",
    "moderate": "Moderate concern",
    "significant": "Significant concern",
}
NO_LEVEL_WORDS = "Not enough is known to suggest a level"


def level_words(level: str | None) -> str:
    """A level in words; no level (too little known) says so."""
    return LEVEL_WORDS[level] if level else NO_LEVEL_WORDS


KINDS = ("vulnerability", "risk", "harm")
STATES = ("present", "not_known", "not_present")
# When the sign was last seen: now; in the last 6 months; 6 to 12 months ago; over a year ago.
WHENS = ("current", "recent", "earlier", "past")
WHEN_WORDS = {
    "current": "Now",
    "recent": "In the last 6 months",
    "earlier": "6 to 12 months ago",
    "past": "Over a year ago",
}
# Who is suspected of harming the child.
EXPLOITERS = ("unknown", "peer", "adult", "family")
EXPLOITER_WORDS = {
    "unknown": "Someone not yet identified",
    "peer": "Another child or young person (a peer)",
    "adult": "An adult outside the family",
    "family": "A family member or carer",
}
# Which indicators meet the statutory definition: always, or when the child is under 16.
DEFINING = ("", "always", "under-16")
DISCLOSURE = "disclosure"


class ScreeningError(ValueError):
    """Input the rules cannot read; the message says what to change."""


@dataclass(frozen=True)
class Spec:
    """An indicator as the rules see it (content/screening/indicators.yaml)."""

    kind: str  # vulnerability | risk | harm
    band: str = ""  # risk only: moderate | significant
    floor: str = ""  # the least level this sign gives on its own, when seen in the last 6 months
    floor_under_16: str = ""  # a higher floor when the child is (or may be) under 16
    defining: str = ""  # "" | always | under-16: it meets the statutory definition of CSE
    sexual: bool = False  # sexual activity: any of it in a child under 13 is significant
    criminal: bool = False  # a sign of criminal exploitation (county lines, drug debts)
    key: bool = False  # a key question: while it is not known, no level is suggested


SPEC_FIELDS = tuple(f.name for f in fields(Spec))
FLAGS = ("sexual", "criminal", "key")


def spec_from(values: Mapping[str, Any]) -> Spec:
    """An indicator's rule data from a catalogue entry or a database row, read one way."""
    read: dict[str, Any] = {
        name: bool(values.get(name)) if name in FLAGS else (values.get(name) or "")
        for name in SPEC_FIELDS
    }
    return Spec(**read)


@dataclass(frozen=True)
class Combination:
    """The partnership's rule that signs seen together raise the level (rules.yaml)."""

    counts: Mapping[str, int]  # harm | significant | moderate | risk | vulnerability -> at least
    level: str


@dataclass(frozen=True)
class Config:
    combinations: tuple[Combination, ...]
    not_known_limit: int


@dataclass(frozen=True)
class Answer:
    state: str = "not_known"
    when: str = "current"


@dataclass(frozen=True)
class Present:
    indicator: str
    kind: str
    when: str

    @property
    def when_words(self) -> str:
        return WHEN_WORDS[self.when]


@dataclass(frozen=True)
class Floor:
    """A rule that applied: the level is at least `level`, and why, in words."""

    rule: str
    level: str
    why: str
    indicators: tuple[str, ...] = ()


@dataclass
class Result:
    level: str | None  # None: not enough is known to suggest a level
    at_least: str  # the least the level can be, from what is known
    floors: list[Floor] = field(default_factory=list)
    present: list[Present] = field(default_factory=list)
    not_known: list[str] = field(default_factory=list)
    key_not_known: list[str] = field(default_factory=list)
    exploiters: tuple[str, ...] = ()
    immediate_referral: bool = False
    criminal: bool = False
    past_exploitation: bool = False

    @property
    def enough_known(self) -> bool:
        return self.level is not None

    @property
    def urgent(self) -> bool:
        """Act today, by phone: exploitation meets the definition, or the level is significant."""
        return self.immediate_referral or self.level == "significant"

    @property
    def family(self) -> bool:
        return "family" in self.exploiters

    @property
    def words(self) -> str:
        return level_words(self.level)


def rank(level: str) -> int:
    return LEVELS.index(level)


def highest(levels: Iterable[str]) -> str:
    return max(levels, key=rank, default="none")


def step_down(level: str, steps: int = 1) -> str:
    return LEVELS[max(rank(level) - steps, 0)]


def suggest(
    answers: Mapping[str, Answer],
    *,
    age: int | None,
    learning_disability: str,
    catalogue: Mapping[str, Spec],
    config: Config,
    exploiters: Iterable[str] = (),
) -> Result:
    """Return the suggested level (or none), the floors that set it, and what is not known.
    Indicators not answered are not known."""
    _check(answers, age=age, learning_disability=learning_disability, catalogue=catalogue)
    if any(e not in EXPLOITERS for e in exploiters):
        raise ScreeningError(f"exploiters: each is one of {', '.join(EXPLOITERS)}.")
    exploiters = tuple(sorted(set(exploiters), key=EXPLOITERS.index))
    present, not_known = [], []
    for code, spec in catalogue.items():
        answer = answers.get(code, Answer())
        if answer.state == "present":
            present.append(Present(code, spec.kind, answer.when))
        elif answer.state == "not_known":
            not_known.append(code)
    floors = [
        *_defining(present, catalogue, age),
        *_sign_floors(present, catalogue, age),
        *_combinations(present, catalogue, config),
        *_child(present, age, learning_disability),
        *_who(present, exploiters),
    ]
    at_least = highest(f.level for f in floors)
    key_not_known = [code for code in not_known if catalogue[code].key]
    signs_not_known = [code for code in not_known if catalogue[code].kind != "vulnerability"]
    too_little = bool(key_not_known) or len(signs_not_known) >= config.not_known_limit
    # Nothing unknown can raise a significant concern: say it. Otherwise find out first.
    level = None if too_little and at_least != "significant" else at_least
    return Result(
        level=level,
        at_least=at_least,
        floors=sorted(floors, key=lambda f: (-rank(f.level), f.rule)),
        present=sorted(present, key=lambda p: (-KINDS.index(p.kind), p.indicator)),
        not_known=not_known,
        key_not_known=key_not_known,
        exploiters=exploiters,
        immediate_referral=any(f.rule in ("defining", "under-13") for f in floors),
        criminal=any(catalogue[p.indicator].criminal for p in present),
        past_exploitation=any(f.rule == "past-exploitation" for f in floors),
    )


def _check(
    answers: Mapping[str, Answer],
    *,
    age: int | None,
    learning_disability: str,
    catalogue: Mapping[str, Spec],
) -> None:
    unknown_ids = sorted(set(answers) - set(catalogue))
    if unknown_ids:
        raise ScreeningError(f"Unknown indicator: {', '.join(unknown_ids[:5])}.")
    for indicator, answer in answers.items():
        if answer.state not in STATES:
            raise ScreeningError(f"{indicator}: state must be one of {', '.join(STATES)}.")
        if answer.when not in WHENS:
            raise ScreeningError(f"{indicator}: when must be one of {', '.join(WHENS)}.")
    if age is not None and not 0 <= age <= 25:
        raise ScreeningError("Age must be a whole number of years from 0 to 25.")
    if learning_disability not in ("yes", "no", "not_known"):
        raise ScreeningError("learning_disability must be yes, no or not_known.")


def _fresh(when: str) -> bool:
    """Seen now or in the last 6 months."""
    return when in ("current", "recent")


def _under(age: int | None, years: int, when: str = "current") -> bool:
    """Under `years` now, or when it happened: a sign seen 6 months or more ago may have
    happened a year younger. An unknown age is treated as possibly under: the safer reading."""
    if age is None:
        return True
    return age - (0 if _fresh(when) else 1) < years


under = _under  # for the actions: the same reading of "under 16" as the rules


def _age_words(age: int | None, years: int, when: str = "current") -> str:
    if age is None:
        return f"the child's age is not known, so they may be under {years}"
    if not _fresh(when) and age - 1 < years <= age:
        return f"the child is {age} now, and may have been under {years} when it happened"
    return f"the child is {age}"


def _is_defining(spec: Spec, age: int | None, when: str = "current") -> bool:
    return spec.defining == "always" or (spec.defining == "under-16" and _under(age, 16, when))


def _defining(
    present: list[Present], catalogue: Mapping[str, Spec], age: int | None
) -> list[Floor]:
    """Rule 1: exploitation is significant, whatever else is answered, when it is happening or
    happened in the last year; older, it stays at least moderate, and still goes to the police
    and children's social care (non-recent abuse)."""
    found = []
    for p in present:
        spec = catalogue[p.indicator]
        if _is_defining(spec, age, p.when):
            why = "This meets the statutory definition of child sexual exploitation."
            if spec.defining == "under-16":
                why = f"Sexual activity with an adult, and {_age_words(age, 16, p.when)}. {why}"
            found.append(_happened("defining", p, why))
        if spec.sexual and _under(age, 13, p.when):
            why = (
                f"Sexual activity involving a child under 13 is always significant: "
                f"{_age_words(age, 13, p.when)}, and a child under 13 cannot consent in law."
            )
            found.append(_happened("under-13", p, why))
    return found


def _happened(rule: str, p: Present, why: str) -> Floor:
    """Significant when it is happening or happened in the last year; after that at least
    moderate: a child exploited before is more at risk, not less."""
    if p.when != "past":
        return Floor(rule, "significant", why, (p.indicator,))
    why += (
        " It was over a year ago: non-recent abuse still goes to children's social care and the "
        "police, and a child exploited before is more at risk, not less."
    )
    return Floor("past-exploitation", "moderate", why, (p.indicator,))


def _sign_floors(
    present: list[Present], catalogue: Mapping[str, Spec], age: int | None
) -> list[Floor]:
    """Rule 2: a single strong sign is never "no current concern"; older signs keep less. A sign
    of harm is at least moderate, also one the partnership added."""
    found = []
    for p in present:
        spec = catalogue[p.indicator]
        floor = spec.floor_under_16 if spec.floor_under_16 and _under(age, 16) else spec.floor
        if spec.kind == "harm":
            floor = highest([floor or "none", "moderate"])
        level = _dated(floor, p.when, spec.kind) if floor else "none"
        if level != "none":
            found.append(Floor("sign", level, _sign_why(level, p.when), (p.indicator,)))
    return found


def _dated(floor: str, when: str, kind: str) -> str:
    """A sign's floor as time passes: a sign of harm keeps it for a year, a sign of risk for 6
    months and then one step less (never below emerging); after a year only harm keeps a floor."""
    if _fresh(when) or (when == "earlier" and kind == "harm"):
        return floor
    if when == "earlier":
        return highest([step_down(floor), "emerging"])
    return "emerging" if kind == "harm" else "none"


def _sign_why(level: str, when: str) -> str:
    if _fresh(when):
        return f"On its own, this sign is at least {_a(level)}."
    return f"Seen {WHEN_WORDS[when].lower()}, this sign still keeps the level at least {_a(level)}."


def _combinations(
    present: list[Present], catalogue: Mapping[str, Spec], config: Config
) -> list[Floor]:
    """Rule 3: signs seen together, in the last 12 months, raise the level (local guidance)."""
    counts = {"harm": 0, "significant": 0, "moderate": 0, "risk": 0, "vulnerability": 0}
    for p in present:
        if p.when == "past":
            continue
        spec = catalogue[p.indicator]
        counts[spec.kind] += 1
        if spec.kind == "risk":
            counts[spec.band or "moderate"] += 1
    found = []
    for combination in config.combinations:
        if all(counts.get(k, 0) >= n for k, n in combination.counts.items()):
            seen = " and ".join(f"{n} {_count_words(k, n)}" for k, n in combination.counts.items())
            found.append(
                Floor(
                    "combination",
                    combination.level,
                    f"Seen together in the last 12 months ({seen}, or more): at least "
                    f"{_a(combination.level)}.",
                )
            )
    return found


def _count_words(kind: str, n: int) -> str:
    one, many = {
        "harm": ("sign of harm", "signs of harm"),
        "significant": ("significant sign of risk", "significant signs of risk"),
        "moderate": ("moderate sign of risk", "moderate signs of risk"),
        "risk": ("sign of risk", "signs of risk"),
        "vulnerability": ("vulnerability", "vulnerabilities"),
    }[kind]
    return one if n == 1 else many


def _a(level: str) -> str:
    """'a moderate concern', 'an emerging concern'."""
    words = LEVEL_WORDS[level].lower()
    return ("an " if words[0] in "aeiou" else "a ") + words


def _child(present: list[Present], age: int | None, learning_disability: str) -> list[Floor]:
    """Rule 4: younger children and children with a learning disability (local guidance)."""
    kinds = {p.kind for p in present if p.when != "past"}
    found = []
    if kinds & {"risk", "harm"} and (age is None or age <= 12):
        found.append(
            Floor(
                "young-child",
                "emerging",
                f"A sign of risk or harm in a child aged 12 or under ({_age_words(age, 13)}) is "
                "never 'no current concern'.",
            )
        )
    if kinds & {"risk", "harm"} and learning_disability == "yes":
        found.append(
            Floor(
                "learning-disability",
                "emerging",
                "A child with a learning disability and any sign of risk or harm is never "
                "'no current concern'.",
            )
        )
    if "harm" in kinds and (age is None or age <= 13):
        found.append(
            Floor(
                "harm-13-or-under",
                "moderate",
                f"A sign of harm in a child aged 13 or under ({_age_words(age, 14)}) is at least "
                "a moderate concern.",
            )
        )
    return found


def _who(present: list[Present], exploiters: tuple[str, ...]) -> list[Floor]:
    """Rule 5: who is suspected of harming the child."""
    if not exploiters:
        return []
    found = [
        Floor(
            "suspected-exploiter",
            "emerging",
            "Someone is suspected of exploiting the child: never 'no current concern'.",
        )
    ]
    kinds = {p.kind for p in present if p.when != "past"}
    if "harm" in kinds:
        found.append(
            Floor(
                "suspected-exploiter-harm",
                "moderate",
                "A sign of harm, and someone is suspected of exploiting the child.",
            )
        )
    if "family" in exploiters:
        level = "significant" if kinds & {"risk", "harm"} else "moderate"
        found.append(
            Floor(
                "family",
                level,
                "A family member or carer is suspected of harming the child: a child protection "
                "concern for children's social care and the police.",
            )
        )
    return found
