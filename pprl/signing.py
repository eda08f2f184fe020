"""Signed requests from a partnership to the linkage hub: Ed25519 over method, path, time, body.

Why signatures and not mutual TLS: each request (and so each encoding it carries) is attributable
to one partnership's key whatever proxy ends TLS in front of the hub; a partnership's key is
replaced by registering a new public key, with no certificate authority to run; and it is tested
on loopback without certificates. TLS still carries every request in production.

The signed text is "{PARTNERSHIP}\\n{METHOD}\\n{PATH with query}\\n{TIMESTAMP}\\n{NONCE}\\n{sha256
hex of body}": the partnership's slug is signed, so a request cannot be passed off as another
partnership's that happens to hold the same key.
`verify` checks the signature and the clock; whether a nonce was seen before is the hub's to check
(it keeps them), so `verify` takes a `seen` callable for it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
import time
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PARTNERSHIP = "X-Hub-Partnership"
TIMESTAMP = "X-Hub-Timestamp"
NONCE = "X-Hub-Nonce"
SIGNATURE = "X-Hub-Signature"
MAX_SKEW_SECONDS = 300
NONCE_PATTERN = re.compile(r"[0-9a-f]{32}")
SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


# One answer for a forged signature and for a name the hub does not know, so that nobody can
# learn from the hub which partnerships are registered.
NOT_SIGNED = "the request is not signed by the key of a partnership registered with the hub"


class Refused(Exception):
    """The request cannot be attributed to the partnership it names: answer 401."""


def generate_keypair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: (private key, public key)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the signing key is not an Ed25519 private key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM; ValueError if it is not one."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the key is not an Ed25519 public key")
    return key


def canonical(
    partnership: str, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> bytes:
    """The text that is signed: the same bytes on both sides for the same request."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{partnership}\n{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def signed_headers(
    method: str,
    path: str,
    body: bytes,
    *,
    partnership: str,
    private_key: Ed25519PrivateKey | bytes,
    now: float | None = None,
) -> dict[str, str]:
    """The four headers that sign a request to `path` (with its query string) with `body`."""
    key = load_private_key(private_key) if isinstance(private_key, bytes) else private_key
    timestamp = str(int(time.time() if now is None else now))
    nonce = secrets.token_hex(16)
    signature = key.sign(canonical(partnership, method, path, timestamp, nonce, body))
    return {
        PARTNERSHIP: partnership,
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: base64.b64encode(signature).decode(),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, its name in any case; Refused if it is missing."""
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    raise Refused(f"the request has no {name} header")


def claimed_partnership(headers: Mapping[str, str]) -> str:
    """The slug the request says it is from (not yet proved): Refused if missing or malformed."""
    slug = _header(headers, PARTNERSHIP).strip()
    if not SLUG_PATTERN.fullmatch(slug):
        raise Refused(f"{PARTNERSHIP} is not a partnership's name")
    return slug


def verify(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    *,
    public_key: Ed25519PublicKey | bytes,
    now: float | None = None,
    seen: Callable[[str, int], bool] | None = None,
) -> None:
    """Check that the partnership's key signed this request, lately; raise Refused if not.

    `seen(nonce, timestamp)` records the nonce and says whether it was already used (a replay):
    it is called last, only for a request whose signature is good, so forgeries cannot fill it.
    """
    slug = claimed_partnership(headers)
    key = load_public_key(public_key) if isinstance(public_key, bytes) else public_key
    stamp = _header(headers, TIMESTAMP).strip()
    nonce = _header(headers, NONCE).strip()
    signature_text = _header(headers, SIGNATURE).strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise Refused(f"{TIMESTAMP} is not a time in seconds")
    if not NONCE_PATTERN.fullmatch(nonce):
        raise Refused(f"{NONCE} is not 32 hexadecimal characters")
    clock = time.time() if now is None else now
    if abs(clock - int(stamp)) > MAX_SKEW_SECONDS:
        raise Refused(f"{TIMESTAMP} is more than {MAX_SKEW_SECONDS} seconds from the hub's clock")
    try:
        signature = base64.b64decode(signature_text, validate=True)
    except (binascii.Error, ValueError):
        raise Refused(f"{SIGNATURE} is not base64") from None
    try:
        key.verify(signature, canonical(slug, method, path, stamp, nonce, body))
    except InvalidSignature:
        raise Refused(NOT_SIGNED) from None
    if seen is not None and seen(nonce, int(stamp)):
        raise Refused("this request was already received (its nonce was used before)")


def verify_from(
    headers: Mapping[str, str],
    method: str,
    path: str,
    body: bytes,
    *,
    public_key_for: Callable[[str], Ed25519PublicKey | bytes | None],
    now: float | None = None,
    seen: Callable[[str, int], bool] | None = None,
) -> str:
    """Verify a request against the key of the partnership it names; its slug, or Refused."""
    slug = claimed_partnership(headers)
    key = public_key_for(slug)
    if key is None:
        raise Refused(NOT_SIGNED)
    verify(headers, method, path, body, public_key=key, now=now, seen=seen)
    return slug
