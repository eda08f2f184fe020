"""The site in a real server whose database and Redis the tests can take away, and give back.

`faulty_site` runs gunicorn (two workers, four threads each, persistent database connections as
in production) against the test database through a `FaultProxy`, signed in to PostgreSQL as a
role with a connection limit, and against a redis-server of its own. A test then throws one of
the `FAULTS` at a person's journey with `survives`, which checks what the person sees, what is
stored (by counting rows), and that the same worker processes serve the retry.

Each form that stores something is one `Flow`. To cover a new one, write its Flow (`pro_flow`
for a form at /pro/) and call `survives(page, site, flow, fault)` for each fault: see
seethesigns/referrals/tests/test_browser_faults.py and seethesigns/children/tests/.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import redis
from psycopg import sql

from testing.faultproxy import FaultProxy
from testing.liveserver import free_port, serve_process

if TYPE_CHECKING:
    from playwright.sync_api import Page, Response

# "database stopped": stopped before the person presses the button.
# "database stopped mid-write": stopped while the app's INSERT is running, inside its transaction.
# "connections used up": PostgreSQL refuses the app any new connection (every slot is taken).
# "redis stopped": the cache and the rate limits' counts are gone.
FAULTS = ["database stopped", "database stopped mid-write", "connections used up", "redis stopped"]
# gunicorn: 2 workers x 4 threads hold at most 8 connections; the role may open a few more.
CONNECTION_LIMIT = 10
WAIT_SECONDS = 15


def redis_server() -> str | None:
    return shutil.which("redis-server") or shutil.which("/usr/bin/redis-server")


class ThrowawayRedis:
    """A redis-server of our own on a free loopback port, stopped and started again at will."""

    def __init__(self, folder: Path) -> None:
        self.port = free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)

    def start(self) -> None:
        command = [redis_server() or "redis-server", "--bind", "127.0.0.1"]
        command += ["--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder), "--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603  (our own fixed command)  # nosec B603
        wait_until(self._answers, "redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError("redis-server stopped as it started.")
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False


def wait_until(check: Callable[[], bool], what: str, seconds: float = WAIT_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"Waited {seconds} s for {what}.")
        time.sleep(0.05)


def child_pids(pid: int) -> set[int]:
    """The processes whose parent is `pid`: gunicorn's workers."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            # The command name (in brackets) may hold spaces: the parent comes after it.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                children.add(int(stat.parent.name))
    return children


@dataclass
class Database:
    """Where the test database is, and a way to reach it directly (not through the proxy)."""

    host: str
    port: int
    name: str
    user: str

    def connect(self, user: str | None = None) -> psycopg.Connection[Any]:
        return psycopg.connect(
            host=self.host,
            port=self.port,
            dbname=self.name,
            user=user or self.user,
            autocommit=True,
            connect_timeout=5,
        )

    def backends(self, user: str) -> int:
        with self.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [user]
            ).fetchone()
        return int(row[0]) if row else 0


@dataclass
class FaultySite:
    url: str
    process: subprocess.Popen[bytes]
    proxy: FaultProxy
    redis: ThrowawayRedis
    database: Database
    role: str
    held: list[psycopg.Connection[Any]] = field(default_factory=list)

    def workers(self) -> set[int]:
        return child_pids(self.process.pid)

    @contextmanager
    def fault(self, name: str, table: str) -> Iterator[Callable[[], None]]:
        """Throw the fault; yield what to call once the button is pressed; then take it away."""
        with ExitStack() as stack:
            if name == "database stopped":
                self.proxy.cut()
                stack.callback(self.proxy.restore)
                yield lambda: None
            elif name == "database stopped mid-write":
                with self.writes_held(table) as writer_waits:
                    stack.callback(self.proxy.restore)

                    def cut_mid_write() -> None:
                        writer_waits()
                        self.proxy.cut()

                    yield cut_mid_write
            elif name == "connections used up":
                stack.enter_context(self._connections_used_up())
                yield lambda: None
            elif name == "redis stopped":
                self.redis.stop()
                stack.callback(self.redis.start)
                yield lambda: None
            else:
                raise ValueError(f"No such fault: {name}")

    @contextmanager
    def writes_held(self, table: str) -> Iterator[Callable[..., None]]:
        """Hold back writes to the table, so that the app's INSERT waits inside its transaction.

        SHARE mode lets the app read (and so reach its INSERT) but not write. The yielded
        function returns once that many of the app's INSERTs are waiting on this lock.
        """
        with self.database.connect() as conn:
            conn.autocommit = False
            conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(table)))

            def writer_waits(writers: int = 1) -> None:
                query = (
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = %s "
                    "AND wait_event_type = 'Lock' AND query ILIKE %s"
                )
                pattern = f'INSERT INTO "{table}"%'

                def waiting() -> bool:
                    with self.database.connect() as watcher:
                        row = watcher.execute(query, [self.role, pattern]).fetchone()
                    return bool(row and row[0] >= writers)

                wait_until(waiting, f"{writers} of the app's INSERTs into {table} to wait")

            try:
                yield writer_waits
            finally:
                conn.rollback()

    @contextmanager
    def _connections_used_up(self) -> Iterator[None]:
        """Take every connection the app's role may open, as other clients would."""
        self.proxy.cut()  # the app's open connections go: it must ask for new ones
        try:
            wait_until(lambda: self.database.backends(self.role) == 0, "the app's connections")
            for _ in range(CONNECTION_LIMIT):
                self.held.append(self.database.connect(self.role))
            try:
                self.database.connect(self.role).close()
            except psycopg.OperationalError as e:
                if "too many connections" not in str(e):
                    raise
            else:
                raise AssertionError("PostgreSQL let the app's role open another connection.")
        finally:
            self.proxy.restore()
        try:
            yield
        finally:
            for conn in self.held:
                conn.close()
            self.held.clear()


@contextmanager
def faulty_site(settings_dict: dict[str, Any]) -> Iterator[FaultySite]:
    """Start the site as described above, on the database these settings name."""
    database = Database(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=int(settings_dict["PORT"] or 5432),
        name=settings_dict["NAME"],
        user=settings_dict["USER"] or "postgres",
    )
    role = f"{database.name}_app"[:63]
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sts-faults-")))
        _create_role(database, role)
        stack.callback(_drop_role, database, role)
        cache = ThrowawayRedis(folder)
        cache.start()
        stack.callback(cache.stop)
        proxy = FaultProxy(database.host, database.port).start()
        stack.callback(proxy.cut)
        env = {
            "DATABASE_URL": f"postgres://{role}@127.0.0.1:{proxy.port}/{database.name}",
            "CONN_MAX_AGE": "60",  # production's persistent connections
            "DATABASE_CONNECT_TIMEOUT": "5",
            "REDIS_URL": cache.url,
            "SEETHESIGNS_MODE": "development",
            "CONCERNS_PER_10_MINUTES": "1000",
            "CONCERNS_PER_DAY": "1000",
        }
        url, process = stack.enter_context(serve_process(env))
        yield FaultySite(url, process, proxy, cache, database, role)


def _create_role(database: Database, role: str) -> None:
    """A role like the app's in production: it may open CONNECTION_LIMIT connections at most."""
    name = sql.Identifier(role)
    with database.connect() as conn:
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(name))
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN CONNECTION LIMIT {}").format(
                name, sql.Literal(CONNECTION_LIMIT)
            )
        )
        # The test database's tables belong to this user: the role acts with its rights.
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(database.user), name))


def _drop_role(database: Database, role: str) -> None:
    with database.connect() as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", [role]
        )
        conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(role)))


@dataclass
class Flow:
    """One journey in which a person stores a record, as they make it in a browser."""

    table: str  # the table its record goes into
    open: Callable[[Page, str], None]  # reach the form on the site at this address, filled in
    send: Callable[[Page], None]  # press the button, without waiting for the answer
    stored: Callable[[Page], None]  # expect the page that says it was saved
    not_stored: Callable[[Page], None]  # expect the page that says it was not, the words kept
    retry_button: str  # the button that sends the kept form again
    count: Callable[[], int]  # how many records the journey has made (and audit rows)


def survives(page: Page, site: FaultySite, flow: Flow, fault: str) -> None:
    """The journey through the fault: a clear answer, nothing lost, nothing doubled, no restart."""
    statuses: list[int] = []

    def note(response: Response) -> None:
        statuses.append(response.status)

    page.on("response", note)
    flow.open(page, site.url)
    workers = site.workers()
    if len(workers) != 2:
        raise AssertionError(f"Expected gunicorn's 2 workers, found {workers}.")
    with site.fault(fault, flow.table) as button_pressed:
        flow.send(page)
        button_pressed()
        if fault == "redis stopped":
            # Losing the cache loses nothing a person sees: the record is stored at once.
            flow.stored(page)
        else:
            flow.not_stored(page)
            _expect(flow.count(), 0, "records stored while the database was away")
    if fault != "redis stopped":
        press_twice(page, site, flow)
        flow.stored(page)
    _expect(flow.count(), 1, "records after the retry")
    _expect(site.workers(), workers, "gunicorn workers (none restarted)")
    _expect([s for s in statuses if s >= 500 and s != 503], [], "server errors")


def press_twice(page: Page, site: FaultySite, flow: Flow) -> None:
    """Press the retry button twice, the second time while the first send is being stored.

    Two clicks in the same instant leave a browser once: the second submission replaces the
    first before it is sent. Holding the first send's INSERT back until the second has arrived
    makes both reach the server and race to store, as two clicks a moment apart do. The mouse
    presses them: Playwright's own click would wait for the first send's page.
    """
    button = page.get_by_role("button", name=flow.retry_button)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    if box is None:
        raise AssertionError(f"No {flow.retry_button!r} button to press.")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    with site.writes_held(flow.table) as writers_wait:
        page.mouse.click(x, y)
        writers_wait(1)
        page.mouse.click(x, y)
        writers_wait(2)


def _expect(found: object, wanted: object, what: str) -> None:
    if found != wanted:
        raise AssertionError(f"{what}: found {found!r}, wanted {wanted!r}")


def pro_flow(
    table: str,
    *,
    open: Callable[[Page, str], None],
    button: str,
    stored: Callable[[Page], None],
    kept: list[str],
    count: Callable[[], int],
) -> Flow:
    """A professional's form: sent with `button`; the outage page keeps the words in `kept`,
    and is sent again with its "Try again"."""
    return Flow(
        table=table,
        open=open,
        send=lambda page: page.get_by_role("button", name=button).click(no_wait_after=True),
        stored=stored,
        not_stored=lambda page: expect_the_kept_form(page, *kept),
        retry_button="Try again",
        count=count,
    )


def audited_once(made: list[int], audited: list[int]) -> int:
    """How many records were made, once each has been found in exactly one audit entry."""
    _expect(sorted(audited), sorted(made), "records named by audit entries (one each)")
    return len(made)


def expect_the_kept_form(page: Page, *words: str) -> None:
    """The 503 page of seethesigns/outage.py, holding what the person wrote."""
    from playwright.sync_api import expect

    heading = page.get_by_role("heading", name="What you sent has not been saved yet")
    expect(heading).to_be_visible()
    for written in words:
        expect(page.locator("[data-kept]").filter(has_text=written)).to_be_visible()
