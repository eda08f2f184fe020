"""The full re-linkage: everything the hub holds compared again on Apache Spark, and the hub's
matches brought into line with what the job finds (`python -m linkagehub relink`).

Run it when what a match means changes for everything at once: new parameters for a kind, new
thresholds or comparison code. `set_parameters --rematch` does the same through the hub's own
matching, an encoding at a time, which suits thousands of encodings, not millions
(docs/scale.md). Three steps:

1. `snapshot()`: the encodings of active partnerships with their block keys, into Parquet files
   (`linkagehub.engine` reads them), and the moment it started;
2. `linkagehub.engine.job()`: on the Spark cluster, the pairs at "possibly" or above;
3. `reconcile()`: each pair found raised (or its strength changed) and each live match not found
   withdrawn, through `linkagehub.matching`, so both sides are told as on arrival. An encoding
   sent, changed or withdrawn after the snapshot is left alone: its arrival matched it already.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkagehub import matching
from linkagehub.models import BlockKey, Encoding, Match

log = logging.getLogger(__name__)
FILE_ROWS = 20_000  # encodings a Parquet file
RECONCILE_BATCH = 500  # pairs a transaction
# An upload stamps its encodings before it commits, and hosts' clocks differ a little: what was
# stamped less than this before the snapshot began is taken as changed since, left to its arrival.
MARGIN = timedelta(minutes=10)


@dataclass(frozen=True)
class Found:
    """A pair the job found: two encoding ids (the lower first), the kind, how strong."""

    a: int
    b: int
    kind: str
    probability: float
    band: str


@dataclass
class Reconciled:
    raised: int = 0
    changed: int = 0
    withdrawn: int = 0
    skipped: int = 0  # pairs with an encoding sent, changed or withdrawn since the snapshot
    kept: bool = False  # nothing withdrawn: the job left block keys out (see reconcile)


def snapshot(folder: Path, kinds: Iterable[str]) -> tuple[datetime, list[Path]]:
    """Write the active partnerships' encodings of `kinds` with their block keys to Parquet files
    in `folder`; return the moment before which an encoding is taken as unchanged (when the
    snapshot began, less MARGIN) and the files."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    schema = pa.schema(
        [
            ("id", pa.int64()),
            ("partnership", pa.int64()),
            ("kind", pa.string()),
            ("fields", pa.map_(pa.string(), pa.binary())),
            ("blocks", pa.list_(pa.string())),
        ]
    )
    started = timezone.now() - MARGIN
    folder.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    last = 0
    held = Encoding.objects.filter(kind__in=list(kinds), partnership__active=True).order_by("pk")
    while True:
        chunk = list(
            held.filter(pk__gt=last).values("pk", "partnership_id", "kind", "fields")[:FILE_ROWS]
        )
        if not chunk:
            return started, files
        last = chunk[-1]["pk"]
        blocks: dict[int, list[str]] = {row["pk"]: [] for row in chunk}
        for encoding_id, key in BlockKey.objects.filter(encoding_id__in=list(blocks)).values_list(
            "encoding_id", "key"
        ):
            blocks[encoding_id].append(key)
        table = pa.table(
            {
                "id": [row["pk"] for row in chunk],
                "partnership": [row["partnership_id"] for row in chunk],
                "kind": [row["kind"] for row in chunk],
                "fields": [
                    [(name, base64.b64decode(value)) for name, value in row["fields"].items()]
                    for row in chunk
                ],
                "blocks": [sorted(blocks[row["pk"]]) for row in chunk],
            },
            schema=schema,
        )
        path = folder / f"encodings-{len(files):05}.parquet"
        pq.write_table(table, path, compression="zstd")
        files.append(path)


def reconcile(
    found: Iterable[Found], since: datetime, kinds: Iterable[str], *, complete: bool = True
) -> Reconciled:
    """Bring the hub's live matches of `kinds` into line with the pairs the job found.

    `complete` False (the job left out block keys held by more encodings than an arrival
    compares): matches are raised and changed but none is withdrawn, since a live match may share
    only a key the job did not look at (arrival matching always keeps its live matches)."""
    done = Reconciled(kept=not complete)
    kinds = list(kinds)
    seen: set[int] = set()  # a pair as one int: a few bytes, not a tuple's hundred and fifty
    batch: list[Found] = []
    for pair in found:
        seen.add(_key(pair.a, pair.b))
        batch.append(pair)
        if len(batch) >= RECONCILE_BATCH:
            _raise(batch, since, done)
            batch = []
    if batch:
        _raise(batch, since, done)
    if not complete:
        return done
    # Live matches the job did not find, between encodings both unchanged since the snapshot
    # (checked again under the lock: an upload may have come in the meantime).
    unchanged = Match.objects.filter(
        withdrawn__isnull=True, kind__in=kinds, created__lt=since, a__updated__lt=since,
        b__updated__lt=since,
    )  # fmt: skip
    gone = [
        pk
        for pk, a, b in unchanged.values_list("pk", "a_id", "b_id").iterator()
        if a is not None and b is not None and _key(min(a, b), max(a, b)) not in seen
    ]
    for start in range(0, len(gone), RECONCILE_BATCH):
        with transaction.atomic():
            for match in (
                unchanged.filter(pk__in=gone[start : start + RECONCILE_BATCH])
                .order_by("pk")  # the order arrivals lock in
                .select_for_update(of=("self",))
            ):
                matching._withdraw_match(match)
                done.withdrawn += 1
    return done


def _key(a: int, b: int) -> int:
    return a << 64 | b


def _raise(batch: list[Found], since: datetime, done: Reconciled) -> None:
    with transaction.atomic():
        ids = {i for pair in batch for i in (pair.a, pair.b)}
        # Locked, in pk order: an upload of one of them waits, or has committed and is seen as
        # changed since the snapshot.
        encodings = {
            e.pk: e
            for e in Encoding.objects.filter(pk__in=ids)
            .select_related("partnership")
            .order_by("pk")
            .select_for_update(of=("self",))
        }
        live = matching._live_matches(sorted(ids))
        for pair in batch:
            a, b = encodings.get(pair.a), encodings.get(pair.b)
            if (
                a is None
                or b is None
                or a.updated >= since
                or b.updated >= since
                or not (a.partnership.active and b.partnership.active)
            ):
                done.skipped += 1
                continue
            existing = live.get(a.pk, {}).get(b.pk)
            if existing is None:
                done.raised += matching._create(a, b, pair.probability, pair.band)
            elif existing.band != pair.band:
                matching._restrength(existing, pair.kind, pair.probability, pair.band)
                done.changed += 1


def parameters(kinds: Iterable[str]) -> dict[str, Any]:
    """What the hub scores each kind with now (`linkagehub.matching.parameters`)."""
    return {kind: matching.parameters(kind) for kind in kinds}
