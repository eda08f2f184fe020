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
from datetime import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from linkagehub import matching
from linkagehub.models import BlockKey, Encoding, Match

log = logging.getLogger(__name__)
FILE_ROWS = 20_000  # encodings a Parquet file
RECONCILE_BATCH = 500  # pairs a transaction


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


def snapshot(folder: Path, kinds: Iterable[str]) -> tuple[datetime, list[Path]]:
    """Write the active partnerships' encodings of `kinds` with their block keys to Parquet files
    in `folder`; return when the snapshot started and the files."""
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
    started = timezone.now()
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


def reconcile(found: Iterable[Found], since: datetime, kinds: Iterable[str]) -> Reconciled:
    """Bring the hub's live matches of `kinds` into line with the pairs the job found."""
    done = Reconciled()
    kinds = list(kinds)
    seen: set[tuple[int, int]] = set()
    batch: list[Found] = []
    for pair in found:
        seen.add((pair.a, pair.b))
        batch.append(pair)
        if len(batch) >= RECONCILE_BATCH:
            _raise(batch, since, done)
            batch = []
    if batch:
        _raise(batch, since, done)
    # Live matches the job did not find, between encodings both unchanged since the snapshot.
    live = Match.objects.filter(
        withdrawn__isnull=True, kind__in=kinds, created__lt=since, a__updated__lt=since,
        b__updated__lt=since,
    ).values_list("pk", "a_id", "b_id")  # fmt: skip
    gone = [pk for pk, a, b in live.iterator() if (min(a, b), max(a, b)) not in seen]
    for start in range(0, len(gone), RECONCILE_BATCH):
        with transaction.atomic():
            for match in Match.objects.filter(
                pk__in=gone[start : start + RECONCILE_BATCH], withdrawn__isnull=True
            ).select_for_update():
                matching._withdraw_match(match)
                done.withdrawn += 1
    return done


def _raise(batch: list[Found], since: datetime, done: Reconciled) -> None:
    with transaction.atomic():
        ids = {i for pair in batch for i in (pair.a, pair.b)}
        encodings = Encoding.objects.select_related("partnership").in_bulk(list(ids))
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
                existing.band, existing.probability = pair.band, pair.probability
                existing.save(update_fields=["band", "probability"])
                matching._raise_events(existing, "raised")
                done.changed += 1


def parameters(kinds: Iterable[str]) -> dict[str, Any]:
    """The parameters the hub scores each kind with now (None: pprl's shipped ones)."""
    return {kind: matching.parameters(kind) for kind in kinds}
