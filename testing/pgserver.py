"""A throwaway PostgreSQL on 127.0.0.1, and the processes a run starts, stopped by PID.

Used by `make bench`, `make soak`, `make bench-records` (bench/) and `make scan` (scan/). It
needs Debian's PostgreSQL server binaries; as root it runs them as the postgres user.
"""

import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from testing.liveserver import free_port


class Processes:
    """Everything a run starts, stopped by PID at the end whatever happens."""

    def __init__(self) -> None:
        self.started: list[tuple[str, int]] = []

    def add(self, name: str, pid: int) -> None:
        self.started.append((name, pid))

    def stop_all(self) -> None:
        for name, pid in reversed(self.started):
            try:
                os.kill(pid, signal.SIGTERM if name != "postgres" else signal.SIGINT)
            except ProcessLookupError:
                continue
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                os.kill(pid, signal.SIGKILL)


def start_postgres(work: Path, processes: Processes, database: str) -> str:
    """Start a PostgreSQL of our own in WORK/pg on a free port; return the new database's URL."""
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: float(p.split("/")[-2]))
    if not bins:
        raise SystemExit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    pgbin = Path(bins[-1])
    port = free_port()
    data = work / "pg"
    # initdb and postgres refuse to run as root.
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data.mkdir(mode=0o700)
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    initdb = [str(pgbin / "initdb"), "-D", str(data / "data"), "-U", "postgres", "-A", "trust"]
    initdb += ["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]
    _run([*as_postgres, *initdb])
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c max_connections=200"
    pg_ctl = [str(pgbin / "pg_ctl"), "-D", str(data / "data"), "-l", str(data / "server.log")]
    _run([*as_postgres, *pg_ctl, "-w", "-o", options, "start"])
    processes.add("postgres", int((data / "data" / "postmaster.pid").read_text().split()[0]))
    createdb = [str(pgbin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    _run([*as_postgres, *createdb, database])
    return f"postgres://postgres@127.0.0.1:{port}/{database}"


def _run(command: list[str]) -> None:
    # Our own fixed commands; cwd "/" because the postgres user may not read the current folder.
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd="/")  # noqa: S603  # nosec B603
