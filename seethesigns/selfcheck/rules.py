"""Work out a self-check result. static/js/selfcheck.js applies exactly the same rules."""

from collections.abc import Mapping
from dataclasses import dataclass

from seethesigns.selfcheck.data import FLAGS, CheckPath, Level


@dataclass(frozen=True)
class Result:
    level: str
    urgent: bool
    yes: tuple[str, ...]  # ids of questions answered yes, in question order
    not_sure: tuple[str, ...]
    help: tuple[str, ...]  # contact slugs, most important first


def level_for(levels: tuple[Level, ...], *, urgent: bool, score: int, not_sure: int) -> Level:
    """Return the first level whose rule matches; the last level is the catch-all."""
    for level in levels:
        if level.id == "urgent":
            if urgent:
                return level
        elif level.min_score is not None:
            if score >= level.min_score:
                return level
        elif level.min_not_sure is not None:
            if score == 0 and not_sure >= level.min_not_sure:
                return level
        else:
            return level
    return levels[-1]


def compute(path: CheckPath, levels: tuple[Level, ...], answers: Mapping[str, str]) -> Result:
    yes = [q for q in path.questions if answers.get(q.id) == "yes"]
    not_sure = [q for q in path.questions if answers.get(q.id) == "not_sure"]
    urgent = any(q.flag in FLAGS for q in yes)
    score = sum(q.weight for q in yes)
    level = level_for(levels, urgent=urgent, score=score, not_sure=len(not_sure))
    return Result(
        level=level.id,
        urgent=urgent,
        yes=tuple(q.id for q in yes),
        not_sure=tuple(q.id for q in not_sure),
        help=path.help[level.id],
    )
