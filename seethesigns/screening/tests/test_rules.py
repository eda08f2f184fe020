"""The rules alone: the case library from published guidance, and properties that must hold for
every combination of answers (hypothesis). No database: the shipped catalogue is read from YAML."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seethesigns.screening.config import load_config
from seethesigns.screening.rules import (
    EXPLOITERS,
    LEVELS,
    STATES,
    WHENS,
    Answer,
    ScreeningError,
    rank,
    suggest,
)
from seethesigns.screening.steps import READERS, _steps, advise, level_guidance
from seethesigns.screening.vignettes import load_vignettes, markdown_table, shipped_catalogue
from seethesigns.website.loading import CONTENT_DIR, read_yaml

CATALOGUE = shipped_catalogue()
CONFIG = load_config()
CODES = list(CATALOGUE)
DEFINING = [c for c, s in CATALOGUE.items() if s.defining == "always"]
UNDER_16 = [c for c, s in CATALOGUE.items() if s.defining == "under-16"]
SEXUAL = [c for c, s in CATALOGUE.items() if s.sexual]
WITH_FLOOR = [c for c, s in CATALOGUE.items() if s.floor]
VIGNETTES = load_vignettes()
ASKS_IF_FAMILY = {
    e["id"]: e.get("ask_if_family") or e.get("ask", "")
    for e in read_yaml(CONTENT_DIR / "screening" / "indicators.yaml")
}
FAMILY_WORDS = re.compile(r"\b(family|families|carers?|parents?|mum|dad|at home)\b", re.IGNORECASE)


def run(answers, *, age=15, ld="no", exploiters=()):
    return suggest(
        answers,
        age=age,
        learning_disability=ld,
        catalogue=CATALOGUE,
        config=CONFIG,
        exploiters=exploiters,
    )


def all_not_present(**present: Answer) -> dict[str, Answer]:
    answers = {code: Answer("not_present") for code in CODES}
    answers.update({k.replace("_", "-"): v for k, v in present.items()})
    return answers


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v.id for v in VIGNETTES])
def test_each_case_from_guidance_gets_its_expected_result(vignette):
    result = run(
        vignette.answers(CODES),
        age=vignette.age,
        ld=vignette.learning_disability,
        exploiters=vignette.exploiters,
    )
    assert result.level == vignette.expect["level"], vignette.why
    for flag in ("immediate_referral", "criminal", "family", "at_least"):
        if flag in vignette.expect:
            assert getattr(result, flag) == vignette.expect[flag], (flag, vignette.why)


def test_the_library_has_at_least_40_cases_each_with_a_known_source():
    sources = {s["id"] for s in read_yaml(CONTENT_DIR / "sources.yaml")}
    assert len(VIGNETTES) >= 40
    assert len({v.id for v in VIGNETTES}) == len(VIGNETTES)
    for v in VIGNETTES:
        assert v.source in sources, v.id
        assert set(v.present) <= set(CODES), v.id


def test_the_docs_table_is_the_case_library():
    docs = (Path(__file__).resolve().parents[3] / "docs" / "screening.md").read_text()
    assert markdown_table(VIGNETTES) in docs, "run manage.py screening_vignettes into docs"


def test_the_six_cases_that_failed_before_are_in_the_library():
    ids = {v.id for v in VIGNETTES}
    assert {
        "cannabis-for-sex-15",
        "partner-35-girl-17",
        "parent-exploiting-14",
        "all-not-known-14",
        "cannabis-for-sex-7-months",
        "partner-35-7-months",
    } <= ids


def test_every_answer_not_known_suggests_no_level_and_lists_the_key_questions_first():
    result = run({}, age=14)
    assert result.level is None
    assert result.words == "Not enough is known to suggest a level"
    assert set(result.key_not_known) == {c for c, s in CATALOGUE.items() if s.key}
    assert advise(result, reader="practitioner").action.id == "find-out-tell-dsl"


def test_the_action_heads_a_significant_result_and_differs_by_reader():
    result = run(all_not_present(disclosure=Answer("present")))
    assert advise(result, reader="referrer").action.id == "refer-now"
    assert advise(result, reader="front_door").action.id == "strategy-discussion-today"
    practitioner = advise(result, reader="practitioner").action
    assert practitioner.id == "tell-dsl-now"
    assert "front_door" in practitioner.contacts and "emergency" in practitioner.contacts
    assert "refer" not in practitioner.text.lower()


def test_no_reason_given_for_a_level_tells_anyone_what_to_do():
    """Why a level is what it is; what to do is the action's and the steps' alone."""
    for vignette in VIGNETTES:
        result = run(vignette.answers(CODES), age=vignette.age, exploiters=vignette.exploiters)
        for floor in result.floors:
            assert "refer" not in floor.why.lower() and "tell the" not in floor.why.lower()


def test_a_sign_of_harm_the_partnership_added_is_at_least_moderate():
    catalogue = {**CATALOGUE, "local-harm": shipped_catalogue()["disclosure"].__class__("harm")}
    answers = {code: Answer("not_present") for code in catalogue}
    answers["local-harm"] = Answer("present")
    result = suggest(answers, age=15, learning_disability="no", catalogue=catalogue, config=CONFIG)
    assert result.level == "moderate"


def test_a_sign_seen_months_ago_counts_the_age_the_child_was_then():
    answers = all_not_present(sexual_activity_with_adult=Answer("present", "earlier"))
    assert run(answers, age=16).level == "significant"  # she may have been 15
    assert run(answers, age=17).level == "moderate"
    younger = all_not_present(sexual_activity_peer=Answer("present", "earlier"))
    assert run(younger, age=13).level == "significant"  # may have been 12


def test_bad_input_is_refused_with_what_to_change():
    with pytest.raises(ScreeningError, match="Unknown indicator"):
        run({"made-up": Answer("present")})
    with pytest.raises(ScreeningError, match="when must be one of"):
        run({"going-missing": Answer("present", "yesterday")})
    with pytest.raises(ScreeningError, match="exploiters"):
        run({}, exploiters=["stranger"])
    with pytest.raises(ScreeningError, match="Age"):
        run({}, age=40)


def test_every_ask_that_involves_the_family_has_one_that_does_not():
    for entry in read_yaml(CONTENT_DIR / "screening" / "indicators.yaml"):
        if FAMILY_WORDS.search(entry.get("ask", "")) and "agencies know" not in entry["ask"]:
            assert entry.get("ask_if_family"), entry["id"]
        assert not FAMILY_WORDS.search(entry.get("ask_if_family", "")), entry["id"]


# --- Properties over any answers -----------------------------------------------------------------

answer = st.builds(Answer, st.sampled_from(STATES), st.sampled_from(WHENS))
answers_st = st.dictionaries(st.sampled_from(CODES), answer, max_size=len(CODES))
age_st = st.one_of(st.none(), st.integers(min_value=0, max_value=25))
ld_st = st.sampled_from(["yes", "no", "not_known"])
exploiters_st = st.lists(st.sampled_from(EXPLOITERS), unique=True, max_size=4)
FRESH = st.sampled_from(["current", "recent"])


@settings(max_examples=300, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st, st.sampled_from(DEFINING), FRESH)
def test_a_definition_meeting_harm_is_always_significant(answers, age, ld, exploiters, harm, when):
    answers[harm] = Answer("present", when)
    result = run(answers, age=age, ld=ld, exploiters=exploiters)
    assert result.level == "significant"
    assert result.immediate_referral


@settings(max_examples=300, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st, st.sampled_from(WITH_FLOOR), FRESH)
def test_a_sign_with_a_floor_never_gives_less_than_its_floor(
    answers, age, ld, exploiters, code, when
):
    answers[code] = Answer("present", when)
    result = run(answers, age=age, ld=ld, exploiters=exploiters)
    spec = CATALOGUE[code]
    floor = spec.floor_under_16 if spec.floor_under_16 and (age is None or age < 16) else spec.floor
    assert rank(result.at_least) >= rank(floor)
    if result.level is not None:
        assert rank(result.level) >= rank(floor)


@settings(max_examples=300, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st, st.lists(st.sampled_from(CODES), max_size=20))
def test_more_not_known_never_offers_more_reassurance(answers, age, ld, exploiters, unknowns):
    """Turning "not present" answers into "not known" keeps the level or withholds it: it never
    suggests a lower level than before."""
    before = run(answers, age=age, ld=ld, exploiters=exploiters)
    after_answers = dict(answers)
    for code in unknowns:
        if after_answers.get(code, Answer()).state == "not_present":
            after_answers[code] = Answer("not_known")
    after = run(after_answers, age=age, ld=ld, exploiters=exploiters)
    assert after.at_least == before.at_least
    if after.level is not None and before.level is not None:
        assert after.level == before.level
    if before.level is None:
        assert after.level is None or after.level == "significant"


@settings(max_examples=300, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st)
def test_a_family_exploiter_never_yields_a_step_that_involves_the_family(
    answers, age, ld, exploiters
):
    result = run(answers, age=age, ld=ld, exploiters=[*exploiters, "family"])
    assert result.family
    assert rank(result.at_least) >= rank("moderate")
    assert level_guidance(result) == ""  # the partnership's words may say "early help"
    texts = [advise(result, reader=reader).action.text for reader in READERS]
    texts += [step.text for step in _steps(result) if step.id != "family-strategy"]
    texts += [ASKS_IF_FAMILY[code] for code in result.not_known]
    for text in texts:
        assert not FAMILY_WORDS.search(text), text


@settings(max_examples=300, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st, st.sampled_from(CODES), FRESH)
def test_one_more_sign_present_never_lowers_what_is_known(answers, age, ld, exploiters, code, when):
    before = run(answers, age=age, ld=ld, exploiters=exploiters)
    answers[code] = Answer("present", when)
    after = run(answers, age=age, ld=ld, exploiters=exploiters)
    assert rank(after.at_least) >= rank(before.at_least)


@settings(max_examples=200, deadline=None)
@given(answers_st, age_st, ld_st, exploiters_st)
def test_no_current_concern_only_when_every_key_question_is_answered(answers, age, ld, exploiters):
    result = run(answers, age=age, ld=ld, exploiters=exploiters)
    if result.level == "none":
        assert not result.key_not_known
        assert all(rank(f.level) == 0 for f in result.floors)
    assert result.level in (None, *LEVELS)
