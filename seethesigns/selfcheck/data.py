"""The self-check's reviewed data (content/selfcheck.yaml): paths, questions, levels, messages."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from seethesigns.website.loading import md
from seethesigns.website.telephone import link_phone_numbers

ANSWERS = ("yes", "no", "not_sure", "skip")
FLAGS = ("danger", "disclosure")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    hint: str
    signs: tuple[str, ...]
    flag: str | None
    weight: int


@dataclass(frozen=True)
class Level:
    id: str
    words: str
    min_score: int | None = None
    min_not_sure: int | None = None


@dataclass(frozen=True)
class CheckPath:
    id: str
    title: str
    intro: str  # HTML
    sign_list: str
    questions: tuple[Question, ...]
    messages: dict[str, dict[str, str]]  # level -> {"heading", "text" (HTML)}
    help: dict[str, tuple[str, ...]]  # level -> contact slugs, "local" for local services


@dataclass(frozen=True)
class SelfCheck:
    paths: dict[str, CheckPath]
    levels: tuple[Level, ...]
    not_sure: str  # HTML with {count}


def data_file() -> Path:
    return Path(
        getattr(settings, "SELFCHECK_FILE", settings.BASE_DIR / "content" / "selfcheck.yaml")
    )


@cache
def load() -> SelfCheck:
    with data_file().open(encoding="utf-8") as f:
        raw: dict[str, Any] = yaml.safe_load(f)
    questions = {
        q["id"]: Question(
            id=q["id"],
            text=q["text"],
            hint=q.get("hint") or "",
            signs=tuple(q.get("signs") or ()),
            flag=q.get("flag"),
            weight=int(q.get("weight") or 0),
        )
        for q in raw["questions"]
    }
    paths = {}
    for p in raw["paths"]:
        messages = {
            level: {"heading": m["heading"], "text": link_phone_numbers(md(m["text"]))}
            for level, m in raw["messages"][p["id"]].items()
        }
        paths[p["id"]] = CheckPath(
            id=p["id"],
            title=p["title"],
            intro=md(p.get("intro")),
            sign_list=p["sign_list"],
            questions=tuple(questions[q] for q in p["questions"]),
            messages=messages,
            help={level: tuple(slugs) for level, slugs in raw["help"][p["id"]].items()},
        )
    levels = tuple(
        Level(
            id=lv["id"],
            words=lv["words"],
            min_score=lv.get("min_score"),
            min_not_sure=lv.get("min_not_sure"),
        )
        for lv in raw["levels"]
    )
    return SelfCheck(paths=paths, levels=levels, not_sure=md(raw["not_sure"]))
