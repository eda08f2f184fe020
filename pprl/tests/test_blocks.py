"""Pairs within block keys, as a re-linkage on an engine takes them (pprl/blocks.py)."""

import pytest

from pprl.blocks import Member, by_block, pairs


def member(id_: int, partnership: int, *blocks: str) -> Member:
    return Member(id_, partnership, {}, frozenset(blocks))


def test_each_pair_of_two_partnerships_once_in_the_lowest_key_they_share():
    a, b, c = member(1, 1, "k1", "k2"), member(2, 2, "k1", "k2"), member(3, 1, "k2")
    assert [(x.id, y.id) for x, y in pairs("k1", [a, b])] == [(1, 2)]
    # In k2 the pair a-b is not compared again (k1 is lower); a-c is one partnership's.
    assert [(x.id, y.id) for x, y in pairs("k2", [a, b, c])] == [(2, 3)]


def test_the_lower_id_comes_first():
    assert [(x.id, y.id) for x, y in pairs("k", [member(9, 1, "k"), member(4, 2, "k")])] == [(4, 9)]


def test_members_are_read_by_key_across_batches():
    rows = [
        ("person", "k1", member(1, 1, "k1")),
        ("person", "k1", member(2, 2, "k1")),
        ("person", "k2", member(3, 1, "k2")),
        ("vehicle", "k2", member(4, 1, "k2")),
    ]
    found = [(kind, block, [m.id for m in members]) for kind, block, members in by_block(rows)]
    assert found == [("person", "k1", [1, 2]), ("person", "k2", [3]), ("vehicle", "k2", [4])]


def test_rows_not_grouped_by_key_are_refused():
    rows = [("person", "k1", member(1, 1, "k1")), ("person", "k2", member(2, 1, "k2")),
            ("person", "k1", member(3, 2, "k1"))]  # fmt: skip
    with pytest.raises(ValueError, match="not grouped"):
        list(by_block(rows))
