"""The online comparison: known matches and non-matches, and the properties any verdict keeps."""

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seethesigns.matching import api
from seethesigns.matching.api import Record, blocking_keys, compare, name_sound_keys

DOB = date(2009, 3, 14)
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # an alias on one record is the main name on the other
        (
            Record(names=("Jayden Cole", "JJ Cole"), date_of_birth=DOB),
            Record(names=("jj cole",), date_of_birth=DOB),
        ),
        # first and last names swapped
        (
            Record(names=("Smith John",), date_of_birth=DOB),
            Record(names=("John Smith",), date_of_birth=DOB),
        ),
        # a typing slip in the surname
        (
            Record(names=("Kyle Walker",), date_of_birth=DOB),
            Record(names=("Kyle Wlaker",), date_of_birth=DOB),
        ),
        # sounds the same
        (
            Record(names=("Stephen Smyth",), date_of_birth=DOB),
            Record(names=("Steven Smith",), date_of_birth=DOB),
        ),
        # day and month of the date of birth swapped
        (
            Record(names=("Kyle Walker",), date_of_birth=date(2009, 4, 12)),
            Record(names=("Kyle Walker",), date_of_birth=date(2009, 12, 4)),
        ),
        # one digit of the date of birth off, same phone
        (
            Record(
                names=("Liam Hughes",), date_of_birth=date(2009, 4, 12), phones=("07700 900123",)
            ),
            Record(
                names=("Liam Hughes",), date_of_birth=date(2008, 4, 12), phones=("+44 7700 900123",)
            ),
        ),
    ],
)
def test_known_matches_are_found(a, b):
    verdict = compare("person", a, b)
    assert verdict.band in ("very_likely", "possibly"), verdict
    assert "name" in verdict.agree


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # two people one letter apart in each name, born on different days
        (
            Record(names=("Dwayne Brown",), date_of_birth=date(2001, 3, 14)),
            Record(names=("Wayne Brawn",), date_of_birth=date(1999, 7, 2)),
        ),
        # father and son: the same name, a generation apart
        (
            Record(names=("John Smith",), date_of_birth=date(1971, 5, 2)),
            Record(names=("John Smith",), date_of_birth=date(1996, 8, 19)),
        ),
    ],
)
def test_known_non_matches_are_not(a, b):
    verdict = compare("person", a, b)
    assert verdict.band == "", verdict
    assert "date of birth" in verdict.disagree


def test_father_and_son_at_one_address_are_never_very_likely_one_person():
    father = Record(names=("John Smith",), date_of_birth=date(1971, 5, 2), addresses=("4 Elm Rd",))
    son = Record(names=("John Smith",), date_of_birth=date(1996, 8, 19), addresses=("4 Elm Road",))
    verdict = compare("person", father, son)
    assert verdict.band != "very_likely"
    assert verdict.disagree == ("date of birth",)


def test_the_same_name_alone_is_at_most_a_suggestion_to_check():
    verdict = compare("person", Record(names=("John Smith",)), Record(names=("John Smith",)))
    assert verdict.band != "very_likely"
    assert verdict.agree == ("name",)
    assert verdict.probability < 0.5


def test_a_very_likely_match_says_what_agrees_and_what_does_not():
    a = Record(names=("Kyle Walker",), date_of_birth=DOB, sex="male", phones=("07700900123",))
    b = Record(names=("Kyle Walker",), date_of_birth=DOB, sex="female", phones=("07700900123",))
    verdict = compare("person", a, b)
    assert verdict.band == "very_likely"
    assert verdict.agree == ("name", "date of birth", "phone")
    assert verdict.disagree == ("sex",)


def test_house_numbers_must_agree():
    a = Record(names=("Kyle Walker",), addresses=("14 Station Road, M14 5AB",))
    near = compare("person", a, Record(names=("Kyle Walker",), addresses=("14 Station Rd",)))
    other = compare("person", a, Record(names=("Kyle Walker",), addresses=("41 Station Road",)))
    assert "address" in near.agree
    assert "address" in other.disagree


def test_an_age_range_that_fits_the_date_of_birth_agrees():
    a = Record(names=("Kyle Walker",), age_low=15, age_high=17, age_on=date(2025, 1, 1))
    fits = compare("person", a, Record(names=("Kyle Walker",), date_of_birth=date(2008, 6, 1)))
    does_not = compare("person", a, Record(names=("Kyle Walker",), date_of_birth=date(1990, 6, 1)))
    assert "date of birth" in fits.agree
    assert "date of birth" in does_not.disagree
    assert fits.probability > does_not.probability


def test_children_compare_on_nhs_number():
    a = Record(names=("Amy Lee",), nhs_number="943 476 5919")
    same = compare("child", a, Record(names=("Amy Leigh",), nhs_number="9434765919"))
    other = compare("child", a, Record(names=("Amy Lee",), nhs_number="401 023 2137"))
    assert "NHS number" in same.agree
    assert "NHS number" in other.disagree
    assert same.probability > other.probability


def test_sound_keys_are_shared_by_names_that_sound_alike():
    assert set(name_sound_keys("Stephen Smyth")) == set(name_sound_keys("Steven Smith"))
    assert not set(name_sound_keys("Kyle Walker")) & set(name_sound_keys("Liam Hughes"))


def test_blocking_keys():
    keys = blocking_keys(
        Record(
            names=("Stephen Smyth",),
            date_of_birth=DOB,
            phones=("+44 7700 900123",),
            plates=("ab12 cde",),
            addresses=("14 Station Rd, m14 5ab",),
        )
    )
    assert keys["dob"] == ["2009-03-14"]
    assert keys["phone"] == ["07700900123"]
    assert keys["plate"] == ["AB12CDE"]
    assert keys["postcode"] == ["M145AB"]
    assert "smyth s" in keys["surname_initial"]
    assert set(name_sound_keys("Steven Smith")) <= set(keys["name_sound"])
    assert blocking_keys(Record()) == {}


# ---- Properties --------------------------------------------------------------------------------

names = st.sampled_from(
    ["Kyle Walker", "Kyle Wlaker", "Liam Hughes", "Walker Kyle", "Stephen Smyth"]
)
dates = st.none() | st.dates(min_value=date(1960, 1, 1), max_value=date(2020, 12, 31))
records = st.builds(
    Record,
    names=st.lists(names, max_size=2).map(tuple),
    date_of_birth=dates,
    sex=st.sampled_from(["", "female", "male", "not-known"]),
    addresses=st.lists(
        st.sampled_from(["14 Station Rd", "14 Station Road", "41 Elm Rd"]), max_size=2
    ).map(tuple),
    phones=st.lists(st.sampled_from(["07700900123", "+44 7700 900124"]), max_size=1).map(tuple),
    plates=st.lists(st.sampled_from(["AB12CDE", "xy99 zzz"]), max_size=1).map(tuple),
)
FIELDS = {
    "date_of_birth": DOB,
    "sex": "female",
    "addresses": ("9 Mill Lane",),
    "phones": ("07700 900999",),
    "handles": ("@someone",),
    "plates": ("AB12CDE",),
}
quick = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@quick
@given(records, records, st.sampled_from(["person", "child"]))
def test_symmetric(a, b, kind):
    assert compare(kind, a, b) == compare(kind, b, a)


@quick
@given(records, records, st.sampled_from(sorted(FIELDS)))
def test_a_field_missing_on_one_side_changes_nothing(a, b, field):
    if getattr(a, field) in ((), None, ""):
        a_with = replace(a, **{field: FIELDS[field]})  # b knows nothing of it yet
        if getattr(b, field) in ((), None, ""):
            assert compare("person", a_with, b) == compare("person", a, b)


@quick
@given(records, records, st.sampled_from(sorted(FIELDS)))
def test_an_extra_agreeing_field_never_lowers_the_probability(a, b, field):
    if getattr(a, field) in ((), None, "") and getattr(b, field) in ((), None, ""):
        value = FIELDS[field]
        before = compare("person", a, b)
        after = compare("person", replace(a, **{field: value}), replace(b, **{field: value}))
        assert after.probability >= before.probability


def test_defaults_are_used_until_estimated():
    assert api.parameters("person") == api.default_parameters("person")
