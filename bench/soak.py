"""make soak: mixed public and professional traffic at a steady rate, then a verdict.

It starts the stack as bench/run.py does (a throwaway PostgreSQL, gunicorn with gunicorn.conf.py
and production settings, pre-rendered public pages; its helpers, not copies), then sends
SOAK_RATE requests a second for SOAK_SECONDS on 127.0.0.1: public pages, Tell someone, the
self-check and search, signed-in workspace pages and the screening API. It reports the requests,
the errors (target 0), each gunicorn worker's memory at the start (after a warm-up) and at the
end (target: under 10 % growth) and PostgreSQL's connections over time (target: never more
than the workers' threads, and no more in the second half than in the first). It exits 1 if a
target is missed.

Environment: SOAK_SECONDS (default 600), SOAK_RATE (requests a second, default 40),
SOAK_WARMUP_SECONDS (default 30), SOAK_SAMPLE_SECONDS (default 10), BENCH_DATABASE_URL.
"""

from __future__ import annotations

import http.client
import itertools
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from run import (
    PYTHON,
    ROOT,
    manage,
    production_env,
    start,
    start_postgres,
    wait_for,
)

from testing.liveserver import free_port
from testing.pgserver import Processes

SECONDS = int(os.environ.get("SOAK_SECONDS", "600"))
RATE = float(os.environ.get("SOAK_RATE", "40"))
WARMUP = int(os.environ.get("SOAK_WARMUP_SECONDS", "30"))
SAMPLE = int(os.environ.get("SOAK_SAMPLE_SECONDS", "10"))
SENDERS = 16  # threads sending; enough that a slow answer never holds the rate back
MAX_GROWTH = 0.10
WORKERS, THREADS = 3, 4  # gunicorn.conf.py's defaults, set explicitly below

PUBLIC = ["/", "/what-is-cse/", "/signs/", "/signs/me/", "/stories/", "/stories/jay/meeting/",
          "/get-help/", "/tell-someone/", "/self-check/", "/films/"]  # fmt: skip
WORKSPACE = ["/pro/", "/pro/children/", "/pro/referrals/", "/pro/screening/", "/pro/concerns/"]
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class Request:
    name: str
    method: str
    path: str
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    why: dict[str, int] = field(default_factory=dict)  # "tell someone 400": how many
    latencies: list[float] = field(default_factory=list)
    late: int = 0

    def add(self, name: str, outcome: str, seconds: float) -> None:
        """Count one request; outcome is its status code, or the error that stopped it."""
        with self.lock:
            self.sent[name] = self.sent.get(name, 0) + 1
            if not (outcome.isdigit() and int(outcome) < 400):
                self.errors[name] = self.errors.get(name, 0) + 1
                self.why[f"{name} {outcome}"] = self.why.get(f"{name} {outcome}", 0) + 1
            self.latencies.append(seconds)


class Traffic:
    """The mix, as a repeating schedule: every request in it is one a person could send."""

    def __init__(self, work: Path, origin: str) -> None:
        session = (work / "session.txt").read_text().strip()
        signed_in = {"Cookie": f"sessionid={session}"}
        self.concerns = iter((work / "concern-bodies.txt").read_text().splitlines())
        self.origin = origin
        public = [Request("public page", "GET", p) for p in PUBLIC]
        workspace = [Request("workspace page", "GET", p, headers=signed_in) for p in WORKSPACE]
        selfcheck = Request("self-check answer", "POST", "/self-check/me/",
                            (work / "selfcheck-body.txt").read_bytes().strip(), FORM)  # fmt: skip
        search = Request("search", "POST", "/search/",
                         (work / "search-body.txt").read_bytes().strip(), FORM)  # fmt: skip
        screening = Request("screening API", "POST", "/pro/api/screening/",
                            (work / "screening-body.txt").read_bytes().strip(),
                            {"Content-Type": "application/json", **signed_in})  # fmt: skip
        # Twenty requests: 10 public pages, 5 workspace pages, 2 concerns, a self-check answer,
        # a search and a screening.
        self.schedule = [*public, *workspace, selfcheck, search, screening, Request("", "", "")]
        self.schedule.insert(5, Request("", "", ""))  # the two concern slots, filled as sent

    def requests(self) -> itertools.cycle[Request]:
        return itertools.cycle(self.schedule)

    def concrete(self, request: Request) -> Request:
        if request.method:
            return request
        body = next(self.concerns).encode()
        headers = {**FORM, "Origin": self.origin, "Sec-Fetch-Site": "same-origin"}
        return Request("tell someone", "POST", "/tell-someone/", body, headers)


def send_steadily(port: int, traffic: Traffic, seconds: float, tally: Tally) -> None:
    """SOAK_RATE requests a second, each at its own time, from SENDERS threads."""
    slots = itertools.count()
    schedule = traffic.requests()
    lock = threading.Lock()
    start_at = time.monotonic()
    end_at = start_at + seconds

    def sender() -> None:
        while True:
            with lock:
                slot = next(slots)
                request = traffic.concrete(next(schedule))
            when = start_at + slot / RATE
            if when >= end_at:
                return
            delay = when - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -1:
                with tally.lock:
                    tally.late += 1
            began = time.monotonic()
            # A new connection each time: a kept-alive one that gunicorn closed as idle would
            # fail as the client's error, not the server's.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                headers = {"Host": f"127.0.0.1:{port}", "Connection": "close", **request.headers}
                connection.request(request.method, request.path, request.body or None, headers)
                response = connection.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as e:
                outcome = type(e).__name__
            finally:
                connection.close()
            tally.add(request.name, outcome, time.monotonic() - began)

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def workers_of(master: int) -> dict[int, int]:
    """gunicorn's workers and each one's resident memory in KiB."""
    rss = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != master:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
        rss[int(stat.parent.name)] = int(line.split()[1])
    return rss


def connections(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def sample_connections(
    database_url: str, stop: threading.Event, into: list[tuple[int, int]]
) -> None:
    began = time.monotonic()
    while not stop.wait(SAMPLE):
        into.append((round(time.monotonic() - began), connections(database_url)))


def main() -> None:
    # Stopped by a timeout or Ctrl-C: still stop everything this started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="seethesigns-soak-"))
    work.chmod(0o755)
    processes = Processes()
    try:
        failures = run(work, processes)
    finally:
        processes.stop_all()
        shutil.rmtree(work, ignore_errors=True)
    for failure in failures:
        print(f"not met: {failure}")
    print("soak: " + ("FAILED" if failures else "passed"))
    sys.exit(1 if failures else 0)


def run(work: Path, processes: Processes) -> list[str]:
    print("Starting a throwaway PostgreSQL and the app as in production...")
    database_url = start_postgres(work, processes)
    port = free_port()
    env = production_env(work, database_url, port)
    env.update({"WEB_CONCURRENCY": str(WORKERS), "GUNICORN_THREADS": str(THREADS)})
    (work / "var").mkdir()
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_content")
    subprocess.run([PYTHON, "bench/setup_data.py", str(work)], cwd=ROOT, env=env, check=True)
    manage(env, "prerender")
    start(processes, "gunicorn", [PYTHON, "-m", "gunicorn", "-c", "gunicorn.conf.py",
          "seethesigns.wsgi"], env=env, log=work / "gunicorn.log")  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/")
    master = next(pid for name, pid in processes.started if name == "gunicorn")
    traffic = Traffic(work, url)

    print(
        f"Soak: {RATE:g} requests a second for {SECONDS} s after a {WARMUP} s warm-up, "
        f"gunicorn {WORKERS} workers x {THREADS} threads, production settings, 127.0.0.1"
    )
    send_steadily(port, traffic, WARMUP, Tally())
    before = workers_of(master)
    samples: list[tuple[int, int]] = [(0, connections(database_url))]
    stop = threading.Event()
    sampler = threading.Thread(target=sample_connections, args=(database_url, stop, samples))
    sampler.start()
    tally = Tally()
    began = time.monotonic()
    send_steadily(port, traffic, SECONDS, tally)
    stop.set()
    sampler.join()
    samples.append((round(time.monotonic() - began), connections(database_url)))
    after = workers_of(master)
    return report(tally, before, after, samples)


def report(
    tally: Tally,
    before: dict[int, int],
    after: dict[int, int],
    samples: list[tuple[int, int]],
) -> list[str]:
    failures = []
    total, errors = sum(tally.sent.values()), sum(tally.errors.values())
    latencies = sorted(tally.latencies)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else 0.0
    print(f"requests: {total} ({total / SECONDS:.1f}/s), errors: {errors}, "
          f"late by over 1 s: {tally.late}")  # fmt: skip
    print(f"latency ms: p50 {statistics.median(latencies) * 1000:.1f}, p95 {p95:.1f}, "
          f"max {latencies[-1] * 1000:.1f}")  # fmt: skip
    for name in sorted(tally.sent):
        print(f"  {name:20} {tally.sent[name]:7} sent {tally.errors.get(name, 0):5} errors")
    for why, count in sorted(tally.why.items()):
        print(f"  error: {why} x {count}")
    if errors:
        failures.append(f"{errors} errors")
    if total < SECONDS * RATE - 1 or tally.late > total * 0.01:
        failures.append(f"the rate was not held: {total} sent, {tally.late} late by over 1 s")
    print("gunicorn workers, resident memory (MiB): start -> end, growth")
    if set(before) != set(after):
        failures.append(f"workers changed during the soak: {sorted(before)} -> {sorted(after)}")
    for pid in sorted(before):
        if pid not in after:
            continue
        growth = after[pid] / before[pid] - 1
        print(f"  pid {pid}: {before[pid] / 1024:.1f} -> {after[pid] / 1024:.1f}, {growth:+.1%}")
        if growth >= MAX_GROWTH:
            failures.append(f"worker {pid} grew {growth:.1%}")
    counts = [count for _, count in samples]
    print("PostgreSQL connections (seconds: count): "
          + ", ".join(f"{t}: {c}" for t, c in samples))  # fmt: skip
    if max(counts) > WORKERS * THREADS:
        failures.append(f"{max(counts)} connections > {WORKERS * THREADS} threads")
    half = len(counts) // 2
    if max(counts[half:]) > max(counts[:half]):
        failures.append(f"connections grew: at most {max(counts[:half])} in the first half, "
                        f"{max(counts[half:])} in the second")  # fmt: skip
    return failures


if __name__ == "__main__":
    main()
