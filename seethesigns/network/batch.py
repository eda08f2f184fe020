"""The overnight run: every person of concern in the partnership deduplicated in one pass.

`manage.py match_people` reads every person's Record (people.person_records: the same Record
the save path scores) a chunk at a time into DuckDB as the model's features (nothing else is
kept: at a million people, every Record and every row held at once took 15 GB), predicts pairs
with the same model (Splink on DuckDB with the model's settings, `seethesigns.matching`),
keeps the pairs the model puts at "possibly" or above,
clusters them (records joined through any chain of pairs are one cluster: "these records may be
one person"), and hands the pairs to the coordinator's review queue (`do_suggest_pairs`), which
skips a pair already waiting or already decided. Each kept pair is judged once more by
`people.judge()` (the model's `compare()`), so the fields that agree and disagree are worded
exactly as at save.

At a million people the prediction rules block about 400 million pairs; the few per cent
whose weight can reach the floor are found in DuckDB by a bound (`estimate.block`) before
Splink scores them, and only those Splink puts at "possibly" or above, or under it with no
field against, reach judge() (the others it could only leave out). The features judge() needs
come back from DuckDB; a pair's Records are read again only for the name-only floor.

`engine="compare"` does the same without Splink: `compare()` over the pairs that share a
blocking key (`matching.api.blocking_keys`). It is the fallback when Splink is not installed and
what the tests use to check that both engines agree.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations, islice
from typing import Any

from seethesigns.matching import fields
from seethesigns.matching.api import (
    Record,
    Verdict,
    blocking_keys,
    compare_features,
    thresholds,
)
from seethesigns.matching.fields import FIELDS
from seethesigns.network.people import judge, settled

# A blocking key shared by more people than this says little (a common surname with an initial)
# and would make the compare engine's work grow with the square of it; Splink's rules are
# narrower (see matching.estimate.PREDICTION_RULES).
LARGEST_BLOCK = 300
NAMES_ALONE = 0.001
CHUNK = 20_000  # Records read, made features and put into DuckDB at a time
JUDGED = 20_000  # candidate pairs judged at a time
DUCKDB_MEMORY = "3GB"  # DuckDB's share of the run's memory; beyond it DuckDB spills to disk

# The shipped parameters' prior (one pair in ten thousand the same person) fits a partnership of
# some thousands of people; an estimate's prior fits the number of people it was made on. Used on
# far more people, a prior that high turns every shared name and birthday into a suggestion: at a
# million generated people with the shipped prior, 5.1 million pairs for the coordinator and one
# "cluster" of 950,347 records (docs/benchmarks.md). So the run refuses a model it has outgrown.
SHIPPED_FOR = 10_000  # people the shipped prior is meant for
OUTGROWN = 4  # a model is outgrown by more than four times the people it was made for
SuggestedPair = tuple[int, int, float, str, dict[str, list[str]]]
Fetch = Callable[[list[int]], dict[int, Record]]


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
    records: Iterable[tuple[int, Record]],
    *,
    engine: str = "splink",
    chunk: int = CHUNK,
    fetch: Fetch | None = None,
    seconds: dict[str, float] | None = None,
) -> tuple[list[SuggestedPair], int, int]:
    """(pairs (a, b, probability, band, fields) at "possibly" or above, pairs compared,
    people); each step's time goes into `seconds`. `fetch`: the Records of these ids, for the
    name-only floor (by default read again from `records`, which is then held in memory: the
    batch reads them from the database)."""
    if engine != "splink":
        listed = list(records)
        candidates, compared = _blocked_pairs(listed)
        by_id = dict(listed)
        verdicts = ((a, b, judge(by_id[a], by_id[b])) for a, b in candidates)
        return _kept(verdicts), compared, len(listed)
    if fetch is None:
        listed = list(records)
        by_id = dict(listed)
        records = listed

        def fetch(ids: list[int]) -> dict[int, Record]:
            return {uid: by_id[uid] for uid in ids}

    return _splink_predict(
        records, chunk=chunk, fetch=fetch, seconds={} if seconds is None else seconds
    )


def _kept(verdicts: Iterable[tuple[int, int, Verdict]]) -> list[SuggestedPair]:
    kept: list[SuggestedPair] = []
    # Pairs with the same fields for and against share one dict (read, never changed): at a
    # million people there are millions of pairs and a few dozen such dicts.
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], dict[str, list[str]]] = {}
    for a, b, verdict in verdicts:
        if verdict.band:
            fields = shared.setdefault(
                (verdict.agree, verdict.disagree),
                {"agree": list(verdict.agree), "disagree": list(verdict.disagree)},
            )
            kept.append((a, b, round(verdict.probability, 4), verdict.band, fields))
    return sorted(kept, key=lambda pair: (pair[0], pair[1]))


def _splink_predict(
    records: Iterable[tuple[int, Record]],
    *,
    chunk: int,
    fetch: Fetch,
    seconds: dict[str, float],
) -> tuple[list[SuggestedPair], int, int]:
    """Splink's prediction on DuckDB with the model's settings, the records put in a chunk at
    a time; each pair it finds judged as at save."""
    from seethesigns.matching import api, estimate

    with tempfile.TemporaryDirectory(prefix="match-people-") as spill:
        con = estimate.connection()
        # DuckDB writes what does not fit to disk rather than growing without end.
        con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
        con.execute(f"SET temp_directory = '{spill}'")
        people = 0
        started = time.perf_counter()
        for part in _chunks(records, chunk):
            estimate.load(con, api.splink_rows(part))
            people += len(part)
        seconds["read"] = time.perf_counter() - started
        if people < 2:
            return [], 0, people
        params = api.parameters("person")
        limits = thresholds()
        # Low enough to keep the pairs judge() raises to "possibly" on their names alone (a
        # slip apart, nothing against: about 0.006 with the shipped parameters).
        floor = min(limits["possibly"], NAMES_ALONE)
        # Only pairs judge() may keep: "possibly" or above, or over the floor with no field
        # against them (its name-only floor).
        started = time.perf_counter()
        compared, _ = estimate.block(con, "person", params, floor, limits["possibly"])
        seconds["block"] = time.perf_counter() - started
        started = time.perf_counter()
        linker = estimate.linker_on(
            con,
            "person",
            params,
            [estimate.PAIRED_RULE],
            table_name="records_paired",
            gammas=True,
        )
        predicted = linker.inference.predict(threshold_match_probability=floor)
        _judged_by_model(con, predicted.physical_name, limits["possibly"])
        seconds["splink"] = time.perf_counter() - started
        started = time.perf_counter()
        kept = _kept(_judged(con, fetch))
        seconds["judge"] = time.perf_counter() - started
        con.close()
    return kept, compared, people


def _judged_by_model(con: Any, table: str, possibly: float) -> None:
    """Into `candidates`: the predicted pairs judge() may keep. The rest are under "possibly"
    with a field against them, and judge() leaves those out."""
    near = math.log2(possibly / (1 - possibly)) - 1e-6  # a hair under: rounding drops none
    nothing_against = " AND ".join(f"bf_{f.name} >= 1 - 1e-9" for f in FIELDS["person"])
    con.execute(
        "CREATE OR REPLACE TABLE candidates AS SELECT unique_id_l AS a, unique_id_r AS b"  # noqa: S608  # nosec B608
        f" FROM {table} WHERE match_weight >= {near!r} OR ({nothing_against})"
    )


def _judged(con: Any, fetch: Fetch) -> Iterator[tuple[int, int, Verdict]]:
    """judge() each candidate on its features as DuckDB holds them, a batch at a time (the
    verdicts are yielded, not held: most are left out)."""
    columns = ", ".join([*(f"l.{c}" for c in fields.COLUMNS), *(f"r.{c}" for c in fields.COLUMNS)])
    width = len(fields.COLUMNS)
    cursor = con.execute(
        f"SELECT c.a, c.b, {columns} FROM candidates c"  # noqa: S608  # nosec B608
        " JOIN records l ON l.unique_id = c.a JOIN records r ON r.unique_id = c.b"
    )  # in any order: _kept() sorts what it keeps
    while rows := cursor.fetchmany(JUDGED):
        floor: list[tuple[int, int, tuple[Any, Any]]] = []
        for row in rows:
            a, b = row[0], row[1]
            both = (
                dict(zip(fields.COLUMNS, row[2 : 2 + width], strict=True)),
                dict(zip(fields.COLUMNS, row[2 + width :], strict=True)),
            )
            verdict = compare_features("person", *both)
            if settled(verdict):
                yield a, b, verdict
            else:
                floor.append((a, b, both))
        if floor:  # judge() asks for the names: read these few Records again
            found = fetch(sorted({uid for a, b, _ in floor for uid in (a, b)}))
            for a, b, both in floor:
                yield a, b, judge(found[a], found[b], both)


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


def outgrown(people: int) -> str:
    """Why the matching model does not fit a run over `people` people, or "" when it does."""
    from seethesigns.matching.models import MatchingModel

    newest = MatchingModel.objects.filter(kind="person").first()
    made_for = newest.records if newest is not None and newest.records else SHIPPED_FOR
    if people <= OUTGROWN * made_for:
        return ""
    what = (
        f"was estimated on {made_for:,} people"
        if newest is not None
        else f"has its shipped parameters, meant for about {SHIPPED_FOR:,} people"
    )
    return (
        f"The matching model {what}, and there are {people:,} now: it would fill the review "
        "queue with pairs that are not one person. Run `manage.py estimate_matching --kind "
        "person` first, or `match_people --estimate`."
    )


def people_held() -> int:
    from seethesigns.network.models import Entity, Kind

    return Entity.objects.filter(kind=Kind.PERSON).count()


def run(
    records: Iterable[tuple[int, Record]] | None = None,
    *,
    engine: str = "splink",
    run_label: str = "",
    suggest: bool = True,
    chunk: int = CHUNK,
) -> Run:
    """Deduplicate every person (or `records`), cluster, and fill the review queue."""
    from seethesigns.network.actions import do_suggest_pairs
    from seethesigns.network.people import person_records, records_for

    result = Run()
    started = time.perf_counter()
    fetch: Fetch | None = None
    if records is None:
        records, fetch = person_records(chunk), records_for
    result.pairs, result.compared, result.people = predict(
        records, engine=engine, chunk=chunk, fetch=fetch, seconds=result.seconds
    )
    result.seconds["predict"] = time.perf_counter() - started
    started = time.perf_counter()
    result.clusters = clusters((a, b) for a, b, *_ in result.pairs)
    result.seconds["cluster"] = time.perf_counter() - started
    if suggest:
        started = time.perf_counter()
        label = run_label or time.strftime("match_people %Y-%m-%d %H:%M")
        result.suggested = sum(
            do_suggest_pairs(part, run_label=label) for part in _chunks(result.pairs, 5000)
        )
        result.seconds["suggest"] = time.perf_counter() - started
    return result


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while part := list(islice(iterator, size)):
        yield part
