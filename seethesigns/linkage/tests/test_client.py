"""The hub client: signed requests, and errors in words instead of tracebacks."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pprl.signing import generate_keypair, load_public_key, verify
from seethesigns.linkage.client import HubClient, HubError, HubSettings
from testing.liveserver import free_port

PRIVATE, PUBLIC = generate_keypair()


class _Hub(BaseHTTPRequestHandler):
    """Answers /v1/me for a request signed with our key, 401 in JSON to anything else."""

    def do_GET(self) -> None:
        try:
            verify(dict(self.headers), "GET", self.path, b"", public_key=load_public_key(PUBLIC))
            status, body = 200, {"slug": "northbridge", "name": "Northbridge"}
        except Exception as refused:  # any refusal is the test's 401
            status, body = 401, {"error": f"refused: {refused}"}
        if self.path.endswith("/garbled"):
            status, raw = 200, b"<html>"
        else:
            raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hub_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hub"
    server.shutdown()
    server.server_close()


def _client(url: str, key: bytes = PRIVATE) -> HubClient:
    return HubClient(HubSettings(url, "northbridge", key, b"k" * 32, 5.0))


def test_a_signed_request_is_accepted_with_the_prefix_of_the_hub_address_signed(hub_url):
    assert _client(hub_url).me() == {"slug": "northbridge", "name": "Northbridge"}


def test_a_request_signed_with_another_key_is_refused_in_the_hubs_words(hub_url):
    other, _ = generate_keypair()
    with pytest.raises(HubError, match=r"refused GET /v1/me: 401 refused:"):
        _client(hub_url, other).me()


def test_an_answer_that_is_not_json_is_said_so(hub_url):
    with pytest.raises(HubError, match="was not JSON"):
        _client(hub_url).request("GET", "/garbled")


def test_a_hub_that_is_not_there_is_said_so():
    with pytest.raises(HubError, match="Cannot reach the hub"):
        _client(f"http://127.0.0.1:{free_port()}").me()


def test_the_command_ends_with_one_clear_line(settings: Any, tmp_path: Path):
    key = tmp_path / "northbridge.key"
    key.write_bytes(PRIVATE)
    settings.LINKAGE_HUB_URL = f"http://127.0.0.1:{free_port()}"
    settings.LINKAGE_PARTNERSHIP = "northbridge"
    settings.LINKAGE_ENCODING_KEY = "k" * 32
    settings.LINKAGE_SIGNING_KEY = str(tmp_path / "missing.key")
    with pytest.raises(CommandError, match="Cannot read the signing key"):
        call_command("linkage_sync")
    settings.LINKAGE_SIGNING_KEY = str(key)
    with pytest.raises(CommandError, match="Cannot reach the hub"):
        call_command("linkage_sync", "--check")
