"""The training modules (content/training/modules.yaml), read once and checked."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from seethesigns.website.loading import CONTENT_DIR, ContentError, md, read_yaml


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: list[dict[str, Any]]
    explanation: str

    @property
    def correct(self) -> str:
        return next(o["id"] for o in self.options if o.get("correct"))


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    minutes: int
    practise: list[dict[str, str]]
    sections: list[dict[str, Any]]
    quiz: list[Question]


@cache
def catalogue() -> tuple[int, dict[str, Module]]:
    raw = read_yaml(CONTENT_DIR / "training" / "modules.yaml")
    modules = {}
    for entry in raw["modules"]:
        questions = [
            Question(
                q["id"],
                q["text"],
                [{**o, "id": str(o["id"])} for o in q["options"]],
                q["explanation"],
            )
            for q in entry["quiz"]
        ]
        for q in questions:
            if sum(1 for o in q.options if o.get("correct")) != 1:
                raise ContentError(f"training {entry['id']}/{q.id}: exactly one correct answer")
        sections = [{**s, "html": md(s["body"])} for s in entry["sections"]]
        practise = [{"text": str(p["text"]), "href": str(p["href"])} for p in entry["practise"]]
        if not practise or any(not p["href"].startswith("/") for p in practise):
            raise ContentError(f"training {entry['id']}: practise needs links on this site")
        modules[entry["id"]] = Module(
            entry["id"],
            entry["title"],
            int(entry["minutes"]),
            practise,
            sections,
            questions,
        )
    return int(raw["pass_mark"]), modules


def pass_mark() -> int:
    return catalogue()[0]


def modules() -> dict[str, Module]:
    return catalogue()[1]
