"""The pairs within block keys, for a full re-linkage on a distributed engine.

A re-linkage compares every encoding with every other partnership's of the same kind that shares
a block key with it, as the hub does for one arriving encoding. On an engine (linkagehub/engine.py
on Apache Spark) the rows of each block key are brought together, sorted, and these functions run
in the engine's Python workers: `by_block` reads the members of each key from the sorted rows,
`pairs` gives each pair of one key once. Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """One encoding as a block key holds it."""

    id: int  # the hub's encoding id
    partnership: int
    fields: dict[str, bytes]
    blocks: frozenset[str]  # all its block keys (to find the lowest one a pair shares)
    truth: int = 0  # the bench's: the entity the encoding was made from


def by_block(rows: Iterable[tuple[str, str, Member]]) -> Iterator[tuple[str, str, list[Member]]]:
    """(kind, block, members) for each block key, from (kind, block, member) rows in which each
    key's rows come together (as a sort by key gives them). A key that comes back after another
    means the rows were not grouped, and the pairs would be wrong: ValueError."""
    done: set[tuple[str, str]] = set()
    group: tuple[str, str] | None = None
    members: list[Member] = []
    for kind, block, member in rows:
        if (kind, block) != group:
            if group is not None:
                yield (*group, members)
            if (kind, block) in done:
                raise ValueError(f"block key {block} came back: the rows are not grouped by key")
            group, members = (kind, block), []
            done.add(group)
        members.append(member)
    if group is not None:
        yield (*group, members)


def pairs(block: str, members: Sequence[Member]) -> Iterator[tuple[Member, Member]]:
    """The pairs of one block key to compare: of two partnerships (a partnership's own records
    are its app's to join), and only in the lowest key the two share, so each pair once however
    many keys they share. The lower id first."""
    for at, one in enumerate(members):
        for other in members[at + 1 :]:
            if one.partnership == other.partnership:
                continue
            if min(one.blocks & other.blocks) != block:
                continue
            yield (one, other) if one.id < other.id else (other, one)
