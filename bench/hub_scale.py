"""make bench-hub: the linkage hub at national scale (issue 21), in one run.

    python bench/hub_scale.py      # 150 partnerships x 20,000 entities = 3,000,000 encodings

Generates the entities 150 partnerships hold (people of concern, children, phones, vehicles,
handles; one in ten is also held, written differently, by other partnerships, more often by a
neighbour) and encodes each with `pprl.encode` and a shared key. The encodings are kept under
var/bench-hub/ so that a second run does not pay for them again (the folder's name changes with
pprl/encode.py and with this generator). Then, with the store at 1 %, 10 % and 100 % (the first
partnerships to join, in order):

(a) the hub: a throwaway PostgreSQL (bench/run.py) holds the hub's tables, filled with the store;
    a few hundred new encodings arrive one by one through the hub's own matching code
    (`linkagehub`), and the bench prints the p50 and p95 of the time each takes to be matched;
(b) the full re-linkage of everything on Apache Spark: a standalone master and two workers (one
    core each) on 127.0.0.1, started and stopped by the bench, running the hub's own re-linkage
    job (`linkagehub.engine`, which `python -m linkagehub relink` runs): each block key's
    encodings brought together (one shuffle, sorted by key), and those of the same kind held by
    different partnerships compared in a pandas UDF on the workers (`mapInPandas`,
    `pprl.compare.score`; each pair once, in the lowest key the two share); the matches are
    counted against the truth.

It prints how each cost grows from 1 % to 100 %, side by side. Everything it started is stopped by
PID. Environment: HUB_PARTNERSHIPS (150), HUB_PER_PARTNERSHIP (20000), HUB_FRACTIONS
("0.01,0.1,1"), HUB_ARRIVALS (300), HUB_SKIP ("hub" or "spark" to leave one half out),
BENCH_KEEP=1 (keep the work folder). Figures go to docs/scale.md and docs/benchmarks.md.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import logging
import math
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404  (runs Spark's own launcher)
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from people import SURNAMES
from records import KINDS, rewritten, whole
from run import machine, start_postgres

from testing.liveserver import free_port
from testing.pgserver import Processes

ROOT = Path(__file__).resolve().parent.parent

PARTNERSHIPS = int(os.environ.get("HUB_PARTNERSHIPS", "150"))
PER_PARTNERSHIP = int(os.environ.get("HUB_PER_PARTNERSHIP", "20000"))
FRACTIONS = [float(x) for x in os.environ.get("HUB_FRACTIONS", "0.01,0.1,1").split(",")]
ARRIVALS = int(os.environ.get("HUB_ARRIVALS", "300"))
SKIP = set(os.environ.get("HUB_SKIP", "").split(","))
# The hub compares at most this many candidates for one arrival (linkagehub HUB_MAX_CANDIDATES).
MAX_BLOCK = int(os.environ.get("HUB_MAX_CANDIDATES", "5000"))

GENERATOR = "3"  # change when the generated entities change, so the cache is made again
KEY = b"bench-hub: the partnerships' shared encoding key (a fixed one, for the bench only)"
ON = date(2026, 11, 1)
# What a partnership sends: its people of concern, children who went missing or are placed out
# of area, and the phones, vehicles and handles linked to them.
KIND_SHARE = [("person", 0.4), ("child", 0.1), ("phone", 0.2), ("vehicle", 0.15), ("handle", 0.15)]
TRAVELLING = 0.1  # one entity in ten is also known to other partnerships
NEIGHBOURS = 10  # partnerships in a region; half the travelling entities stay in theirs
HELD_BY = 2.5  # partnerships holding a travelling entity, on average
CACHE = ROOT / "var" / "bench-hub"
STORED_AT = "2026-11-01T00:00:00Z"

SCHEMA = pa.schema(
    [
        ("seq", pa.int64()),
        ("partnership", pa.int32()),
        ("ref", pa.string()),
        ("kind", pa.string()),
        ("identity", pa.int64()),
        ("fields", pa.map_(pa.string(), pa.binary())),
        ("blocks", pa.list_(pa.string())),
    ]
)


# ---- The entities and their encodings ---------------------------------------------------------


def kind_of(identity: int) -> str:
    """The kind of a travelling entity, the same whichever partnership draws it."""
    roll = random.Random(identity * 7919 + 1).random()  # noqa: S311  (test data)
    for kind, share in KIND_SHARE:
        if roll < share:
            return kind
        roll -= share
    return KIND_SHARE[-1][0]


def original(identity: int, kind: str) -> Any:
    """The entity as it really is: a Record for people and children, else the value."""
    rng = random.Random(identity)  # noqa: S311  (test data)
    if kind in ("person", "child"):
        record = whole(kind, rng)
        # A national population: surnames from about 2,500 (records.LAST alone has 53).
        last = record.names[0].split(" ", 1)[1]
        surname = rng.choice(SURNAMES)
        return replace(record, names=tuple(n.replace(last, surname) for n in record.names))
    make, _ = KINDS[kind]
    return make(rng)


def written(kind: str, entity: Any, rng: random.Random, again: bool) -> dict[str, Any]:
    """What `pprl.encode` is given: as first recorded, or as another partnership wrote it."""
    if kind in ("person", "child"):
        record = rewritten(entity, rng, ON) if again else entity
        identifiers = asdict(record)
        identifiers.pop("nhs_number")  # not one of the hub's identifiers
        return identifiers
    _, vary = KINDS[kind]
    return {"value": vary(entity, rng) if again and rng.random() < 0.7 else entity}


def travelling_pool() -> int:
    return max(NEIGHBOURS, int(PARTNERSHIPS * PER_PARTNERSHIP * TRAVELLING / HELD_BY))


def plan(partnership: int) -> Iterator[tuple[int, str, Any, bool]]:
    """(identity, kind, entity, written again) for each of one partnership's entities."""
    rng = random.Random(1_000_003 * (partnership + 1))  # noqa: S311  (test data)
    pool = travelling_pool()
    region = partnership // NEIGHBOURS
    regions = math.ceil(PARTNERSHIPS / NEIGHBOURS)
    per_region = pool // regions
    seen: set[int] = set()
    for j in range(PER_PARTNERSHIP):
        if rng.random() < TRAVELLING:
            if rng.random() < 0.5:
                identity = 10**12 + region * per_region + rng.randrange(per_region)
            else:
                identity = 10**12 + rng.randrange(pool)
            if identity not in seen:
                seen.add(identity)
                kind = kind_of(identity)
                yield identity, kind, original(identity, kind), True
                continue
        # Held here only (as far as the truth goes: two people may still share a name).
        identity = partnership * PER_PARTNERSHIP + j
        roll, kind = rng.random(), KIND_SHARE[-1][0]
        for name, share in KIND_SHARE:
            if roll < share:
                kind = name
                break
            roll -= share
        yield identity, kind, original(identity, kind), False


def generate_one(partnership: int, folder: str) -> int:
    """Encode one partnership's entities into FOLDER/p<n>.parquet; return how many."""
    from pprl.encode import encode

    rng = random.Random(partnership)  # noqa: S311  (test data)
    columns: dict[str, list[Any]] = {name: [] for name in SCHEMA.names}
    for j, (identity, kind, entity, again) in enumerate(plan(partnership)):
        encoded = encode(kind, written(kind, entity, rng, again), KEY)
        columns["seq"].append(partnership * PER_PARTNERSHIP + j)
        columns["partnership"].append(partnership)
        columns["ref"].append(f"{rng.getrandbits(128):032x}")
        columns["kind"].append(kind)
        columns["identity"].append(identity)
        columns["fields"].append(list(encoded.fields.items()))
        columns["blocks"].append(list(encoded.blocks))
    path = Path(folder) / f"p{partnership:03}.parquet"
    partial = path.with_suffix(".partial")
    pq.write_table(pa.table(columns, schema=SCHEMA), partial, compression="zstd")
    partial.rename(path)
    return len(columns["seq"])


def cache_folder() -> Path:
    """var/bench-hub/<what made the encodings>: pprl's encoder, this generator and the sizes."""
    import pprl.encode

    source = Path(pprl.encode.__file__).read_bytes()
    made_by = hashlib.sha256(source + GENERATOR.encode() + KEY).hexdigest()[:12]
    return CACHE / f"{PARTNERSHIPS}x{PER_PARTNERSHIP}-{made_by}"


def encodings() -> list[Path]:
    """Each partnership's file of encodings, generated now for those not in the cache yet."""
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"p{p:03}.parquet" for p in range(PARTNERSHIPS)]
    missing = [p for p in range(PARTNERSHIPS) if not files[p].exists()]
    if missing:
        print(f"Encoding {len(missing) * PER_PARTNERSHIP:,} entities into {folder} ...", flush=True)
        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
            done = 0
            for n in pool.imap_unordered(_generate, [(p, str(folder)) for p in missing]):
                done += n
                if done // PER_PARTNERSHIP % 10 == 0:
                    print(f"  {done:,} encoded, {time.perf_counter() - started:.0f} s", flush=True)
        seconds = time.perf_counter() - started
        print(f"Encoded in {seconds:.0f} s ({1e6 * seconds / done:.0f} us of wall time an entity)")
    else:
        print(f"Encodings from the cache: {folder}")
    return files


def _generate(job: tuple[int, str]) -> int:
    return generate_one(*job)


def rows_at(fraction: float) -> int:
    return round(fraction * PARTNERSHIPS * PER_PARTNERSHIP)


def files_at(files: list[Path], rows: int) -> list[Path]:
    return files[: math.ceil(rows / PER_PARTNERSHIP)]


def true_pairs(files: list[Path], rows: int) -> int:
    """Pairs of records held by different partnerships that are one entity in the truth."""
    counts: dict[int, int] = {}
    for path in files_at(files, rows):
        table = pq.read_table(path, columns=["seq", "identity"])
        for seq, identity in zip(
            table["seq"].to_pylist(), table["identity"].to_pylist(), strict=True
        ):
            if seq < rows and identity >= 10**12:
                counts[identity] = counts.get(identity, 0) + 1
    return sum(n * (n - 1) // 2 for n in counts.values())


# ---- (b) The full re-linkage on Spark ---------------------------------------------------------


@dataclass
class Relinked:
    rows: int
    seconds: float
    candidates: int
    matches: int
    very_likely: int
    true_found: int
    true_pairs: int
    common_blocks: int  # block keys left out, held by more than MAX_BLOCK encodings
    in_common: int  # block-key rows in them


def wait_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"bench: nothing listening on 127.0.0.1:{port} after {seconds} s")


def standard_profile() -> None:
    """Load the standard library's profile module, which pyspark imports (through cProfile):
    bench/profile.py comes first on the path when this file runs as a script."""
    bench = Path(__file__).resolve().parent
    saved = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != bench]
    try:
        import cProfile  # noqa: F401
    finally:
        sys.path[:] = saved


def start_spark(work: Path, processes: Processes) -> str:
    """Spark's standalone master and two one-core workers on loopback; return the master URL."""
    standard_profile()
    import pyspark

    home = Path(pyspark.__file__).parent
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(work / "spark-logs"),
        "SPARK_NO_DAEMONIZE": "1",
        "PYSPARK_PYTHON": sys.executable,
    }
    if not os.environ.get("JAVA_HOME") and Path("/usr/lib/jvm/java-17-openjdk-amd64").exists():
        env["JAVA_HOME"] = "/usr/lib/jvm/java-17-openjdk-amd64"
    port, ui = free_port(), free_port()
    spark_class = str(home / "bin" / "spark-class")
    master = [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
              "--port", str(port), "--webui-port", str(ui)]  # fmt: skip
    log = open(work / "spark-master.log", "w")  # noqa: SIM115 (kept open for the child)
    process = subprocess.Popen(master, env=env, stdout=log, stderr=subprocess.STDOUT)  # nosec B603
    processes.add("spark-master", process.pid)
    wait_port(port)
    url = f"spark://127.0.0.1:{port}"
    for n in (1, 2):
        folder = work / f"spark-worker-{n}"
        folder.mkdir()
        worker = [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1",
                  "--cores", "1", "--memory", "4g", "--webui-port", str(free_port()),
                  "--work-dir", str(folder)]  # fmt: skip
        log = open(work / f"spark-worker-{n}.log", "w")  # noqa: SIM115 (kept open for the child)
        process = subprocess.Popen(worker, env=env, stdout=log, stderr=subprocess.STDOUT)  # nosec B603
        processes.add(f"spark-worker-{n}", process.pid)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5) as response:
                state = json.load(response)
        except (OSError, ValueError):  # the master's web page starts after its port
            state = {}
        if sum(w["state"] == "ALIVE" for w in state.get("workers", [])) == 2:
            return url
        time.sleep(0.5)
    raise SystemExit("bench: Spark's two workers did not register with the master within 90 s")


def relink(spark: Any, files: list[Path], rows: int) -> Relinked:
    """Every encoding against every other partnership's of the same kind sharing a block key:
    the hub's own re-linkage job (`linkagehub.engine.job`, as `python -m linkagehub relink`
    runs it), on the bench's files, with the truth alongside to count what it finds."""
    from pyspark.sql import functions as F

    from linkagehub.engine import job
    from pprl.compare import FIELDS, SHIPPED_FOR, default_parameters, for_size

    started = time.perf_counter()
    stored = (
        spark.read.parquet(*[str(p) for p in files_at(files, rows)])
        .where(F.col("seq") < rows)
        .select(
            F.col("seq").alias("id"),
            F.col("partnership").cast("long"),
            "kind",
            "fields",
            "blocks",
            (F.col("identity") + 1).alias("truth"),  # 0 is "no truth" to the job
        )
    )
    # pprl's shipped parameters, as a hub given none has, the prior scaled to what it holds.
    held = {row["kind"]: row["count"] for row in stored.groupBy("kind").count().collect()}
    params = {
        kind: for_size(default_parameters(kind), SHIPPED_FOR, held.get(kind, 0)) for kind in FIELDS
    }
    ran = job(spark, stored, params, MAX_BLOCK)
    counts = {
        (row["band"], row["same"]): row["count"]
        for row in ran.matches.groupBy("band", "same").count().collect()
    }
    seconds = time.perf_counter() - started
    return Relinked(
        rows=rows,
        seconds=seconds,
        candidates=ran.compared.value,
        matches=sum(counts.values()),
        very_likely=sum(n for (band, _), n in counts.items() if band == "very_likely"),
        true_found=sum(n for (_, same), n in counts.items() if same),
        true_pairs=true_pairs(files, rows),
        common_blocks=len(ran.left_out),
        in_common=sum(n for _, n in ran.left_out),
    )


def spark_session(master: str, work: Path) -> Any:
    from pyspark.sql import SparkSession

    # The executors' Python is the one the driver names in its own environment (this venv's).
    os.environ["PYSPARK_PYTHON"] = sys.executable
    python_path = os.pathsep.join(filter(None, [os.environ.get("PYTHONPATH"), str(ROOT)]))
    return (
        SparkSession.builder.master(master)
        .appName("hub re-linkage (bench)")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "2g")
        .config("spark.executor.memory", "3g")
        .config("spark.executor.cores", "1")
        .config("spark.local.dir", str(work / "spark-local"))
        .config("spark.sql.shuffle.partitions", "32")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000")
        .config("spark.executorEnv.PYTHONPATH", python_path)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )


def spark_half(work: Path, processes: Processes, files: list[Path]) -> list[Relinked]:
    started = time.perf_counter()
    master = start_spark(work, processes)
    spark = spark_session(master, work)
    spark.sparkContext.setLogLevel("ERROR")
    print(f"Spark {spark.version}: master and 2 workers on 127.0.0.1 ({master}), "
          f"up in {time.perf_counter() - started:.0f} s")  # fmt: skip
    results = []
    try:
        relink(
            spark, files, min(PER_PARTNERSHIP, 5000)
        )  # warm up: the JVM's and workers' first job
        for fraction in FRACTIONS:
            result = relink(spark, files, rows_at(fraction))
            print(f"  re-linked {result.rows:,} encodings in {result.seconds:.1f} s: "
                  f"{result.candidates:,} pairs compared, {result.matches:,} matches; "
                  f"{result.common_blocks} block keys over {MAX_BLOCK:,} left out "
                  f"({result.in_common:,} encodings' keys)",
                  flush=True)  # fmt: skip
            results.append(result)
    finally:
        spark.stop()
    return results


# ---- (a) A new encoding matched by the hub ----------------------------------------------------


@dataclass
class Arrived:
    rows: int
    p50_ms: float
    p95_ms: float
    matched: int
    load_seconds: float
    store_mb: float  # the encodings and block keys, with their indexes


def arrivals(files: list[Path], rows: int, seed: int) -> list[tuple[str, dict[str, Any], int]]:
    """ARRIVALS new records from a partnership outside the store: half of them entities the
    store already holds (written their own way), half new ones. (kind, identifiers, identity)"""
    rng = random.Random(seed)  # noqa: S311  (test data)
    held = pq.read_table(files_at(files, rows)[-1], columns=["seq", "kind", "identity"])
    known = [
        (kind, identity)
        for seq, kind, identity in zip(
            *(held[c].to_pylist() for c in held.column_names), strict=True
        )
        if seq < rows
    ]
    made = []
    for n in range(ARRIVALS):
        if n % 2 == 0:
            kind, identity = rng.choice(known)
        else:
            identity, kind = 2 * 10**12 + seed * ARRIVALS + n, rng.choice(KIND_SHARE)[0]
        made.append((kind, written(kind, original(identity, kind), rng, True), identity))
    return made


def hub_env(database_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "linkagehub.settings",
            "HUB_DATABASE_URL": database_url,
            "HUB_CONN_MAX_AGE": "600",
            "HUB_ALLOWED_HOSTS": "testserver,127.0.0.1",
            # One partnership sends every arrival, one request each, as fast as it can.
            "HUB_REQUESTS_PER_MINUTE": "100000000",
            "HUB_ENCODINGS_PER_DAY": "100000000",
        }
    )
    import django

    django.setup()
    logging.getLogger("linkagehub").setLevel(logging.WARNING)  # a line per request otherwise


def copy_store(files: list[Path], start: int, rows: int, partnerships: dict[int, int]) -> None:
    """Write encodings START..ROWS and their block keys into the hub's tables with COPY (what the
    partnerships' first uploads would have left there; the hub's ids follow the sequence)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # As a bulk load is done: the block keys' indexes dropped, then built again in one sort.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'linkagehub_blockkey' "
            "AND indexname NOT LIKE '%%pkey'"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET maintenance_work_mem = '512MB'")
        raw = cursor.connection
        for path in files_at(files, rows):
            table = pq.read_table(path)
            seqs = table["seq"].to_pylist()
            if seqs[-1] < start:
                continue
            # Flat arrays: a map column turned into Python row by row is four times slower.
            fields, blocks = table["fields"].combine_chunks(), table["blocks"].combine_chunks()
            offsets, names = fields.offsets.to_pylist(), fields.keys.to_pylist()
            bits = fields.items.to_pylist()
            block_offsets, keys = blocks.offsets.to_pylist(), blocks.values.to_pylist()
            refs, kinds = table["ref"].to_pylist(), table["kind"].to_pylist()
            partnership = partnerships[table["partnership"][0].as_py()]
            keep = [i for i, seq in enumerate(seqs) if start <= seq < rows]
            with (
                raw.cursor() as c,
                c.copy(
                    "COPY linkagehub_encoding (id, partnership_id, ref, kind, fields, updated) "
                    "FROM STDIN"
                ) as copy,
            ):
                for i in keep:
                    encoded = {
                        names[j]: base64.b64encode(bits[j]).decode()
                        for j in range(offsets[i], offsets[i + 1])
                    }
                    copy.write_row((seqs[i] + 1, partnership, refs[i], kinds[i],
                                    json.dumps(encoded), STORED_AT))  # fmt: skip
            with (
                raw.cursor() as c,
                c.copy(
                    "COPY linkagehub_blockkey (encoding_id, partnership_id, kind, key) FROM STDIN"
                ) as copy,
            ):
                for i in keep:
                    for j in range(block_offsets[i], block_offsets[i + 1]):
                        copy.write_row((seqs[i] + 1, partnership, kinds[i], keys[j]))
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('linkagehub_encoding', 'id'), "
            "GREATEST(MAX(id), %s)) FROM linkagehub_encoding",
            [10 * PARTNERSHIPS * PER_PARTNERSHIP],
        )
        cursor.execute("ANALYZE")


def hub_half(work: Path, processes: Processes, files: list[Path]) -> list[Arrived]:
    """Fill the hub's PostgreSQL store in steps; at each, time new encodings' matching."""
    hub_env(start_postgres(work, processes))
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from pprl.encode import encode
    from pprl.signing import generate_keypair, signed_headers

    call_command("migrate", "--no-input", verbosity=0)
    # By name: the hub is its own Django project, which the app's type checking does not load.
    Match: Any = apps.get_model("linkagehub", "Match")
    Partnership: Any = apps.get_model("linkagehub", "Partnership")
    matching: Any = importlib.import_module("linkagehub.matching")
    private, public = generate_keypair()
    made = Partnership.objects.bulk_create(
        Partnership(slug=f"p{p:03}", name=f"Partnership {p}", coordinator_name="Coordinator",
                    coordinator_phone="0100 000 0000", public_key=public.decode())
        for p in range(PARTNERSHIPS + 1)
    )  # fmt: skip
    partnerships = {p: made[p].pk for p in range(PARTNERSHIPS)}
    newcomer = made[PARTNERSHIPS].slug  # sends every arrival: held by none of the others
    client = Client()
    results = []
    loaded = 0
    for step, fraction in enumerate(FRACTIONS):
        rows = rows_at(fraction)
        started = time.perf_counter()
        copy_store(files, loaded, rows, partnerships)
        load_seconds = time.perf_counter() - started
        loaded = rows
        matching._HELD.clear()  # the hub's count of what it holds, for its prior: counted again
        for kind in ("person", "child"):
            matching.held(kind)  # as a worker that has been up a while has it (not timed)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_total_relation_size('linkagehub_encoding') "
                "+ pg_total_relation_size('linkagehub_blockkey')"
            )
            store_mb = cursor.fetchone()[0] / 2**20
        before = Match.objects.count()
        times = []
        rng = random.Random(step)  # noqa: S311  (test data)
        for kind, identifiers, _ in arrivals(files, rows, seed=step):
            encoded = encode(kind, identifiers, KEY)
            item = {
                "ref": f"{rng.getrandbits(128):032x}",
                "kind": kind,
                "fields": {k: base64.b64encode(v).decode() for k, v in encoded.fields.items()},
                "blocks": list(encoded.blocks),
            }
            body = json.dumps({"encodings": [item]}).encode()
            headers = signed_headers("POST", "/v1/encodings", body, partnership=newcomer,
                                     private_key=private)  # fmt: skip
            # From the request reaching the hub to its answer: checked, stored, matched.
            began = time.perf_counter()
            response = client.post("/v1/encodings", body, content_type="application/json",
                                   headers=headers)  # fmt: skip
            times.append(1000 * (time.perf_counter() - began))
            if response.status_code != 200:
                raise SystemExit(
                    f"bench: the hub answered {response.status_code}: {response.content[:200]!r}"
                )
        times.sort()
        result = Arrived(
            rows=rows,
            p50_ms=statistics.median(times),
            p95_ms=times[max(0, math.ceil(0.95 * len(times)) - 1)],
            matched=Match.objects.count() - before,
            load_seconds=load_seconds,
            store_mb=store_mb,
        )
        print(f"  hub at {rows:,} encodings ({store_mb:,.0f} MB, loaded in {load_seconds:.0f} s): "
              f"p50 {result.p50_ms:.1f} ms, p95 {result.p95_ms:.1f} ms, {result.matched} matches "
              f"from {len(times)} arrivals", flush=True)  # fmt: skip
        results.append(result)
    return results


# ---- The run -----------------------------------------------------------------------------------


def ratio_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print()
    print(title)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    line = "  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)))


def main() -> None:
    print(f"Machine: {machine()}")
    print(
        f"Load average at the start: {os.getloadavg()[0]:.2f}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"Store at 100 %: {PARTNERSHIPS} partnerships x {PER_PARTNERSHIP:,} entities = "
          f"{PARTNERSHIPS * PER_PARTNERSHIP:,} encodings; fractions {FRACTIONS}")  # fmt: skip
    files = encodings()
    # Stopped from outside (timeout, kill): as Ctrl-C, which pyspark turns into cancelled jobs and
    # a KeyboardInterrupt, so that `finally` stops PostgreSQL and Spark.
    signal.signal(signal.SIGTERM, lambda *_: os.kill(os.getpid(), signal.SIGINT))
    work = Path(tempfile.mkdtemp(prefix="seethesigns-bench-hub-"))
    work.chmod(0o755)
    processes = Processes()
    hub: list[Arrived] = []
    spark: list[Relinked] = []
    try:
        if "hub" not in SKIP:
            hub = hub_half(work, processes, files)
        if "spark" not in SKIP:
            spark = spark_half(work, processes, files)
    finally:
        processes.stop_all()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
    report(hub, spark)


def report(hub: list[Arrived], spark: list[Relinked]) -> None:
    if hub:
        first = hub[0]
        ratio_table(
            f"(a) A new encoding matched by the hub (PostgreSQL), {ARRIVALS} arrivals a size.",
            ["store", "encodings", "tables MB", "load s", "p50 ms", "p95 ms", "matched",
             "p95 x 1 %"],
            [
                [f"{r.rows / (PARTNERSHIPS * PER_PARTNERSHIP):.0%}", f"{r.rows:,}",
                 f"{r.store_mb:,.0f}", f"{r.load_seconds:.0f}", f"{r.p50_ms:.1f}",
                 f"{r.p95_ms:.1f}", f"{r.matched}", f"{r.p95_ms / first.p95_ms:.2f}"]
                for r in hub
            ],
        )  # fmt: skip
    if spark:
        least = spark[0]
        ratio_table(
            "(b) Full re-linkage on Spark (standalone master, 2 one-core workers, loopback).",
            ["store", "encodings", "pairs", "seconds", "matches", "very likely", "precision",
             "recall", "time x 1 %", "pairs x 1 %"],
            [
                [f"{r.rows / (PARTNERSHIPS * PER_PARTNERSHIP):.0%}", f"{r.rows:,}",
                 f"{r.candidates:,}", f"{r.seconds:.1f}", f"{r.matches:,}", f"{r.very_likely:,}",
                 f"{r.true_found / r.matches if r.matches else 1:.3f}",
                 f"{r.true_found / r.true_pairs if r.true_pairs else 1:.3f}",
                 f"{r.seconds / least.seconds:.1f}",
                 f"{r.candidates / max(least.candidates, 1):.1f}"]
                for r in spark
            ],
        )  # fmt: skip
    print(f"\nLoad average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
