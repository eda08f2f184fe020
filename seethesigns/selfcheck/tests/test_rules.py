"""The self-check's rules, over every path and many answer sets."""

import itertools
import random
import re

import pytest
from bs4 import BeautifulSoup

from seethesigns.selfcheck.data import ANSWERS, FLAGS, load
from seethesigns.selfcheck.rules import compute
from seethesigns.website.models import Sign

pytestmark = pytest.mark.django_db
PATHS = ["me", "friend", "child"]
REASSURING = re.compile(
    r"you are safe|you're safe|you're fine|you are fine|nothing to worry about|no need to worry"
    r"|all clear|everything is (ok|okay|fine)|low risk|\bscore\b|points?\b",
    re.IGNORECASE,
)


def _random_answers(path_id: str, rng: random.Random) -> dict[str, str]:
    return {q.id: rng.choice(ANSWERS) for q in load().paths[path_id].questions}


@pytest.mark.parametrize("path_id", PATHS)
def test_each_path_has_at_most_15_questions_each_mapped_to_signs(path_id: str):
    path = load().paths[path_id]
    known = set(Sign.objects.values_list("slug", flat=True))
    assert 5 <= len(path.questions) <= 15
    assert path.questions[0].flag == "danger"
    assert sum(q.flag == "disclosure" for q in path.questions) == 1
    for q in path.questions:
        assert set(q.signs) <= known, q.id
        if q.flag is None:
            assert q.signs, q.id


@pytest.mark.parametrize(("path_id", "flag"), itertools.product(PATHS, FLAGS))
def test_danger_or_a_disclosure_always_puts_urgent_help_first(path_id: str, flag: str):
    data = load()
    path = data.paths[path_id]
    flagged = next(q for q in path.questions if q.flag == flag)
    rng = random.Random(f"{path_id}{flag}")
    for _ in range(300):
        answers = _random_answers(path_id, rng)
        answers[flagged.id] = "yes"
        result = compute(path, data.levels, answers)
        assert result.level == "urgent"
        assert result.help[0] == "emergency-999"
        if path_id in ("me", "friend"):
            assert result.help[1] == "childline"


@pytest.mark.parametrize("path_id", PATHS)
def test_no_result_reassures_and_every_result_lists_help(path_id: str):
    data = load()
    path = data.paths[path_id]
    rng = random.Random(path_id)
    seen_levels = set()
    for _ in range(500):
        result = compute(path, data.levels, _random_answers(path_id, rng))
        seen_levels.add(result.level)
        level = next(lv for lv in data.levels if lv.id == result.level)
        message = path.messages[result.level]
        words = " ".join(
            [
                level.words,
                message["heading"],
                BeautifulSoup(message["text"], "html.parser").get_text(),
            ]
        )
        assert not REASSURING.search(words), words
        assert len(result.help) >= 3
    # Every answer pattern lands somewhere, including when nothing was said.
    nothing = compute(path, data.levels, {q.id: "no" for q in path.questions})
    assert nothing.level == "none_said"
    assert seen_levels >= {"urgent", "high", "some"}


@pytest.mark.parametrize("path_id", PATHS)
def test_not_sure_is_never_treated_as_no(path_id: str):
    data = load()
    path = data.paths[path_id]
    answers = {q.id: ("not_sure" if q.flag is None else "no") for q in path.questions}
    result = compute(path, data.levels, answers)
    assert result.level == "unsure"
    assert len(result.not_sure) == len(path.questions) - 2


@pytest.mark.parametrize("path_id", PATHS)
def test_marking_one_more_sign_never_lowers_the_level(path_id: str):
    data = load()
    path = data.paths[path_id]
    order = [lv.id for lv in data.levels]
    rng = random.Random(path_id + "monotone")
    for _ in range(300):
        answers = _random_answers(path_id, rng)
        before = compute(path, data.levels, answers)
        question = rng.choice(path.questions)
        if answers[question.id] == "not_sure":
            continue  # moving from "not sure" to "yes" may change an "unsure" picture
        answers[question.id] = "yes"
        after = compute(path, data.levels, answers)
        assert order.index(after.level) <= order.index(before.level)


def test_the_reviewed_table_names_every_question():
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "self-check.md").read_text()
    for path in load().paths.values():
        for q in path.questions:
            assert q.text in doc or q.id in doc, q.id
