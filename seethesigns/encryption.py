"""Encrypt what people write about children before it reaches the database.

Keys come from DATA_KEYS in the environment, never the database: a copy of the database or of
its backups holds only ciphertext. The first key encrypts; every key decrypts, so keys rotate.
"""

import base64
import hashlib
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        # Development only (production refuses to start without DATA_KEYS).
        digest = hashlib.sha256(("data:" + secret_key).encode()).digest()
        keys = (base64.urlsafe_b64encode(digest).decode(),)
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _box() -> MultiFernet:
    return _fernet(tuple(settings.DATA_KEYS), settings.SECRET_KEY)


def seal(values: dict[str, Any]) -> str:
    """Return the values encrypted and authenticated, as text safe to store."""
    plain = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return _box().encrypt(plain).decode()


def unseal(token: str) -> dict[str, Any]:
    """Return the values sealed in the token. Raises cryptography's InvalidToken if tampered."""
    values: dict[str, Any] = json.loads(_box().decrypt(token.encode()))
    return values


def new_key() -> str:
    """Return a new random key for DATA_KEYS."""
    return Fernet.generate_key().decode()
