"""The encodings compare like the values they hide, and reveal nothing without the key."""

import warnings
from datetime import date

import pytest
from bitarray import bitarray

from pprl.compare import DEFAULT_THRESHOLDS, dice, score
from pprl.encode import BLOOM_BITS, encode

KEY = b"the partnerships' shared secret, 32+ bytes long"


def test_the_same_plate_written_differently_is_very_likely_the_same_vehicle():
    a = encode("vehicle", {"value": "ab12 cde"}, KEY)
    b = encode("vehicle", {"value": "AB12CDE"}, KEY)
    assert set(a.blocks) & set(b.blocks)
    result = score("vehicle", a.fields, b.fields)
    assert result.similarities["value"] == 1.0
    assert result.band == "very_likely"


def test_a_different_plate_shares_no_block_and_does_not_match():
    a = encode("vehicle", {"value": "AB12CDE"}, KEY)
    b = encode("vehicle", {"value": "XY70ZZP"}, KEY)
    assert not set(a.blocks) & set(b.blocks)
    assert score("vehicle", a.fields, b.fields).band == ""


def test_a_misread_plate_shares_a_block():
    a = encode("vehicle", {"value": "AB12 CDO"}, KEY)
    b = encode("vehicle", {"value": "AB12 CD0"}, KEY)
    assert set(a.blocks) & set(b.blocks)


def test_phones_in_two_forms_match():
    a = encode("phone", {"value": "+44 7700 900123"}, KEY)
    b = encode("phone", {"value": "07700900123"}, KEY)
    assert a.fields == b.fields
    assert score("phone", a.fields, b.fields).band == "very_likely"


def test_a_person_written_differently_matches_and_another_does_not():
    a = encode(
        "person",
        {"names": ("Jordan Smith",), "date_of_birth": date(1999, 4, 2), "sex": "male",
         "phones": ("07700 900123",), "addresses": ("14 Station Rd, M14 5AB",)},
        KEY,
    )  # fmt: skip
    b = encode(
        "person",
        {"names": ("JORDAN SMYTH", "JJ"), "date_of_birth": "1999-04-02", "sex": "male",
         "phones": ("+447700900123",), "addresses": ("14 station road m145ab",)},
        KEY,
    )  # fmt: skip
    c = encode(
        "person",
        {"names": ("Amira Khan",), "date_of_birth": date(2001, 9, 30), "sex": "female"},
        KEY,
    )
    assert set(a.blocks) & set(b.blocks)
    assert score("person", a.fields, b.fields).band == "very_likely"
    assert score("person", a.fields, c.fields).band == ""
    assert score("person", a.fields, c.fields).probability < 0.01


def test_empty_fields_are_absent_and_neutral():
    encoded = encode("person", {"names": ("Sam Lee",), "phones": (), "sex": "not-known"}, KEY)
    assert set(encoded.fields) == {"names"}
    assert encode("vehicle", {"value": ""}, KEY).fields == {}


def test_an_age_range_gives_birth_years_that_overlap_a_date_of_birth():
    ranged = encode(
        "child", {"names": ("Kayla Brown",), "age_low": 14, "age_high": 15,
                  "age_on": date(2026, 6, 1)}, KEY,
    )  # fmt: skip
    dated = encode("child", {"names": ("Kayla Brown",), "date_of_birth": date(2011, 3, 3)}, KEY)
    assert set(ranged.blocks) & set(dated.blocks)
    result = score("child", ranged.fields, dated.fields)
    assert result.similarities["birth_year"] > 0


def test_another_key_gives_other_bits_and_other_blocks():
    a = encode("vehicle", {"value": "AB12CDE"}, KEY)
    b = encode("vehicle", {"value": "AB12CDE"}, b"another key")
    assert a.fields["value"] != b.fields["value"]
    assert not set(a.blocks) & set(b.blocks)
    assert dice(a.fields["value"], b.fields["value"]) < 0.5


def test_the_encoding_holds_no_plain_value():
    encoded = encode("handle", {"value": "@snapking99"}, KEY)
    raw = b"".join(encoded.fields.values()) + "".join(encoded.blocks).encode()
    assert b"snapking" not in raw
    assert len(encoded.fields["value"]) == BLOOM_BITS // 8


def test_dice_equals_anonlinks():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # anonlink imports pkg_resources
        from anonlink.similarities import dice_coefficient_accelerated
    a = encode("person", {"names": ("Jordan Smith",), "date_of_birth": "1999-04-02"}, KEY)
    b = encode("person", {"names": ("Jordon Smith",), "date_of_birth": "1999-04-20"}, KEY)
    for field in ("names", "date_of_birth"):
        x, y = bitarray(), bitarray()
        x.frombytes(a.fields[field])
        y.frombytes(b.fields[field])
        found, _ = dice_coefficient_accelerated([[x], [y]], threshold=0.0)
        theirs = found[0]
        assert dice(a.fields[field], b.fields[field]) == pytest.approx(theirs, abs=1e-9)
        assert 0 < theirs < 1


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        encode("planet", {"value": "x"}, KEY)
    with pytest.raises(ValueError, match="unknown kind"):
        score("planet", {}, {})


def test_thresholds_can_be_passed():
    a = encode("vehicle", {"value": "AB12CDE"}, KEY)
    strict = {**DEFAULT_THRESHOLDS, "very_likely": 1.01, "possibly": 1.01}
    assert score("vehicle", a.fields, a.fields, thresholds=strict).band == ""
