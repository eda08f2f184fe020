"""The case library the rules must pass (content/screening/vignettes.yaml), and its table."""

from dataclasses import dataclass, field
from typing import Any

from seethesigns.screening.rules import LEVEL_WORDS, Answer, Spec, level_words, spec_from
from seethesigns.website.loading import CONTENT_DIR, read_yaml

VIGNETTES = CONTENT_DIR / "screening" / "vignettes.yaml"


@dataclass(frozen=True)
class Vignette:
    id: str
    case: str
    age: int | None
    learning_disability: str
    exploiters: tuple[str, ...]
    present: dict[str, str]
    not_known: tuple[str, ...] | str
    expect: dict[str, Any] = field(default_factory=dict)
    why: str = ""
    source: str = ""

    def answers(self, codes: list[str]) -> dict[str, Answer]:
        """Every indicator answered: present as given, not known as given, else not present."""
        unknown = set(codes) if self.not_known == "all" else set(self.not_known)
        answers = {}
        for code in codes:
            if code in self.present:
                answers[code] = Answer("present", self.present[code])
            elif code in unknown:
                answers[code] = Answer("not_known")
            else:
                answers[code] = Answer("not_present")
        return answers

    @property
    def expected_words(self) -> str:
        level = self.expect["level"]
        return level_words(level)


def load_vignettes() -> list[Vignette]:
    return [
        Vignette(
            id=v["id"],
            case=v["case"],
            age=v.get("age"),
            learning_disability=v.get("learning_disability", "no"),
            exploiters=tuple(v.get("exploiters") or ()),
            present=dict(v.get("present") or {}),
            not_known=v.get("not_known")
            if v.get("not_known") == "all"
            else tuple(v.get("not_known") or ()),
            expect=dict(v["expect"]),
            why=v["why"],
            source=v["source"],
        )
        for v in read_yaml(VIGNETTES)
    ]


def shipped_catalogue() -> dict[str, Spec]:
    """The shipped indicators as the rules see them, read from the YAML (no database)."""
    return {i["id"]: spec_from(i) for i in read_yaml(CONTENT_DIR / "screening" / "indicators.yaml")}


def markdown_table(vignettes: list[Vignette]) -> str:
    rows = [
        "| # | Case | Expected | Why | Source |",
        "|---|---|---|---|---|",
    ]
    for n, v in enumerate(vignettes, 1):
        flags = [
            words
            for key, words in (
                ("immediate_referral", "refer now"),
                ("criminal", "MACE route"),
                ("family", "no family steps"),
            )
            if v.expect.get(key)
        ]
        at_least = v.expect.get("at_least")
        expected = v.expected_words
        if v.expect["level"] is None and at_least and at_least != "none":
            expected += f" (at least {LEVEL_WORDS[at_least].lower()})"
        if flags:
            expected += "; " + ", ".join(flags)
        rows.append(f"| {n} | {v.case} | **{expected}** | {v.why} | [{v.source}] |")
    return "\n".join(rows)
