"""Compare everything the hub holds again on a Spark cluster, and bring the matches into line.

    python -m linkagehub relink --master spark://spark-master:7077 [--kind person ...] [--work DIR]

Needs pyspark (`pip install -r requirements/bench.txt`) and Java 17 where it runs; the cluster's
workers need this repository (or the hub's package) on their Python path. Steps and what is left
alone are in linkagehub/relink.py; the deployment in docs/scale.md.
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from linkagehub import engine
from linkagehub.relink import Found, parameters, reconcile, snapshot
from pprl.schema import KINDS


class Command(BaseCommand):
    help = "Compare every held encoding again on Apache Spark and raise or withdraw matches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--master", required=True, help="the Spark master, spark://host:7077")
        parser.add_argument(
            "--kind", action="append", choices=KINDS, help="only this kind (repeatable)"
        )
        parser.add_argument("--work", help="a folder for the snapshot (default: a temporary one)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise CommandError(
                "relink needs pyspark and Java 17: pip install -r requirements/bench.txt"
            ) from None
        kinds = options["kind"] or list(KINDS)
        # Spark's Python workers run this interpreter (with pprl and its dependencies) unless told.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        work = Path(options["work"] or tempfile.mkdtemp(prefix="hub-relink-"))
        started = time.perf_counter()
        try:
            since, files = snapshot(work / "snapshot", kinds)
            if not files:
                self.stdout.write("Nothing held of those kinds: nothing to compare.")
                return
            spark = (
                SparkSession.builder.master(options["master"])
                .appName("linkage hub re-linkage")
                .config("spark.executorEnv.PYTHONPATH", str(settings.BASE_DIR))
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            )
            try:
                stored = spark.read.parquet(*[str(f) for f in files])
                job = engine.job(spark, stored, parameters(kinds), settings.HUB_MAX_CANDIDATES)
                found = (
                    Found(row["a"], row["b"], row["kind"], row["probability"], row["band"])
                    for row in job.matches.toLocalIterator()
                )
                done = reconcile(found, since, kinds, complete=not job.left_out)
                compared = job.compared.value
            finally:
                spark.stop()
        finally:
            if not options["work"]:
                shutil.rmtree(work, ignore_errors=True)
        self.stdout.write(
            f"Compared {compared:,} pairs in {time.perf_counter() - started:.0f} s: "
            f"{done.raised} matches raised, {done.changed} changed, {done.withdrawn} withdrawn, "
            f"{done.skipped} left to their arrival (sent or changed since the snapshot)"
            + (
                f"; {len(job.left_out)} block keys held by more than "
                f"{settings.HUB_MAX_CANDIDATES:,} encodings were left out, so none was withdrawn"
                if job.left_out
                else ""
            )
        )
