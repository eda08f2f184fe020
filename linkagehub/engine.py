"""The full re-linkage's job on Apache Spark: every encoding compared with every other
partnership's of its kind that shares a block key, each pair once, scored with pprl.compare.

No Django here: the job reads the Parquet files `linkagehub.relink.snapshot()` writes (the
national bench's hold the same columns) and runs in Spark's Python workers. pyspark is
imported when the job runs; it is installed with requirements/bench.txt, not by `make run`.

The files hold one row an encoding: `id` (int64), `partnership` (int64), `kind` (string),
`fields` (map of field name to the filter's bytes), `blocks` (list of block keys), and, for the
bench only, `truth` (int64, the entity it was made from).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pprl.blocks import Member, by_block, pairs
from pprl.compare import DEFAULT_THRESHOLDS, score

MATCHED = "a long, b long, kind string, probability double, band string, same boolean"
COLUMNS = [column.split()[0] for column in MATCHED.split(", ")]


@dataclass
class Job:
    matches: Any  # a Spark DataFrame of the pairs at "possibly" or above (MATCHED)
    compared: Any  # a Spark accumulator: pairs scored, read once the matches are collected
    left_out: list[tuple[str, int]]  # block keys held by more than `max_block`, and how many


def matched_pairs(
    batches: Iterator[Any], params: Mapping[str, Any], compared: Any = None
) -> Iterator[Any]:
    """Score the pairs of each block key in the rows (sorted by kind and block key), yielding
    those at "possibly" or above as pandas frames of MATCHED. `params`: the hub's parameters by
    kind (None for pprl's shipped ones). `compared` (a Spark accumulator) counts pairs scored."""
    import pandas as pd  # type: ignore[import-untyped]

    scored = 0
    found: list[tuple[int, int, str, float, str, bool]] = []

    def rows() -> Iterator[tuple[str, str, Member]]:
        for batch in batches:
            truth = batch["truth"] if "truth" in batch else [0] * len(batch)
            for kind, block, id_, partnership, fields, blocks, made_of in zip(
                batch["kind"], batch["block"], batch["id"], batch["partnership"],
                batch["fields"], batch["blocks"], truth, strict=True,
            ):  # fmt: skip
                yield (
                    kind,
                    block,
                    Member(
                        int(id_), int(partnership), dict(fields), frozenset(blocks), int(made_of)
                    ),
                )

    for kind, block, members in by_block(rows()):
        for a, b in pairs(block, members):
            result = score(kind, a.fields, b.fields, thresholds=DEFAULT_THRESHOLDS,
                           params=params.get(kind))  # fmt: skip
            scored += 1
            if result.band:
                same = a.truth == b.truth and a.truth != 0
                found.append((a.id, b.id, kind, result.probability, result.band, same))
        if len(found) >= 5000:
            yield pd.DataFrame(found, columns=COLUMNS)
            found = []
    if compared is not None:
        compared.add(scored)
    yield pd.DataFrame(found, columns=COLUMNS)


def job(spark: Any, stored: Any, params: Mapping[str, Any], max_block: int) -> Job:
    """The re-linkage of the encodings in `stored` (a DataFrame with the columns above, read
    from the snapshot's Parquet files), as a lazy DataFrame of matches."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keyed = stored.select("*", F.explode("blocks").alias("block"))
    # A block key held by more encodings than the hub compares for one arrival is too common to
    # help: left out, as the hub leaves it out (none is, with pprl's block keys).
    left_out = [
        (row["block"], row["count"])
        for row in keyed.groupBy("kind", "block")
        .count()
        .where(F.col("count") > max_block)
        .collect()
    ]
    blocks = F.col("blocks")
    if left_out:
        keyed = keyed.where(~F.col("block").isin([block for block, _ in left_out]))
        blocks = F.array_except("blocks", F.array(*[F.lit(block) for block, _ in left_out]))
    columns = ["kind", "block", "id", "partnership", "fields", blocks.alias("blocks")]
    if "truth" in stored.columns:
        columns.append("truth")
    # One shuffle: each block key's rows together and sorted, each encoding's fields once a key
    # it holds (a join of pairs would move two encodings' fields for every pair). Keys held by
    # one partnership only give no pair and are dropped before the Python workers see them.
    key = Window.partitionBy("kind", "block")
    grouped = (
        keyed.select(*columns)
        .withColumn("low", F.min("partnership").over(key))
        .withColumn("high", F.max("partnership").over(key))
        .where(F.col("low") != F.col("high"))
        .drop("low", "high")
    )
    compared = spark.sparkContext.accumulator(0)
    chosen = dict(params)

    def score_partition(batches: Iterator[Any]) -> Iterator[Any]:
        return matched_pairs(batches, chosen, compared)

    return Job(grouped.mapInPandas(score_partition, MATCHED), compared, left_out)
