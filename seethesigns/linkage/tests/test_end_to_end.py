"""Acceptance 1 of issue 21: a hub and two partnerships on loopback, each its own process and
PostgreSQL database, exchanging only encodings.

The same car, phone and man, written differently on each side, raise one alert on each side;
a record that matches nothing raises none; the hub's database holds none of the values; and an
erasure on one side withdraws the record: its rows leave the hub and the other side's alert
closes. The partnerships' databases are copies of the test database with its records taken
out (a copy is instant where migrating two new ones takes a minute); the hub's is migrated.
"""

import json
import os
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection, connections
from psycopg import sql

from testing.hubsides import (
    Side,
    hub,
    hub_env,
    in_app,
    make_keys,
    register,
    side_env,
)
from testing.liveserver import free_port

# django_db: the test database is set up (and copied); the test itself reads none of it.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

# What each side's copy of the test database loses before the test loads its own records.
EMPTIED = ["links_entity", "cases_child", "linkage_sentrecord", "linkage_hubalert"]
PLAIN = [  # the values on both sides, as typed and as the matching writes them
    "NB12 XYZ", "NB12XYZ", "nb12xyz", "nb12-xyz", "07700 900123", "07700900123", "7700900123",
    "+44 (0)7700 900 123", "Jason Smyth", "Smyth", "smyth", "SMYTH", "Jayson", "jayson",
    "Smith", "smith", "1990-03-04", "19900304", "AB12 CDE", "AB12CDE", "YR67 QPL", "YR67QPL",
]  # fmt: skip


def _url(database: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + database))


def _admin() -> Any:
    return psycopg.connect(
        _url("postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    )


def _sql(database: str, query: Any, args: Any = ()) -> list[tuple[Any, ...]]:
    dsn = _url(database).replace("postgres://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as db:
        cursor = db.execute(query, args)
        return cursor.fetchall() if cursor.description else []


def _copy(template: str, name: str) -> None:
    """CREATE DATABASE … TEMPLATE: refused while anyone is connected to it, so try a while."""
    for _ in range(50):
        try:
            with _admin() as db:
                db.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            return
        except psycopg.errors.ObjectInUse:
            connections.close_all()
            time.sleep(0.2)
    raise RuntimeError(f"{template} stayed in use: cannot copy it")


@pytest.fixture(scope="session")
def emptied_copy(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """A copy of the test database without its records, made before any test's transaction
    holds a connection to it (a database in use cannot be copied)."""
    if connection.vendor != "postgresql" or "DATABASE_URL" not in os.environ:
        pytest.skip("needs the PostgreSQL server the tests use (set DATABASE_URL)")
    name = f"test_linkage_copy_{secrets.token_hex(4)}"
    with django_db_blocker.unblock():
        _copy(str(connection.settings_dict["NAME"]), name)
    try:
        _sql(name, f"TRUNCATE {', '.join(EMPTIED)} RESTART IDENTITY CASCADE")
        yield name
    finally:
        with _admin() as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def databases(emptied_copy: str) -> Iterator[dict[str, str]]:
    suffix = secrets.token_hex(4)
    names = {side: f"test_linkage_{side}_{suffix}" for side in ("hub", "north", "east")}
    try:
        with _admin() as db:
            db.execute(f'CREATE DATABASE "{names["hub"]}"')
            for side in ("north", "east"):
                db.execute(f'CREATE DATABASE "{names[side]}" TEMPLATE "{emptied_copy}"')
        yield names
    finally:
        with _admin() as db:
            for name in names.values():
                db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _step(side: Side, arguments: str) -> dict[str, Any]:
    """One turn of the side in a process of its own (testing.hubsides.step)."""
    return dict(json.loads(in_app(side, f"step({arguments})").strip().splitlines()[-1]))


def _serve_hub(env: dict[str, str], work: Path) -> tuple[str, Any]:
    import socket
    import subprocess
    import sys

    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own fixed command)  # nosec B603
        [sys.executable, "-m", "gunicorn", "linkagehub.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--no-control-socket"],
        cwd=work,  # not the repository: its gunicorn.conf.py is the app's
        env={**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return f"http://127.0.0.1:{port}", process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("The hub did not start.") from None
            time.sleep(0.1)


def test_two_partnerships_find_the_same_car_phone_and_man_through_the_hub(databases, tmp_path):
    hub_settings = hub_env(_url(databases["hub"]))
    hub(hub_settings, "migrate", "--no-input", "-v", "0")
    north = Side("northbridge", "Northbridge Safeguarding Partnership", "Cara Coordinator",
                 "01632 960 654")  # fmt: skip
    east = Side("eastfield", "Eastfield Safeguarding Children Partnership", "Esme Hart",
                "01632 960 888")  # fmt: skip
    encoding_key = secrets.token_hex(32)
    url, server = _serve_hub(hub_settings, tmp_path)
    try:
        for side, database in ((north, databases["north"]), (east, databases["east"])):
            side_env(
                side,
                database_url=_url(database),
                hub_url=url,
                signing_key=make_keys(tmp_path / "keys", side),
                encoding_key=encoding_key,
                var_dir=tmp_path / side.slug,
            )
            register(hub_settings, side)
        first = _step(north, "load='northbridge', check=True")  # sends: nothing to match yet
        assert "hub knows us as Northbridge" in first["said"] and not first["alerts"]
        north_ids = first["ids"]
        east_turn = _step(east, "load='eastfield'")  # sends and is matched at once
        assert "Offered 4 records: sent 4" in east_turn["said"]
        north_turn = _step(north, "")  # brings Northbridge's alerts
        east_ids = east_turn["ids"]

        for found, ids, other in (
            (north_turn["alerts"], north_ids, east),
            (east_turn["alerts"], east_ids, north),
        ):
            # One alert each for the car, the phone and the man; none for the other car.
            assert sorted(a["source_id"] for a in found) == sorted(ids[:3]), found
            assert {a["kind"] for a in found} == {"vehicle", "phone", "person"}
            for a in found:
                assert a["partnership"] == other.name and not a["closed"]
                assert a["coordinator"] == [other.coordinator_name, other.coordinator_phone]
                assert a["strength"] in {"very_likely", "possibly"}

        # The hub's database holds none of the values, in any table or column.
        tables = _sql(
            databases["hub"],
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        )
        rows = 0
        for (table,) in tables:
            name = sql.Identifier(table)
            count = sql.SQL("SELECT count(*) FROM {}").format(name)
            rows += _sql(databases["hub"], count)[0][0]
            for value in PLAIN:
                query = sql.SQL("SELECT count(*) FROM {} t WHERE t::text LIKE %s")
                hits = _sql(databases["hub"], query.format(name), [f"%{value}%"])
                assert hits == [(0,)], f"{value!r} is readable in the hub's {table}"
        assert rows > 8  # the check above read the encodings, not empty tables

        # Erasure on Northbridge's side withdraws the car: its rows leave the hub, and the
        # alert closes on both sides.
        car = north_ids[0]
        [(ref,)] = _sql(
            databases["north"],
            "SELECT ref FROM linkage_sentrecord WHERE source = 'entity' AND source_id = %s",
            [car],
        )
        held = "SELECT count(*) FROM linkagehub_encoding WHERE ref = %s"
        assert _sql(databases["hub"], held, [ref]) == [(1,)]
        erased = _step(north, f"erase={car}")
        assert "withdrew 1" in erased["said"]
        assert _sql(databases["hub"], held, [ref]) == [(0,)]
        orphans = (
            "SELECT count(*) FROM linkagehub_blockkey b WHERE NOT EXISTS "
            "(SELECT 1 FROM linkagehub_encoding e WHERE e.id = b.encoding_id)"
        )
        assert _sql(databases["hub"], orphans) == [(0,)]
        closed = {a["kind"]: a["closed"] for a in _step(east, "")["alerts"]}
        assert closed == {"vehicle": "withdrawn", "phone": "", "person": ""}
        assert {a["kind"]: a["closed"] for a in erased["alerts"]}["vehicle"] == "withdrawn"
    finally:
        server.terminate()
        server.wait(timeout=30)
