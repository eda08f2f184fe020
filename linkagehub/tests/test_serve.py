"""The hub runs as documented: migrate, register a partnership, serve with gunicorn, answer."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from pprl.signing import generate_keypair, signed_headers

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url: str, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    request = urllib.request.Request(url + path, headers=headers)  # noqa: S310 (loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as failed:
        return failed.code, json.loads(failed.read())


@pytest.fixture
def served(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'hub.sqlite3'}",
        "HUB_BIND": f"127.0.0.1:{port}",
        "HUB_WORKERS": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    private_pem, public_pem = generate_keypair()
    (tmp_path / "eastfield.pem").write_bytes(public_pem)
    hub = [sys.executable, "-m", "linkagehub"]
    subprocess.run([*hub, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*hub, "register_partnership", "eastfield",
         "--name=Eastfield Safeguarding Children Partnership", "--coordinator-name=Sam Patel",
         "--coordinator-phone=0161 496 0123", f"--public-key={tmp_path / 'eastfield.pem'}"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "-c", "linkagehub/gunicorn.conf.py", "linkagehub.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url, private_pem
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_served_hub_answers_a_signed_request_and_refuses_an_unsigned_one(served):
    url, private_pem = served
    headers = signed_headers("GET", "/v1/me", b"", partnership="eastfield", private_key=private_pem)
    assert call(url, "/v1/me", headers) == (
        200,
        {"slug": "eastfield", "name": "Eastfield Safeguarding Children Partnership"},
    )
    status, answer = call(url, "/v1/me", {})
    assert status == 401 and "X-Hub-Partnership" in answer["error"]
    # The same signed request again is a replay.
    assert call(url, "/v1/me", headers)[0] == 401
