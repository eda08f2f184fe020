"""The overnight run: every person of concern in the partnership deduplicated in one pass.

`manage.py match_people` reads every person's Record (people.person_records: the same Record
the save path scores), predicts pairs with the same model (Splink on DuckDB with the model's
settings, `seethesigns.matching`), keeps the pairs the model puts at "possibly" or above,
clusters them (records joined through any chain of pairs are one cluster: "these records may be
one person"), and hands the pairs to the coordinator's review queue (`do_suggest_pairs`), which
skips a pair already waiting or already decided. Each kept pair is judged once more by
`people.judge()` (the model's `compare()`), so the fields that agree and disagree are worded
exactly as at save.

`engine="compare"` does the same without Splink: `compare()` over the pairs that share a
blocking key (`matching.api.blocking_keys`). It is the fallback when Splink is not installed and
what the tests use to check that both engines agree.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from seethesigns.matching.api import Record, blocking_keys, thresholds
from seethesigns.network.people import judge

# A blocking key shared by more people than this says little (a common surname with an initial)
# and would make the compare engine's work grow with the square of it; Splink's rules are
# narrower (see matching.estimate.PREDICTION_RULES).
LARGEST_BLOCK = 300
NAMES_ALONE = 0.001
SuggestedPair = tuple[int, int, float, str, dict[str, list[str]]]


@dataclass
class Run:
    people: int = 0
    compared: int = 0  # pairs the engine scored
    pairs: list[SuggestedPair] = field(default_factory=list)
    clusters: list[list[int]] = field(default_factory=list)
    suggested: int = 0  # new in the review queue (the rest were waiting or decided)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def bands(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for pair in self.pairs:
            counts[pair[3]] += 1
        return dict(counts)


def predict(
    records: list[tuple[int, Record]], *, engine: str = "splink"
) -> tuple[list[SuggestedPair], int]:
    """(pairs (a, b, probability, band, fields) at "possibly" or above, pairs compared)."""
    if engine == "splink":
        candidates, compared = _splink_pairs(records)
    else:
        candidates, compared = _blocked_pairs(records)
    by_id = dict(records)
    kept: list[SuggestedPair] = []
    for a, b in candidates:
        verdict = judge(by_id[a], by_id[b])
        if verdict.band:
            fields = {"agree": list(verdict.agree), "disagree": list(verdict.disagree)}
            kept.append((a, b, round(verdict.probability, 4), verdict.band, fields))
    return sorted(kept, key=lambda pair: (pair[0], pair[1])), compared


def _splink_pairs(records: list[tuple[int, Record]]) -> tuple[set[tuple[int, int]], int]:
    """Splink's prediction on DuckDB with the model's settings, at the "possibly" threshold."""
    from seethesigns.matching import api, estimate

    linker = estimate.linker("person", api.splink_rows(records), api.parameters("person"))
    # Low enough to keep the pairs judge() raises to "possibly" on their names alone (a slip
    # apart, nothing against: about 0.006 with the shipped parameters); judge() has the last word.
    floor = min(thresholds()["possibly"], NAMES_ALONE)
    predicted = linker.inference.predict(threshold_match_probability=floor)
    table = predicted.physical_name
    con = linker._db_api._con
    rows = con.execute(f"SELECT unique_id_l, unique_id_r FROM {table}").fetchall()  # noqa: S608  # nosec B608
    return {(min(a, b), max(a, b)) for a, b in rows}, _splink_compared(linker)


def _splink_compared(linker: Any) -> int:
    """How many pairs Splink's blocking rules gave it to score (counted, not listed)."""
    from splink.blocking_analysis import (
        cumulative_comparisons_to_be_scored_from_blocking_rules_data as counted,
    )

    rules = linker._settings_obj._blocking_rules_to_generate_predictions
    found = counted(
        table_or_tables="records",
        blocking_rules=[rule.blocking_rule_sql for rule in rules],
        link_type="dedupe_only",
        db_api=linker._db_api,
    )
    return int(found["row_count"].sum())


def _blocked_pairs(records: list[tuple[int, Record]]) -> tuple[set[tuple[int, int]], int]:
    """Every pair sharing a blocking key (each block at most LARGEST_BLOCK people)."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for uid, record in records:
        for name, values in blocking_keys(record).items():
            for value in values:
                blocks[(name, value)].append(uid)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= LARGEST_BLOCK:
            pairs.update(combinations(sorted(set(members)), 2))
    return pairs, len(pairs)


def clusters(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Records joined through any chain of pairs, each cluster sorted, largest first."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        groups[root(x)].append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def run(
    records: Iterable[tuple[int, Record]] | None = None,
    *,
    engine: str = "splink",
    run_label: str = "",
    suggest: bool = True,
) -> Run:
    """Deduplicate every person (or `records`), cluster, and fill the review queue."""
    from seethesigns.network.actions import do_suggest_pairs
    from seethesigns.network.people import person_records

    result = Run()
    started = time.perf_counter()
    listed = list(records if records is not None else person_records())
    result.people = len(listed)
    result.seconds["read"] = time.perf_counter() - started
    started = time.perf_counter()
    result.pairs, result.compared = predict(listed, engine=engine) if len(listed) > 1 else ([], 0)
    result.seconds["predict"] = time.perf_counter() - started
    started = time.perf_counter()
    result.clusters = clusters((a, b) for a, b, *_ in result.pairs)
    result.seconds["cluster"] = time.perf_counter() - started
    if suggest:
        started = time.perf_counter()
        label = run_label or time.strftime("match_people %Y-%m-%d %H:%M")
        result.suggested = sum(
            do_suggest_pairs(chunk, run_label=label) for chunk in _chunks(result.pairs, 5000)
        )
        result.seconds["suggest"] = time.perf_counter() - started
    return result


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
