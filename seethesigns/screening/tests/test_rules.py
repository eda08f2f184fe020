"""The rules alone: every threshold and override at its boundaries, and properties that must hold
for every combination of answers (hypothesis)."""

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from seethesigns.screening.rules import (
    LEVELS,
    STATES,
    WHENS,
    Answer,
    Config,
    ScreeningError,
    Spec,
    rank,
    suggest,
)

CONTENT = Path(__file__).resolve().parents[3] / "content" / "screening"
RAW = yaml.safe_load((CONTENT / "indicators.yaml").read_text())
CATALOGUE = {e["id"]: Spec(e["kind"], e.get("band") or "") for e in RAW}
RULES = yaml.safe_load((CONTENT / "rules.yaml").read_text())
CONFIG = Config(RULES["points"], RULES["thresholds"], RULES["not_known_limit"])

VULNERABILITIES = [k for k, s in CATALOGUE.items() if s.kind == "vulnerability"]
MODERATE = [k for k, s in CATALOGUE.items() if s.band == "moderate"]
SIGNIFICANT = [k for k, s in CATALOGUE.items() if s.band == "significant"]
HARM = [k for k, s in CATALOGUE.items() if s.kind == "harm" and k != "disclosure"]


def everything_else_not_present(**present: Answer) -> dict[str, Answer]:
    answers = {code: Answer("not_present") for code in CATALOGUE}
    answers.update(present)
    return answers


def level(answers, age=15, ld="no"):
    return suggest(answers, age=age, learning_disability=ld, catalogue=CATALOGUE, config=CONFIG)


def present(codes, when="current"):
    return everything_else_not_present(**{c: Answer("present", when) for c in codes})


def test_the_catalogue_covers_the_dfe_list_and_the_local_tools():
    assert len(VULNERABILITIES) >= 12
    for code in [
        "going-missing",
        "gifts-money-phones",
        "older-boyfriend-girlfriend",
        "lifts-cars-unknown-adults",
        "hotels-parties-unknown-places",
        "alcohol-drugs",
        "sexual-health",
        "missing-school",
        "links-with-exploited-peers",
        "online-contact-stranger",
        "images-shared",
        "injuries-unexplained",
        "self-harm-despair",
        "gangs-crime",
        "mood-behaviour-change",
        "disclosure",
    ]:
        assert code in CATALOGUE, code


def test_nothing_present_and_everything_known_is_no_current_concern():
    result = level(everything_else_not_present())
    assert (result.level, result.score, result.enough_known) == ("none", 0, True)
    assert result.overrides == []


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (VULNERABILITIES[:5], "none"),  # 10 points
        (VULNERABILITIES[:6], "emerging"),  # 12: the emerging threshold exactly
        (VULNERABILITIES[:11], "moderate"),  # 22: moderate exactly
        (SIGNIFICANT[:3] + MODERATE[:1], "significant"),  # 32: significant exactly
        (SIGNIFICANT[:3], "moderate"),  # 30: just under significant
        (SIGNIFICANT[:2] + MODERATE[:1], "moderate"),  # 22
        (SIGNIFICANT[:2], "emerging"),  # 20: just under moderate
        (SIGNIFICANT[:1] + MODERATE[:1], "emerging"),  # 12
        (SIGNIFICANT[:1], "none"),  # 10: just under emerging
    ],
)
def test_thresholds_at_their_boundaries(codes, expected):
    assert level(present(codes)).level == expected


def test_older_evidence_weighs_less_than_current():
    current = level(present(SIGNIFICANT[:2])).score
    earlier = level(present(SIGNIFICANT[:2], when="earlier")).score
    assert earlier < current
    assert level(present(MODERATE[:1], when="earlier")).score < level(present(MODERATE[:1])).score


@pytest.mark.parametrize("when", WHENS)
def test_a_disclosure_is_significant_with_an_immediate_referral(when):
    result = level(present(["disclosure"], when=when), age=17)
    assert result.level == "significant"
    assert result.immediate_referral
    assert result.overrides[0].rule == "disclosure"


@pytest.mark.parametrize(("age", "expected"), [(11, "emerging"), (12, "emerging"), (13, "none")])
def test_a_child_of_12_or_under_with_any_sign_of_risk_is_never_no_concern(age, expected):
    assert level(present(MODERATE[:1]), age=age).level == expected


def test_vulnerabilities_alone_do_not_trigger_the_young_child_rule():
    assert level(present(VULNERABILITIES[:1]), age=10).level == "none"


@pytest.mark.parametrize(
    ("ld", "expected"), [("yes", "emerging"), ("no", "none"), ("not_known", "none")]
)
def test_a_learning_disability_with_any_sign_of_risk_is_never_no_concern(ld, expected):
    assert level(present(MODERATE[:1]), age=16, ld=ld).level == expected


@pytest.mark.parametrize(("age", "expected"), [(13, "moderate"), (14, "emerging")])
def test_a_sign_of_harm_at_13_or_under_is_at_least_moderate(age, expected):
    result = level(present(HARM[:1]), age=age)
    assert result.level == expected


def test_an_unknown_age_is_treated_as_possibly_young():
    result = level(present(HARM[:1]), age=None)
    assert result.level == "moderate"
    assert "age not known" in result.overrides[-1].why


def test_not_known_is_never_not_present_and_much_unknown_is_said():
    answers = everything_else_not_present()
    signs = MODERATE + SIGNIFICANT + HARM
    for code in signs[: CONFIG.not_known_limit - 1]:
        answers[code] = Answer("not_known")
    assert level(answers).enough_known
    answers[signs[CONFIG.not_known_limit]] = Answer("not_known")
    result = level(answers)
    assert not result.enough_known
    assert len(result.not_known) == CONFIG.not_known_limit
    # Indicators not answered at all are not known too.
    assert not level({}).enough_known
    assert len(level({}).not_known) == len(CATALOGUE)


def test_bad_input_is_refused_with_a_message():
    with pytest.raises(ScreeningError, match="Unknown indicator: nope"):
        level({"nope": Answer("present")})
    with pytest.raises(ScreeningError, match="state must be"):
        level({"disclosure": Answer("maybe")})
    with pytest.raises(ScreeningError, match="Age must be"):
        level({}, age=99)
    with pytest.raises(ScreeningError, match="learning_disability"):
        level({}, ld="sometimes")


answers_strategy = st.dictionaries(
    st.sampled_from(sorted(CATALOGUE)),
    st.builds(Answer, st.sampled_from(STATES), st.sampled_from(WHENS)),
)
ages = st.one_of(st.none(), st.integers(min_value=0, max_value=25))
disabilities = st.sampled_from(["yes", "no", "not_known"])


@settings(max_examples=400, deadline=None)
@given(
    answers_strategy, st.sampled_from(sorted(CATALOGUE)), st.sampled_from(WHENS), ages, disabilities
)
def test_marking_one_more_indicator_present_never_lowers_the_level(answers, code, when, age, ld):
    before = level(answers, age=age, ld=ld)
    assume_not_present = answers.get(code, Answer()).state != "present"
    after = level({**answers, code: Answer("present", when)}, age=age, ld=ld)
    if assume_not_present:
        assert rank(after.level) >= rank(before.level)


@settings(max_examples=400, deadline=None)
@given(answers_strategy, ages, disabilities, st.sampled_from(WHENS))
def test_no_other_answers_lower_an_override(answers, age, ld, when):
    with_disclosure = {**answers, "disclosure": Answer("present", when)}
    assert level(with_disclosure, age=age, ld=ld).level == "significant"
    harm = {**answers, HARM[0]: Answer("present", when)}
    young = level(harm, age=min(age, 13) if age is not None else None, ld=ld)
    assert rank(young.level) >= rank("moderate")
    risk = {**answers, MODERATE[0]: Answer("present", when)}
    assert level(risk, age=12, ld=ld).level != "none"
    assert level(risk, age=age, ld="yes").level != "none"


@settings(max_examples=200, deadline=None)
@given(answers_strategy, ages, disabilities)
def test_the_level_is_one_of_four_and_reasons_are_the_present_indicators(answers, age, ld):
    result = level(answers, age=age, ld=ld)
    assert result.level in LEVELS
    assert {r.indicator for r in result.reasons} == {
        c for c, a in answers.items() if a.state == "present"
    }


def test_the_documentation_lists_every_indicator_and_the_current_numbers():
    doc = (CONTENT.parents[1] / "docs" / "screening.md").read_text()
    for code in CATALOGUE:
        assert f"`{code}`" in doc, code
    for name, value in RULES["thresholds"].items():
        assert f"| {value} |" in doc, name
