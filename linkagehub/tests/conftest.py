"""The hub's tests run with the hub's own settings: `pytest --ds=linkagehub.settings
--confcutdir=linkagehub linkagehub` (the Makefile's test target), never with the app's."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from linkagehub.models import Partnership
from pprl.signing import generate_keypair, signed_headers


class Side:
    """A partnership as the hub's tests see it: its row, its private key, a signed client."""

    def __init__(self, client: Client, partnership: Partnership, private_pem: bytes) -> None:
        self.client = client
        self.partnership = partnership
        self.private_pem = private_pem

    def headers(self, method: str, path: str, body: bytes, **kwargs: Any) -> dict[str, str]:
        return signed_headers(
            method,
            path,
            body,
            partnership=self.partnership.slug,
            private_key=self.private_pem,
            **kwargs,
        )

    def send(self, method: str, path: str, body: bytes = b"", **kwargs: Any) -> Any:
        headers = self.headers(method, path, body, **kwargs)
        return self.client.generic(
            method, path, data=body, content_type="application/json", headers=headers
        )

    def post(self, path: str, payload: Any) -> Any:
        return self.send("POST", path, json.dumps(payload).encode())

    def get(self, path: str) -> Any:
        return self.send("GET", path)


def _register(slug: str, name: str) -> tuple[Partnership, bytes]:
    private_pem, public_pem = generate_keypair()
    partnership = Partnership.objects.create(
        slug=slug,
        name=name,
        coordinator_name=f"{name.split()[0]} coordinator",
        coordinator_phone="0161 496 0000",
        public_key=public_pem.decode(),
    )
    return partnership, private_pem


@pytest.fixture
def side(db: Any) -> Callable[[str, str], Side]:
    def make(slug: str, name: str) -> Side:
        partnership, private_pem = _register(slug, name)
        return Side(Client(), partnership, private_pem)

    return make


@pytest.fixture
def northbridge(side: Callable[[str, str], Side]) -> Side:
    return side("northbridge", "Northbridge Safeguarding Children Partnership")


@pytest.fixture
def eastfield(side: Callable[[str, str], Side]) -> Side:
    return side("eastfield", "Eastfield Safeguarding Children Partnership")
