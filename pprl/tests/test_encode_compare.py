"""The encodings compare like the values they hide, and reveal nothing without the key."""

import random
import warnings
from dataclasses import replace
from datetime import date, timedelta

import pytest
from bitarray import bitarray
from hypothesis import given, settings
from hypothesis import strategies as st

from pprl import compare, encode, schema
from pprl.compare import DEFAULT_THRESHOLDS, dice, score
from pprl.encode import BLOOM_BITS

KEY = b"the partnerships' shared secret, 32+ bytes long"
OTHER_KEY = b"another partnership group's secret, also long"
JORDAN = {
    "names": ("Jordan Smith",),
    "date_of_birth": date(1999, 4, 2),
    "sex": "male",
    "phones": ("07700 900123",),
    "addresses": ("14 Station Rd, M14 5AB",),
}


# ---- Vehicles, phones, handles ----------------------------------------------------------------


def test_the_same_plate_written_differently_is_very_likely_the_same_vehicle():
    a = encode.encode("vehicle", {"value": "ab12 cde"}, KEY)
    b = encode.encode("vehicle", {"value": "AB12CDE"}, KEY)
    assert set(a.blocks) & set(b.blocks)
    result = score("vehicle", a.fields, b.fields)
    assert result.similarities["value"] == 1.0
    assert result.band == "very_likely"


def test_a_different_plate_shares_no_block_and_does_not_match():
    a = encode.encode("vehicle", {"value": "AB12CDE"}, KEY)
    b = encode.encode("vehicle", {"value": "XY70ZZP"}, KEY)
    assert not set(a.blocks) & set(b.blocks)
    assert score("vehicle", a.fields, b.fields).band == ""


def test_a_misread_plate_shares_a_block():
    a = encode.encode("vehicle", {"value": "AB12 CDO"}, KEY)
    b = encode.encode("vehicle", {"value": "AB12 CD0"}, KEY)
    assert set(a.blocks) & set(b.blocks)


def test_phones_in_two_forms_match():
    a = encode.encode("phone", {"value": "+44 7700 900123"}, KEY)
    b = encode.encode("phone", {"value": "07700900123"}, KEY)
    assert a.fields == b.fields
    assert score("phone", a.fields, b.fields).band == "very_likely"


# ---- People and children: properties ----------------------------------------------------------


def test_the_same_input_gives_the_same_encoding():
    assert encode.encode("person", JORDAN, KEY) == encode.encode("person", dict(JORDAN), KEY)


def test_a_person_written_differently_matches_and_another_does_not():
    a = encode.encode("person", JORDAN, KEY)
    b = encode.encode(
        "person",
        {"names": ("JORDAN SMYTH", "JJ"), "date_of_birth": "1999-04-02", "sex": "male",
         "phones": ("+447700900123",), "addresses": ("14 station road m145ab",)},
        KEY,
    )  # fmt: skip
    c = encode.encode(
        "person",
        {"names": ("Amira Khan",), "date_of_birth": date(2001, 9, 30), "sex": "female"},
        KEY,
    )
    assert set(a.blocks) & set(b.blocks)
    assert score("person", a.fields, b.fields).band == "very_likely"
    assert score("person", a.fields, c.fields).band == ""
    assert score("person", a.fields, c.fields).probability < 0.01


def test_another_key_gives_unrelated_bits_and_no_shared_block():
    a = encode.encode("person", JORDAN, KEY)
    b = encode.encode("person", JORDAN, OTHER_KEY)
    assert not set(a.blocks) & set(b.blocks)
    for field in a.fields:
        assert a.fields[field] != b.fields[field]
    # Compared across keys, the very same person looks like a stranger.
    assert score("person", a.fields, b.fields).probability < 0.001
    name_a, name_b = compare.sections(a.fields["name"]), compare.sections(b.fields["name"])
    assert compare._dice(name_a[3][0], name_b[3][0]) < 0.5
    v = encode.encode("vehicle", {"value": "AB12CDE"}, KEY)
    w = encode.encode("vehicle", {"value": "AB12CDE"}, OTHER_KEY)
    assert dice(v.fields["value"], w.fields["value"]) < 0.5


def test_a_missing_field_is_neutral():
    a = encode.encode("person", JORDAN, KEY)
    without_phone = encode.encode("person", {**JORDAN, "phones": ()}, KEY)
    assert "phone" not in without_phone.fields
    other = encode.encode("person", {**JORDAN, "phones": ("07700 900999",)}, KEY)
    # No phone on one side adds nothing; a different phone counts against.
    both_without = score("person", without_phone.fields, without_phone.fields).probability
    assert score("person", a.fields, without_phone.fields).probability == both_without
    assert score("person", a.fields, other.fields).probability < both_without
    encoded = encode.encode(
        "person", {"names": ("Sam Lee",), "phones": (), "sex": "not-known"}, KEY
    )
    assert set(encoded.fields) == {"name"}
    assert encode.encode("vehicle", {"value": ""}, KEY).fields == {}


@pytest.mark.parametrize(
    ("written", "other"),
    [
        ("Jonathan Smith", "Jonathon Smith"),  # a letter replaced
        ("Jordan Smith", "Jordan Smiht"),  # two swapped
        ("Jordan Smith", "Jordann Smith"),  # one doubled
        ("Jordan Smith", "Smith Jordan"),  # first and last the other way
        ("Stephen Smith", "Steven Smith"),  # sounds the same
    ],
)
def test_a_slip_in_a_name_still_scores_high(written, other):
    a = encode.encode("person", {"names": (written,)}, KEY)
    b = encode.encode("person", {"names": (other,)}, KEY)
    level, _ = compare.levels("person", a.fields, b.fields)["name"]
    assert level <= 3
    different = encode.encode("person", {"names": ("Amira Khan",)}, KEY)
    assert compare.levels("person", a.fields, different.fields)["name"][0] == 6
    assert (
        score("person", a.fields, b.fields).probability
        > 50 * score("person", a.fields, different.fields).probability
    )


def test_the_encoding_holds_no_plain_value():
    record = {
        **JORDAN,
        "handles": ("@snapking99",),
        "plates": ("AB12 CDE",),
    }
    encoded = encode.encode("person", record, KEY)
    raw = b"".join(encoded.fields.values()) + "".join(encoded.blocks).encode()
    for plain in (b"jordan", b"smith", b"1999", b"7700", b"snapking", b"AB12", b"station", b"M14"):
        assert plain.lower() not in raw.lower()
    handle = encode.encode("handle", {"value": "@snapking99"}, KEY)
    assert b"snapking" not in b"".join(handle.fields.values())
    assert len(handle.fields["value"]) == BLOOM_BITS // 8


def test_an_age_range_overlaps_a_date_of_birth_inside_it_and_not_one_outside():
    ranged = encode.encode(
        "child", {"names": ("Kayla Brown",), "age_low": 14, "age_high": 15,
                  "age_on": date(2026, 6, 1)}, KEY,
    )  # fmt: skip
    inside = encode.encode("child", {"names": ("Kayla Brown",), "date_of_birth": "2011-03-03"}, KEY)
    near = encode.encode("child", {"names": ("Kayla Brown",), "date_of_birth": "2014-03-03"}, KEY)
    far = encode.encode("child", {"names": ("Kayla Brown",), "date_of_birth": "2001-03-03"}, KEY)
    assert compare.levels("child", ranged.fields, inside.fields)["dob"][0] == 3  # ages fit
    assert compare.levels("child", ranged.fields, near.fields)["dob"][0] == 4  # up to 5 years
    assert compare.levels("child", ranged.fields, far.fields)["dob"][0] == 5
    slip = encode.encode("child", {"names": ("Kayla Brown",), "date_of_birth": "2011-03-30"}, KEY)
    swapped = encode.encode("child", {"names": ("K Brown",), "date_of_birth": "2011-04-03"}, KEY)
    same_year = encode.encode("child", {"names": ("K B",), "date_of_birth": "2011-11-21"}, KEY)
    assert compare.levels("child", inside.fields, slip.fields)["dob"][0] == 1
    assert compare.levels("child", inside.fields, swapped.fields)["dob"][0] == 1
    assert compare.levels("child", inside.fields, same_year.fields)["dob"][0] == 2


def test_dyadic_tokens_say_exactly_whether_two_ranges_overlap():
    rng = random.Random(21)
    for _ in range(2000):
        lo_a, lo_b = rng.randrange(700000, 740000), rng.randrange(700000, 740000)
        a = (lo_a, lo_a + rng.choice([0, rng.randrange(0, 3000)]))
        b = (lo_b, lo_b + rng.choice([0, rng.randrange(0, 40000)]))
        start_a = set(encode.ancestors(a[0], encode.DAY_BITS))
        start_b = set(encode.ancestors(b[0], encode.DAY_BITS))
        cover_a = set(encode.cover(*a, encode.DAY_BITS))
        cover_b = set(encode.cover(*b, encode.DAY_BITS))
        overlap = a[0] <= b[1] and b[0] <= a[1]
        assert bool(start_a & cover_b or start_b & cover_a) == overlap


def test_levels_are_the_plain_models_on_records_built_to_reach_them(monkeypatch):
    """Every field of the plain model (seethesigns.matching.fields) on pairs written to land in
    each of its levels: the encodings land in the same level, where the plain comparison uses
    equality (tokens) exactly, and where it uses Jaro-Winkler on these clear cases. With the
    words' filters (not sent by default: the whole name then decides its two lowest levels,
    checked below)."""
    from seethesigns.matching import api, fields

    monkeypatch.setattr(encode, "WORD_FILTERS", True)

    base = api.Record(
        names=("Jordan Smith",),
        date_of_birth=date(1999, 4, 2),
        sex="male",
        addresses=("14 Station Road, M14 5AB",),
        phones=("07700900123",),
        handles=("@jj",),
        plates=("AB12CDE",),
    )
    others = [
        replace(base, names=("Smith Jordan",)),
        replace(base, names=("Jordan Smiht",)),
        replace(base, names=("Jordan Smyth",), date_of_birth=date(1999, 4, 3)),
        replace(base, names=("Jordan",), date_of_birth=date(1999, 2, 4)),
        replace(base, names=("Kyle Smith",), date_of_birth=date(1999, 12, 30)),
        replace(
            base,
            names=("Amira Khan",),
            date_of_birth=None,
            age_low=20,
            age_high=30,
            age_on=date(2026, 1, 1),
        ),
        replace(base, date_of_birth=date(1996, 1, 1), addresses=("14 Station Rd",)),
        replace(base, date_of_birth=date(1980, 1, 1), addresses=("14 Stanton Road",)),
        replace(base, addresses=("2 Mill Lane, M14 5AB",), phones=("07700900999",)),
        replace(base, addresses=("41 Station Road",), sex="female", handles=("@kk",)),
        replace(base, plates=("XY70ZZP",)),
    ]
    today = date(2026, 12, 5)
    mine = encode.encode("person", _identifiers(base), KEY)
    seen = set()
    for other in others:
        theirs = encode.encode("person", _identifiers(other), KEY)
        got = compare.levels("person", mine.fields, theirs.fields)
        for field in fields.FIELDS["person"]:
            plain = fields.level(field, fields.features(base, today), fields.features(other, today))
            assert got.get(field.name, (None, 0))[0] == plain, (field.name, other)
            seen.add((field.name, plain))
    assert len(seen) >= 20  # most levels of most fields were reached


def _identifiers(record):
    from dataclasses import asdict

    return asdict(record)


def test_shipped_parameters_are_the_plain_models():
    from seethesigns.matching import api

    for kind in ("person", "child"):
        assert compare.default_parameters(kind) == api.default_parameters(kind)


def test_plain_parameters_can_be_passed():
    a = encode.encode("person", JORDAN, KEY)
    b = encode.encode("person", {**JORDAN, "phones": ()}, KEY)
    params = compare.default_parameters("person")
    params["prior"] = 0.5
    assert (
        score("person", a.fields, b.fields, params=params).probability
        > score("person", a.fields, b.fields).probability
    )


# ---- Wire format, bad input -------------------------------------------------------------------


def test_what_the_hub_receives_is_checked():
    encoded = encode.encode("person", {**JORDAN, "names": ("Jordan Smith", "JJ")}, KEY)
    schema.check("person", encoded.fields)
    schema.check("vehicle", encode.encode("vehicle", {"value": "AB12CDE"}, KEY).fields)
    with pytest.raises(ValueError, match="unknown field"):
        schema.check("person", {"nhs": encoded.fields["phone"]})
    with pytest.raises(ValueError, match="cut short"):
        schema.check("person", {"name": encoded.fields["name"][:-1]})
    with pytest.raises(ValueError, match="sections"):
        schema.check("person", {"dob": encoded.fields["phone"]})
    with pytest.raises(ValueError, match="bytes"):
        schema.check("vehicle", {"value": b"\x01" * 10})
    with pytest.raises(ValueError, match="cut short"):
        compare.sections(b"\x05\x00\x08abc")


def test_bad_identifiers_get_a_clear_message():
    with pytest.raises(ValueError, match="unknown kind"):
        encode.encode("planet", {"value": "x"}, KEY)
    with pytest.raises(ValueError, match="unknown kind"):
        score("planet", {}, {})
    with pytest.raises(ValueError, match="at least 16 bytes"):
        encode.encode("person", JORDAN, b"short")
    with pytest.raises(ValueError, match="date_of_birth"):
        encode.encode("person", {**JORDAN, "date_of_birth": "2nd April"}, KEY)
    with pytest.raises(ValueError, match="age_low"):
        encode.encode("person", {"names": ("A B",), "age_low": "ten"}, KEY)
    with pytest.raises(ValueError, match="names"):
        encode.encode("person", {"names": 12}, KEY)


def test_dice_equals_anonlinks():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anonlink imports pkg_resources
        from anonlink.similarities import dice_coefficient_accelerated
    a = encode.encode("vehicle", {"value": "AB12CDE"}, KEY).fields["value"]
    b = encode.encode("vehicle", {"value": "AB12CDF"}, KEY).fields["value"]
    x, y = bitarray(), bitarray()
    x.frombytes(a)
    y.frombytes(b)
    found, _ = dice_coefficient_accelerated([[x], [y]], threshold=0.0)
    assert dice(a, b) == pytest.approx(found[0], abs=1e-9)
    assert 0 < found[0] < 1


def test_thresholds_can_be_passed():
    a = encode.encode("vehicle", {"value": "AB12CDE"}, KEY)
    strict = {**DEFAULT_THRESHOLDS, "very_likely": 1.01, "possibly": 1.01}
    assert score("vehicle", a.fields, a.fields, thresholds=strict).band == ""


def test_the_commonest_name_has_one_encoding_until_hardened():
    """Without a per-record salt, a name always gives the same filter: what a frequency attack
    counts (docs/linkage-hub.md); the date of birth is a different field with its own key."""
    same = [encode.encode("person", {"names": ("Jordan Smith",), "date_of_birth": date(1990, 1, 1)
                                     + timedelta(days=d)}, KEY) for d in range(5)]  # fmt: skip
    assert len({e.fields["name"] for e in same}) == 1
    assert len({e.fields["dob"] for e in same}) == 5


def test_without_the_words_filters_the_whole_name_decides(monkeypatch):
    """The hardening that leaves out each word's filter (nothing the hub can count per first
    name or surname): still a well-formed encoding, one word in common still tells from none."""
    monkeypatch.setattr(encode, "WORD_FILTERS", False)
    a = encode.encode("person", {"names": ("Jordan Smith",)}, KEY)
    surname = encode.encode("person", {"names": ("Kyle Smith",)}, KEY)
    other = encode.encode("person", {"names": ("Amira Khan",)}, KEY)
    schema.check("person", a.fields)
    assert len(compare.sections(a.fields["name"])) == 4
    assert compare.levels("person", a.fields, surname.fields)["name"][0] == 5
    assert compare.levels("person", a.fields, other.fields)["name"][0] == 6
    monkeypatch.setattr(encode, "WORD_FILTERS", True)
    with_words = encode.encode("person", {"names": ("Jordan Smith",)}, KEY)
    assert compare.levels("person", with_words.fields, other.fields)["name"][0] == 6


def test_the_largest_record_still_fits_what_the_hub_accepts():
    names = tuple(" ".join(f"word{chr(97 + i)}{chr(97 + j)}" for j in range(12)) for i in range(25))
    addresses = tuple(f"{n} Long Street Name Here, Somewhere, M{n % 9}1 5AB" for n in range(25))
    phones = tuple(f"0770090{n:04d}" for n in range(25))
    big = encode.encode("person", {"names": names, "addresses": addresses, "phones": phones}, KEY)
    schema.check("person", big.fields)
    assert all(len(blob) <= schema.MAX_FIELD_BYTES for blob in big.fields.values())
    assert len(big.blocks) <= schema.MAX_BLOCKS


def test_no_word_has_a_filter_of_its_own_by_default():
    """What is sent holds nothing the hub can count per first name or surname."""
    sent = encode.encode("person", {"names": ("Jordan Smith", "JJ Smith")}, KEY)
    assert len(compare.sections(sent.fields["name"])) == 4  # no fifth part: the words' filters


def test_the_shipped_parameters_pass_their_own_check() -> None:
    for kind in ("person", "child"):
        assert compare.check_parameters(kind, compare.default_parameters(kind)) == (
            compare.default_parameters(kind)
        )
    with pytest.raises(ValueError, match="person and child only"):
        compare.check_parameters("vehicle", {})


def _slip(x: str, y: str) -> bool:
    """One character off, two neighbours swapped, or day and month swapped (as the plain model)."""
    if len(x) == len(y) and sum(a != b for a, b in zip(x, y, strict=True)) == 1:
        return True
    if any(x[:i] + x[i + 1] + x[i] + x[i + 2 :] == y for i in range(len(x) - 1)):
        return True
    return x[:4] == y[:4] and x[5:7] == y[8:10] and x[8:10] == y[5:7]


def test_an_exact_date_of_birth_shares_nothing_with_another_date_but_its_year_and_slips():
    """No ranges of days: apart from the date's own, slip and swap tokens, all an exact date of
    birth sends depends on its year alone, so the hub cannot place two dates closer than that."""
    rng = random.Random(5)
    year_sections = (3, 6, 7, 8, 9)
    for _ in range(300):
        a = date.fromordinal(
            rng.randrange(date(1930, 1, 1).toordinal(), date(2025, 1, 1).toordinal())
        )
        b = a + timedelta(days=rng.choice([1, 3, 8, 12, 40, 200, 1800, 1830]))
        x, y = a.isoformat(), b.isoformat()
        parts_a = compare.sections(_dob(x))
        parts_b = compare.sections(_dob(y))
        same_year = compare.sections(_dob(f"{x[:4]}-{'07' if x[5:7] != '07' else '02'}-15"))
        assert [parts_a[i] for i in year_sections] == [same_year[i] for i in year_sections]
        assert parts_a[4] == parts_a[5] == ()  # no ranges of days at all
        if _slip(x, y):  # a masked or swapped character: the slip level's own tokens
            continue
        shared = {t for s in parts_a for t in s} & {t for s in parts_b for t in s}
        assert shared <= {t for i in year_sections for t in parts_a[i]}, (x, y)


def _dob(text: str) -> bytes:
    return encode.encode("person", {"names": ("A B",), "date_of_birth": text}, KEY).fields["dob"]


def test_ages_fit_a_date_of_birth_by_years():
    """ "Ages fit each other" is judged by years now: a date in the range's first or last year
    fits even when the plain model's days would not; a year outside never does."""
    ranged = encode.encode(
        "child",
        {"names": ("Kayla Brown",), "age_low": 14, "age_high": 15, "age_on": date(2026, 6, 1)},
        KEY,
    )  # fmt: skip  (born 2010-06-02 to 2012-06-01)
    for born, level in (("2010-01-05", 3), ("2012-12-30", 3), ("2009-12-31", 4), ("2013-01-01", 4),
                        ("2017-06-01", 4), ("2018-01-01", 5), ("2004-12-31", 5)):  # fmt: skip
        other = encode.encode("child", {"names": ("Kayla Brown",), "date_of_birth": born}, KEY)
        assert compare.levels("child", ranged.fields, other.fields)["dob"][0] == level, born
        assert compare.levels("child", other.fields, ranged.fields)["dob"][0] == level, born


# ---- Filters the hub would refuse, blocks at national size -----------------------------------

# Any text, and long texts of letters, digits and spaces (which normalising keeps whole).
TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=400),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 ", min_size=150, max_size=400),
)


@settings(max_examples=60, deadline=None)
@given(
    names=st.lists(TEXT, max_size=4),
    addresses=st.lists(TEXT, max_size=3),
    value=TEXT,
    words=st.booleans(),
)
def test_no_text_of_any_length_makes_a_filter_the_hub_refuses(names, addresses, value, words):
    """Property: whatever is typed, however long, every filter sent stays under MAX_FILL."""
    sent = encode.WORD_FILTERS
    encode.WORD_FILTERS = words
    try:
        person = encode.encode("person", {"names": names, "addresses": addresses}, KEY)
    finally:
        encode.WORD_FILTERS = sent
    schema.check("person", person.fields)
    for kind in schema.VALUE_KINDS:
        schema.check(kind, encode.encode(kind, {"value": value}, KEY).fields)


def test_long_texts_are_cut_before_their_filters_so_the_hub_accepts_them():
    """Without the cut (FILTER_CHARS) each of these is refused by the hub's check."""
    rng = random.Random(7)
    long = " ".join("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=7)) for _ in range(40))
    plate = "".join(rng.choices("ABCDEFGHJKLMNPRSTUVWXYZ0123456789", k=300))
    schema.check(
        "person", encode.encode("person", {"names": (long,), "addresses": (long,)}, KEY).fields
    )
    for kind, value in (("vehicle", plate), ("phone", "07" + "1234567890" * 20), ("handle", long)):
        schema.check(kind, encode.encode(kind, {"value": value}, KEY).fields)


def test_a_long_name_is_encoded_within_the_fill_the_hub_accepts():
    long = " ".join(f"{chr(97 + i)}{chr(98 + i)}{chr(99 + i)}xqz" for i in range(20))
    a = compare.sections(encode.encode("person", {"names": (long,)}, KEY).fields["name"])
    b = compare.sections(encode.encode("person", {"names": (long + " x",)}, KEY).fields["name"])
    assert a[3][0].bit_count() < schema.MAX_FILL * schema.NAME_BITS
    assert a[3] == b[3]  # the filters hold the same first characters
    assert a[0] != b[0]  # the exact names' tokens are of the whole names


def test_a_filter_with_most_bits_set_is_refused():
    vehicle = encode.encode("vehicle", {"value": "AB12CDE"}, KEY).fields
    with pytest.raises(ValueError, match="bits set"):
        schema.check("vehicle", {"value": b"\xff" * (BLOOM_BITS // 8)})
    schema.check("vehicle", vehicle)
    # Inside a packed field: the name's filter replaced by all ones, its sections intact.
    name = encode.encode("person", JORDAN, KEY).fields["name"]
    full = name[: -(schema.NAME_BITS // 8)] + b"\xff" * (schema.NAME_BITS // 8)
    with pytest.raises(ValueError, match="bits set"):
        schema.check("person", {"name": full})
    # A filter twice as wide with half its bits set would compare like one of all ones.
    wide = name[: -(schema.NAME_BITS // 8) - 3] + b"\x01\x01\x00" + b"\x00" * 128 + b"\xff" * 128
    with pytest.raises(ValueError, match="wrong width"):
        schema.check("person", {"name": wide})


def _shared(a: dict[str, object], b: dict[str, object]) -> set[str]:
    return set(encode.encode("person", a, KEY).blocks) & set(encode.encode("person", b, KEY).blocks)


def test_a_common_first_name_and_birth_year_alone_share_no_block():
    """At national size a key of a first name and a year holds thousands: the surname's first
    sound is part of it, so two Jacks born in 2010 with unrelated surnames are not compared."""
    assert not _shared(
        {"names": ("Jack Smith",), "date_of_birth": date(2010, 3, 4)},
        {"names": ("Jack Taylor",), "date_of_birth": date(2010, 7, 9)},
    )
    # Two names' first letters are blocked only with the year too.
    assert not _shared(
        {"names": ("Jacqueline Smithson",), "date_of_birth": date(2009, 1, 2)},
        {"names": ("Jack Smith",), "date_of_birth": date(1990, 5, 6)},
    )


def test_one_person_written_with_slips_still_shares_a_block():
    assert _shared(
        {"names": ("Jack Smith",), "date_of_birth": date(2010, 3, 4)},
        {"names": ("Jak Smyth",), "date_of_birth": date(2010, 4, 3)},
    )
    assert _shared(  # another first name, the same surname's start and year
        {"names": ("Jacqueline Smithson",), "date_of_birth": date(2009, 1, 2)},
        {"names": ("Jacky Smithsonn",), "date_of_birth": date(2009, 2, 1)},
    )
