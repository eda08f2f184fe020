"""The overnight run at scale: a million generated people of concern deduplicated in one pass.

    python bench/people.py          # PEOPLE=1000000 by default; PEOPLE=20000 for a trial

Starts a throwaway PostgreSQL (bench/run.py), migrates it, and writes the people with COPY: one
in seven is written again (once or twice) by another team, the way another worker would write
them: a slip in a name, first and last name swapped, a nickname as the label with the name as an
alias, the date of birth missing, a day and month swapped or a digit out, the address with
`Rd` for `Road`, the phone as +44. Each person is linked to an address and most to a phone
(records of their own, as workers link them). Then the batch path of `manage.py match_people`
(seethesigns/network/batch.py: read every Record, Splink on DuckDB with the model's settings,
judge, cluster, fill the review queue) runs once, and the bench prints each step's time, the
process's peak memory (getrusage: generation, Django, DuckDB and Splink together) and the
precision and recall of the pairs against the generated truth. Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess  # nosec B404  (runs our own manage.py)
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import (
    ENTITY_COLUMNS,
    FIRST,
    LAST,
    address,
    address_variant,
    copy_rows,
    phone,
    phone_variant,
    setup,
    team_and_people,
    typo,
)
from run import machine

from testing.pgserver import Processes

# Surnames beyond the short list, so that a million people are not 3,000 names: syllables put
# together ("Ashworth", "Kenbury"), about 2,500 of them.
STARTS = "Ash Bar Black Brad Bram Car Chad Clay Cor Dal Dun Els Fair Fen Gar Gold Hal Ham Har Hart"
STARTS += " Hol Hun Ken Kings Lang Lin Mar Mel Mid Mor Nor Old Pen Rad Red Rom Rus Sal Shel Stan"
STARTS += " Sum Thorn Tor Wal War Wes Whit Wil Win Wood"
ENDS = "worth bury ford ley ton field well wood ham by stone shaw more dale wick combe land"
ENDS += " hurst mond croft gate row ridge bridge berg man kin son ington low"
SURNAMES = LAST + [a + b for a in STARTS.split() for b in ENDS.split()]
NICKNAMES = ["Jay", "Kaz", "Big T", "Smithy", "Romey", "Dee", "Mo", "Tiny", "Boss", "Ace", "Kid"]


def person(rng: random.Random) -> dict[str, Any]:
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(18_000))
    return {
        "label": f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
        "aliases": rng.choice(NICKNAMES) if rng.random() < 0.15 else "",
        "born": born if rng.random() < 0.85 else None,
        "sex": "male" if rng.random() < 0.9 else "",
        "address": address(rng),
        "phone": phone(rng) if rng.random() < 0.7 else "",
    }


def variant(original: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same person as another worker writes them: two or three things different."""
    copy = dict(original)
    first, last = copy["label"].split(" ", 1)
    how = rng.choice(["slip first", "slip last", "swapped", "nickname", "as written"])
    if how == "slip first":
        copy["label"] = f"{typo(first, rng)} {last}"
    elif how == "slip last":
        copy["label"] = f"{first} {typo(last, rng)}"
    elif how == "swapped":
        copy["label"] = f"{last} {first}"
    elif how == "nickname":
        copy["label"], copy["aliases"] = rng.choice(NICKNAMES), original["label"]
    if copy["born"] and rng.random() < 0.3:
        born = copy["born"]
        copy["born"] = rng.choice(
            [
                None,
                born + timedelta(days=1),
                born.replace(day=born.month, month=born.day) if born.day <= 12 else None,
            ]
        )
    if rng.random() < 0.5:
        copy["address"] = address_variant(original["address"], rng)
    if copy["phone"] and rng.random() < 0.5:
        copy["phone"] = phone_variant(original["phone"], rng)
    if rng.random() < 0.2:
        copy["phone"] = ""
    return copy


def generate(total: int, worker: Any, other: Any) -> set[tuple[int, int]]:
    """`total` people written with COPY; the pairs that are one person."""
    from django.db import connection
    from django.utils import timezone

    from seethesigns.network.matching import house_numbers, normalise

    rng = random.Random(20)  # noqa: S311  (test data, not secrets)
    now = timezone.now()
    truth: set[tuple[int, int]] = set()
    entities: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    next_id = 1
    written = 0
    while written < total:
        original = person(rng)
        versions = [original]
        if rng.random() < 1 / 7:
            versions += [variant(original, rng) for _ in range(rng.choice([1, 1, 2]))]
        ids = []
        for n, p in enumerate(versions[: total - written]):
            owner = (worker, other)[n % 2]
            pk = next_id
            ids.append(pk)
            entities.append(("person", p["label"], p["aliases"], p["born"], p["sex"], owner, pk))
            next_id += 1
            for kind in ("place", "phone"):
                value = p["address" if kind == "place" else "phone"]
                if value:
                    entities.append((kind, value, "", None, "", owner, next_id))
                    links.append((pk, next_id, owner))
                    next_id += 1
            written += 1
        truth |= {(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]}

    with connection.cursor() as cursor:
        # The save path's trigram indexes make a bulk load crawl, and the batch never reads them.
        cursor.execute("DROP INDEX IF EXISTS entity_normalised_trgm")
        cursor.execute("DROP INDEX IF EXISTS entity_unnumbered_place_trgm")

    def entity_rows() -> Iterator[tuple[Any, ...]]:
        for kind, label, aliases, born, sex, owner, pk in entities:
            normalised = normalise(kind, label)
            yield (
                pk,
                kind,
                label,
                normalised,
                house_numbers(kind, normalised),
                "",
                "",
                aliases,
                born,
                sex,
                "",
                "",
                owner.team_id,
                owner.pk,
                now,
                1,
            )

    copy_rows(
        "links_entity",
        ENTITY_COLUMNS,
        entity_rows(),
    )
    copy_rows(
        "links_link",
        ["entity_id", "other_id", "nature", "linked_on", "source", "created_by_id", "created_at"],
        ((a, b, "lives at or uses", date(2026, 1, 1), "police", o.pk, now) for a, b, o in links),
    )
    with connection.cursor() as cursor:
        for table in ["links_entity", "links_link"]:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608  (our names)
                f"(SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    return truth


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    total = int(os.environ.get("PEOPLE", "1000000"))
    work = Path(tempfile.mkdtemp(prefix="seethesigns-people-"))
    work.chmod(0o755)
    processes = Processes()
    try:
        try:
            print(f"Machine: {machine()}")
        except OSError:
            print(f"Machine: {os.cpu_count()} CPUs")
        print(f"Load average before: {os.getloadavg()[0]:.1f} (1 min)")
        setup(work, processes)
        worker, other, _ = team_and_people()
        started = time.perf_counter()
        truth = generate(total, worker, other)
        print(
            f"Generated {total:,} people ({len(truth):,} true pairs) in "
            f"{time.perf_counter() - started:.0f} s; peak memory so far {peak_mb():,.0f} MB"
        )
        # The batch in its own process, exactly as cron runs it: its peak memory is its own.
        engine = os.environ.get("ENGINE", "splink")
        started = time.perf_counter()
        ran = subprocess.run(
            [sys.executable, "manage.py", "match_people", "--engine", engine, "--label", "bench"]
            + ([] if os.environ.get("SHIPPED") else ["--estimate"]),
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        print(f"\nmanage.py match_people --engine {engine}: {seconds:.0f} s wall")
        print(ran.stdout.strip() or ran.stderr[-3000:])
        if ran.returncode:
            raise SystemExit("bench: match_people failed")
        print(f"Load average after: {os.getloadavg()[0]:.1f} (1 min)")
        print(f"Peak memory of this bench process (generation, no matching): {peak_mb():,.0f} MB")
        from seethesigns.network.models import PairSuggestion

        kept = {
            (a, b): band
            for a, b, band in PairSuggestion.objects.values_list("entity_id", "other_id", "band")
        }
        print(f"{'in the queue':<14}{'pairs':>10}{'right':>10}{'precision':>11}{'recall':>8}")
        for band in ["very_likely", "possibly", "all"]:
            pairs = {pair for pair, b in kept.items() if band in ("all", b)}
            hit = pairs & truth
            precision = len(hit) / len(pairs) if pairs else 1.0
            recall = len(hit) / len(truth) if truth else 1.0
            print(f"{band:<14}{len(pairs):>10,}{len(hit):>10,}{precision:>11.3f}{recall:>8.3f}")
    finally:
        from django.db import connections

        connections.close_all()
        processes.stop_all()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
