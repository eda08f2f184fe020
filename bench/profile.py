"""The problem profile at scale: the page's p95, warm cache, at 1 % and 100 % of ~1.5 million rows.

    python bench/profile.py           # or: make bench-profile

Starts a throwaway PostgreSQL (bench/run.py), migrates it, and runs Django in this process with
production settings, as bench/records.py does. It writes concerns, screenings, referrals,
missing episodes, children, people, places and groups, links and disruptions spread over the
last thirteen months: first 1 % of the rows, then the rest. At each size it measures the
profile page for four filter choices with the figures already cached (the page a reader sees
for the minute after someone else opened it), and how long working the figures out takes when
the cache is empty (the first reader in a minute). Figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from records import copy_rows, percentile, setup, team_and_people
from run import machine

from testing.pgserver import Processes

FULL = {
    "children": 30_000,
    "concerns": 250_000,
    "screenings": 200_000,
    "referrals": 150_000,
    "episodes": 250_000,
    "entities": 200_000,
    "links": 400_000,
    "disruptions": 20_000,
}
ETHNICITIES = ["white-british", "asian-pakistani", "black-african", "mixed-other", "not-known", ""]
NATIONALITIES = ["GB", "GB", "GB", "PL", "RO", "AF", "not-known", ""]
SEXES = ["female", "male", "not-known", ""]
TARGET = 0.300  # seconds: p95 of the page with a warm cache


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(max(id), 0) + 1 FROM {table}")  # noqa: S608  (our names)
        return int(cursor.fetchone()[0])


def generate(rng: random.Random, share: float, worker: Any, other: Any) -> dict[str, int]:
    """`share` of ~1.5 million rows, dated over the last thirteen months."""
    from django.db import connection
    from django.utils import timezone

    size = float(os.environ.get("PROFILE_SCALE", "1"))  # a quick trial run: 0.05
    n = {name: max(1, int(count * share * size)) for name, count in FULL.items()}
    now = timezone.now()
    teams = [worker, other]

    def when() -> Any:
        return now - timedelta(minutes=rng.randrange(60 * 24 * 395))

    first = {t: _next_id(t) for t in ["cases_child", "links_entity"]}
    children = range(first["cases_child"], first["cases_child"] + n["children"])
    copy_rows(
        "cases_child",
        [
            "id",
            "first_name",
            "last_name",
            "learning_disability",
            "team_id",
            "created_by_id",
            "created_at",
            "in_care",
            "version",
            "sex",
            "ethnicity",
            "nationality",
            "nhs_number",
            "address",
            "date_of_birth",
        ],
        (
            (
                pk,
                "A",
                "B",
                rng.choice(["yes", "no", "not_known"]),
                teams[pk % 2].team_id,
                teams[pk % 2].pk,
                when(),
                rng.random() < 0.2,
                1,
                rng.choice(SEXES),
                rng.choice(ETHNICITIES),
                rng.choice(NATIONALITIES),
                "",
                "",
                (now - timedelta(days=rng.randrange(3000, 6500))).date()
                if rng.random() < 0.8
                else None,
            )
            for pk in children
        ),
    )

    def concerns() -> Iterator[tuple[Any, ...]]:
        for _ in range(n["concerns"]):
            received = when()
            decided = rng.random() < 0.8
            yield (
                "TS-" + uuid.uuid4().hex[:12],
                uuid.uuid4(),
                received,
                rng.choice(["young_person", "friend", "parent", "professional", "public"]),
                rng.choice(["now", "soon", "not_urgent", "not_sure"]),
                "",
                teams[rng.randrange(2)].team_id,
                received + timedelta(days=1),
                rng.choice(["immediate", "high", "routine", ""]),
                rng.choice(["nfa", "advice", "screening", "strategy"]) if decided else "",
                received + timedelta(hours=rng.choice([2, 20, 30])) if decided else None,
                False,
            )

    copy_rows(
        "concerns_concern",
        [
            "reference",
            "submission_key",
            "received_at",
            "reporter_kind",
            "stated_urgency",
            "sealed",
            "team_id",
            "decision_due_at",
            "triage_urgency",
            "decision",
            "decided_at",
            "restricted",
        ],
        concerns(),
    )
    copy_rows(
        "screening_screening",
        [
            "screened_at",
            "learning_disability",
            "sealed",
            "suggested_level",
            "enough_known",
            "immediate_referral",
            "overrides",
            "judgement",
            "child_id",
            "screened_by_id",
            "at_least",
            "criminal",
            "exploiters",
            "overrule_reason",
        ],
        (
            (
                when(),
                "no",
                "",
                "",
                True,
                False,
                "[]",
                rng.choice(["none", "emerging", "moderate", "significant"]),
                rng.choice(children),
                worker.pk,
                "none",
                False,
                "[]",
                "",
            )
            for _ in range(n["screenings"])
        ),
    )

    def referrals() -> Iterator[tuple[Any, ...]]:
        for _ in range(n["referrals"]):
            made = when()
            decided = rng.random() < 0.7
            yield (
                made,
                "given",
                "share",
                "",
                made + timedelta(days=1),
                rng.choice(["protection", "s47", "s17", "early_help", "nfa"]) if decided else "",
                made + timedelta(hours=rng.choice([3, 23, 30])) if decided else None,
                rng.choice(children),
                worker.pk,
                worker.team_id,
            )

    copy_rows(
        "referrals_referral",
        [
            "created_at",
            "consent",
            "decision",
            "sealed",
            "decision_due_at",
            "outcome",
            "outcome_at",
            "child_id",
            "referrer_id",
            "referrer_team_id",
        ],
        referrals(),
    )

    def episodes() -> Iterator[tuple[Any, ...]]:
        often = children[: max(1, len(children) // 10)]  # a tenth of the children, most episodes
        for _ in range(n["episodes"]):
            began = when()
            ended = began + timedelta(hours=rng.choice([4, 20, 50]))
            interview = rng.choice(["", "offered", "done", "declined"])
            at = ended + timedelta(hours=rng.choice([10, 60, 90])) if interview else None
            yield (
                began,
                ended,
                "Carer",
                "",
                "",
                "",
                interview,
                at,
                "",
                1,
                rng.choice(often if rng.random() < 0.6 else children),
                worker.pk,
            )

    copy_rows(
        "cases_missingepisode",
        [
            "started_at",
            "ended_at",
            "reported_by",
            "police_reference",
            "where_found",
            "who_with",
            "interview",
            "interview_at",
            "declined_reason",
            "version",
            "child_id",
            "recorded_by_id",
        ],
        episodes(),
    )
    kinds = ["person", "person", "place", "place", "group", "vehicle", "phone"]
    entities = range(first["links_entity"], first["links_entity"] + n["entities"])
    copy_rows(
        "links_entity",
        [
            "id",
            "kind",
            "label",
            "normalised",
            "place_kind",
            "details",
            "created_at",
            "version",
            "created_by_id",
            "team_id",
            "numbers",
            "aliases",
            "ethnicity",
            "nationality",
            "sex",
            "age_low",
        ],
        (
            (
                pk,
                kinds[pk % 7],
                f"E{pk}",
                f"e{pk}",
                "house" if kinds[pk % 7] == "place" else "",
                "",
                when(),
                1,
                teams[pk % 2].pk,
                teams[pk % 2].team_id,
                "",
                "",
                rng.choice(ETHNICITIES) if kinds[pk % 7] == "person" else "",
                rng.choice(NATIONALITIES) if kinds[pk % 7] == "person" else "",
                rng.choice(SEXES) if kinds[pk % 7] == "person" else "",
                rng.choice([None, 17, 22, 30, 41, 50]) if kinds[pk % 7] == "person" else None,
            )
            for pk in entities
        ),
    )
    copy_rows(
        "links_link",
        ["nature", "linked_on", "source", "created_at", "created_by_id", "entity_id", "child_id"],
        (
            (
                "seen with",
                when().date(),
                "police",
                now,
                worker.pk,
                rng.choice(entities),
                rng.choice(children),
            )
            for _ in range(n["links"])
        ),
    )
    copy_rows(
        "links_disruption",
        ["kind", "started_on", "review_on", "details", "created_at", "created_by_id", "entity_id"],
        (
            (
                rng.choice(["cawn", "sro", "closure", "other"]),
                when().date(),
                now.date(),
                "",
                now,
                worker.pk,
                rng.choice(entities),
            )
            for _ in range(n["disruptions"])
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return n


def rows_now() -> int:
    from django.db import connection

    tables = [
        "cases_child",
        "concerns_concern",
        "screening_screening",
        "referrals_referral",
        "cases_missingepisode",
        "links_entity",
        "links_link",
        "links_disruption",
    ]
    with connection.cursor() as cursor:
        counts = " + ".join(f"(SELECT count(*) FROM {t})" for t in tables)  # noqa: S608  (ours)
        cursor.execute(f"SELECT {counts}")
        return int(cursor.fetchone()[0])


VARIANTS = ["", "?by=quarter", "?team={team}", "?team={team}&by=quarter"]


def _query(path: str) -> dict[str, str]:
    query = path.partition("?")[2]
    return dict(pair.split("=") for pair in query.split("&") if pair)


def measure(worker: Any, samples: int) -> dict[str, list[float]]:
    from django.core.cache import cache
    from django.test import Client
    from records import _sign_in

    from seethesigns.problemprofile import figures
    from seethesigns.problemprofile.forms import FilterForm

    client = Client()
    _sign_in(client, worker)
    # Each filter choice is its own cache entry; with figures that take long to work out, more
    # choices than fit in a minute would keep the bench working them out instead of measuring.
    variants = VARIANTS[: int(os.environ.get("PROFILE_VARIANTS", len(VARIANTS)))]
    paths = ["/pro/profile/" + v.format(team=worker.team_id) for v in variants]
    keys = [f"problemprofile:{FilterForm(_query(path)).filters().key}" for path in paths]
    times: dict[str, list[float]] = {"profile page, warm cache": [], "figures, empty cache": []}
    cache.clear()
    for i in range(samples):
        path = paths[i % len(paths)]
        if cache.get(keys[i % len(paths)]) is None:
            client.get(path)  # the first reader in a minute works the figures out: not timed
        started = time.perf_counter()
        response = client.get(path)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"bench: {path} answered {response.status_code}")
        times["profile page, warm cache"].append(elapsed)
    for path in paths[:1] * 3:
        f = FilterForm(_query(path)).filters()
        started = time.perf_counter()
        figures.profile(f)
        times["figures, empty cache"].append(time.perf_counter() - started)
    return times


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="seethesigns-profile-"))
    work.chmod(0o755)
    processes = Processes()
    samples = int(os.environ.get("PROFILE_SAMPLES", "200"))
    try:
        try:
            print(f"Machine: {machine()}")
        except OSError:
            print(f"Machine: {os.cpu_count()} CPUs")
        setup(work, processes)
        rng = random.Random(19)  # noqa: S311  (test data, not secrets)
        worker, other, _ = team_and_people()
        results = []
        for share in (0.01, 0.99):
            started = time.perf_counter()
            made = generate(rng, share, worker, other)
            print(
                f"Generated {sum(made.values()):,} rows in {time.perf_counter() - started:.0f} s; "
                f"now {rows_now():,} rows"
            )
            results.append((rows_now(), measure(worker, samples)))
        report(results, samples)
    finally:
        from django.db import connections

        connections.close_all()
        processes.stop_all()
        import shutil

        shutil.rmtree(work, ignore_errors=True)


def report(results: list[tuple[int, dict[str, list[float]]]], samples: int) -> None:
    (small_rows, small), (big_rows, big) = results
    print(f"\n{samples} page requests at each size (cache warm), 3 empty-cache runs")
    print(
        f"{'measure':<26}{'p50 ' + f'{small_rows:,}':>14}{'p95 ' + f'{small_rows:,}':>14}"
        f"{'p50 ' + f'{big_rows:,}':>18}{'p95 ' + f'{big_rows:,}':>18}"
        f"{'p95 ratio':>11}{'target':>9}"
    )
    failed = False
    for name in small:
        target = TARGET if name.startswith("profile page") else None
        p95_small, p95_big = percentile(small[name], 0.95), percentile(big[name], 0.95)
        met = target is None or p95_big <= target
        failed |= not met
        print(
            f"{name:<26}{1000 * statistics.median(small[name]):>11.1f} ms"
            f"{1000 * p95_small:>11.1f} ms"
            f"{1000 * statistics.median(big[name]):>15.1f} ms{1000 * p95_big:>15.1f} ms"
            f"{p95_big / p95_small:>11.2f}{'' if target is None else f'{1000 * target:.0f} ms':>9}"
            f"{'' if met else '  MISSED'}"
        )
    if failed:
        raise SystemExit("bench: a target was missed")


if __name__ == "__main__":
    main()
