"""A request is accepted only as signed, lately and once, by the key of the partnership it names."""

import base64

import pytest

from pprl.signing import (
    NONCE,
    PARTNERSHIP,
    SIGNATURE,
    TIMESTAMP,
    Refused,
    generate_keypair,
    signed_headers,
    verify,
    verify_from,
)

NOW = 1_800_000_000.0
BODY = b'{"encodings": []}'
PATH = "/v1/encodings"


@pytest.fixture(scope="module")
def keys():
    return {"northbridge": generate_keypair(), "eastfield": generate_keypair()}


def sign(keys, *, slug="northbridge", method="POST", path=PATH, body=BODY, now=NOW):
    return signed_headers(method, path, body, partnership=slug, private_key=keys[slug][0], now=now)


def test_a_signed_request_is_accepted(keys):
    headers = sign(keys)
    verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW + 10)
    # Header names in any case, as a server may hand them over.
    lower = {k.lower(): v for k, v in headers.items()}
    verify(lower, "post", PATH, BODY, public_key=keys["northbridge"][1], now=NOW)


def test_a_forged_signature_is_refused(keys):
    headers = sign(keys)
    forged = bytearray(base64.b64decode(headers[SIGNATURE]))
    forged[0] ^= 1
    headers[SIGNATURE] = base64.b64encode(bytes(forged)).decode()
    with pytest.raises(Refused, match="signature does not match"):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW)


def test_a_signature_that_is_not_base64_is_refused(keys):
    headers = {**sign(keys), SIGNATURE: "not base64 !!"}
    with pytest.raises(Refused, match="base64"):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW)


def test_another_partnerships_key_is_refused(keys):
    # Eastfield signs but says it is Northbridge.
    headers = sign(keys, slug="eastfield")
    headers[PARTNERSHIP] = "northbridge"
    with pytest.raises(Refused, match="signature does not match"):
        verify_from(headers, "POST", PATH, BODY, public_key_for=lambda s: keys[s][1], now=NOW)


def test_an_unknown_partnership_is_refused(keys):
    headers = sign(keys)
    with pytest.raises(Refused, match="no active partnership"):
        verify_from(headers, "POST", PATH, BODY, public_key_for=lambda s: None, now=NOW)
    assert (
        verify_from(headers, "POST", PATH, BODY, public_key_for=lambda s: keys[s][1], now=NOW)
        == "northbridge"
    )


@pytest.mark.parametrize("missing", [PARTNERSHIP, TIMESTAMP, NONCE, SIGNATURE])
def test_a_missing_header_is_refused(keys, missing):
    headers = sign(keys)
    del headers[missing]
    with pytest.raises(Refused, match=missing):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW)


@pytest.mark.parametrize("offset", [-301, 301, 10_000])
def test_a_stale_or_future_timestamp_is_refused(keys, offset):
    headers = sign(keys)
    with pytest.raises(Refused, match="seconds from the hub's clock"):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW + offset)


def test_a_replayed_nonce_is_refused(keys):
    used: set[str] = set()

    def seen(nonce, _stamp):
        found = nonce in used
        used.add(nonce)
        return found

    headers = sign(keys)
    verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW, seen=seen)
    with pytest.raises(Refused, match="already received"):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW, seen=seen)


def test_a_forgery_does_not_use_up_a_nonce(keys):
    used: list[str] = []

    def seen(nonce, _stamp):
        used.append(nonce)
        return False

    headers = sign(keys)
    with pytest.raises(Refused):
        verify(
            headers, "POST", PATH, b"other", public_key=keys["northbridge"][1], now=NOW, seen=seen
        )
    assert not used


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", PATH, b'{"encodings": [{"ref": "x"}]}'),  # body changed after signing
        ("POST", "/v1/withdraw", BODY),  # another endpoint
        ("GET", PATH, BODY),  # another method
        ("POST", PATH + "?after=1", BODY),  # another query
    ],
)
def test_a_request_changed_after_signing_is_refused(keys, method, path, body):
    headers = sign(keys)
    with pytest.raises(Refused, match="signature does not match"):
        verify(headers, method, path, body, public_key=keys["northbridge"][1], now=NOW)


@pytest.mark.parametrize(
    ("header", "value", "message"),
    [
        (PARTNERSHIP, "North Bridge!", "not a partnership"),
        (TIMESTAMP, "yesterday", "not a time"),
        (TIMESTAMP, "\uff11" * 10, "not a time"),  # full-width digits
        (NONCE, "short", "32 hexadecimal"),
    ],
)
def test_malformed_headers_are_refused(keys, header, value, message):
    headers = {**sign(keys), header: value}
    with pytest.raises(Refused, match=message):
        verify(headers, "POST", PATH, BODY, public_key=keys["northbridge"][1], now=NOW)
