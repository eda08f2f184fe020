"""`make demo-hub`: the linkage hub and two partnerships on loopback, and the alert on both sides.

The hub on 127.0.0.1:8100, Northbridge (the usual demo) on 127.0.0.1:8000 and Eastfield (a
small demo of its own: a car whose plate Northbridge writes another way, and a phone) on
localhost:8001, a different host name so that signing in to one does not sign you out of the
other. Each has its own SQLite database under var/demo-hub/, keys are made once, both are
registered at the hub, the hub is given Northbridge's matching parameters
(`export_matching_parameters`, then the hub's `set_parameters`), `linkage_sync` runs on both, and
the addresses to sign in at are printed. Ctrl-C stops all three. `make run` alone is unchanged.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from testing.hubsides import (  # the repository on the path first
    PYTHON,
    ROOT,
    Side,
    app,
    hub,
    hub_env,
    in_app,
    make_keys,
    register,
    side_env,
)

WORK = ROOT / "var" / "demo-hub"
HUB = ("127.0.0.1", 8100)
NORTH = ("127.0.0.1", 8000)
EAST = ("localhost", 8001)


def _sqlite(name: str) -> str:
    return f"sqlite:///{WORK / f'{name}.sqlite3'}"


def _free(host: str, port: int) -> None:
    with socket.socket() as s:
        if s.connect_ex((host, port)) == 0:
            raise SystemExit(f"Something already listens on {host}:{port}: stop it first.")


def _wait(host: str, port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{what} did not start: see its log in {WORK}.") from None
            time.sleep(0.2)


def _serve(command: list[str], env: dict[str, str], log: str) -> subprocess.Popen[bytes]:
    with open(WORK / log, "ab") as out:
        return subprocess.Popen(  # noqa: S603 (our own fixed commands)  # nosec B603
            command, cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress, even to a file
    for host, port in (HUB, NORTH, EAST):
        _free(host, port)
    WORK.mkdir(parents=True, exist_ok=True)
    key_file = WORK / "encoding.key"  # shared by the partnerships, never given to the hub
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    encoding_key = key_file.read_text().strip()
    north = Side("northbridge", "Northbridge Safeguarding Partnership", "Cara Coordinator",
                 "01632 960 654")  # fmt: skip
    east = Side("eastfield", "Eastfield Safeguarding Children Partnership", "Esme Hart",
                "01632 960 888")  # fmt: skip
    hub_settings = hub_env(_sqlite("hub"))
    hub_url = f"http://{HUB[0]}:{HUB[1]}"
    print("Setting up the hub and the two partnerships (the first time takes a few minutes)...")
    hub(hub_settings, "migrate", "--no-input", "-v", "0")
    for side in (north, east):
        private = WORK / "keys" / f"{side.slug}.key"
        signing = private if private.exists() else make_keys(WORK / "keys", side)
        side.public_key = WORK / "keys" / f"{side.slug}.pub"
        side_env(
            side,
            database_url=_sqlite(side.slug),
            hub_url=hub_url,
            signing_key=signing,
            encoding_key=encoding_key,
            var_dir=WORK / side.slug,
        )
        host, port = NORTH if side is north else EAST
        side.env["BASE_URL"] = f"http://{host}:{port}"
        register(hub_settings, side)
        app(side, "migrate", "--no-input", "-v", "0")
        app(side, "load_content", "-v", "0")
    app(north, "load_demo", "--without-year")
    in_app(east, "load_eastfield_demo()")
    # The partnerships agree which estimate the hub scores with: here Northbridge's (its shipped
    # defaults until it runs estimate_matching), handed to the hub's operator as a file.
    for kind in ("person", "child"):
        exported = WORK / f"{kind}-parameters.json"
        exported.write_text(app(north, "export_matching_parameters", "--kind", kind))
        hub(hub_settings, "set_parameters", "--kind", kind, "--file", str(exported),
            "--source", "Northbridge's export", "--by", "make demo-hub")  # fmt: skip

    servers = [
        _serve([PYTHON, "-m", "linkagehub", "runserver", "--noreload", f"{HUB[0]}:{HUB[1]}"],
               hub_settings, "hub.log"),
        _serve([PYTHON, "manage.py", "runserver", "--noreload", f"{NORTH[0]}:{NORTH[1]}"],
               north.env, "northbridge.log"),
        _serve([PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{EAST[1]}"],
               east.env, "eastfield.log"),
    ]  # fmt: skip
    try:
        _wait(*HUB, servers[0], "The hub")
        _wait(*NORTH, servers[1], "Northbridge")
        _wait("127.0.0.1", EAST[1], servers[2], "Eastfield")
        shown = ("DATABASE_URL", "VAR_DIR", "LINKAGE_")
        again = " ".join(
            f"{k}={v}" if k != "LINKAGE_ENCODING_KEY" else f"{k}=$(cat {key_file})"
            for k, v in east.env.items()
            if k.startswith(shown)
        )
        for side in (north, east, north):  # Northbridge again: to hear of Eastfield's matches
            print(f"{side.name}: {app(side, 'linkage_sync').strip()}")
        print(
            f"""
The linkage hub is at {hub_url}/ (it answers signed requests only).
Sign in as each side's CSE coordinator to see the alert (the first time, you set up two-factor
sign-in with an authenticator app). Each has a different host name so both can be open at once.

  Northbridge: http://{NORTH[0]}:{NORTH[1]}/pro/partnerships/
    username demo-coordinator, password coordinator-demo-password
  Eastfield:   http://{EAST[0]}:{EAST[1]}/pro/partnerships/
    username eastfield-coordinator, password eastfield-coordinator-password

Run a sync again after a change (for example in Eastfield):
  {again} \\
    {PYTHON} manage.py linkage_sync
Logs are in {WORK}. Press Ctrl-C to stop all three."""
        )
        while all(s.poll() is None for s in servers):
            time.sleep(1)
        print("A server stopped: see its log. Stopping the others.")
    except KeyboardInterrupt:
        print("\nStopping.")
    finally:
        for server in servers:
            if server.poll() is None:
                server.send_signal(signal.SIGINT)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
