"""A small HTTP client for the linkage hub: signed requests, timeouts, clear errors.

Each request carries the headers of `pprl.signing` (Ed25519 over the method, path, time, a nonce
and the body's hash), so the hub can tell which partnership sent it and refuse anything else.
Errors say what went wrong in words and never repeat a request's body: bodies hold encodings,
and this module never sees or logs an identifier.
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

log = logging.getLogger(__name__)


class HubError(Exception):
    """The hub could not be reached, or refused or failed a request: the message says which."""


@dataclass(frozen=True)
class HubSettings:
    url: str
    partnership: str
    signing_key: bytes  # the Ed25519 private key, PEM
    encoding_key: bytes
    timeout: float


def enabled() -> bool:
    return bool(settings.LINKAGE_HUB_URL)


def hub_settings() -> HubSettings:
    """The hub's address and this partnership's keys, or HubError saying what is missing."""
    if not enabled():
        raise HubError("The linkage hub is off: LINKAGE_HUB_URL is not set.")
    path = Path(settings.LINKAGE_SIGNING_KEY)
    try:
        signing_key = path.read_bytes()
    except OSError as e:
        raise HubError(f"Cannot read the signing key LINKAGE_SIGNING_KEY={path}: {e}") from None
    return HubSettings(
        url=settings.LINKAGE_HUB_URL,
        partnership=settings.LINKAGE_PARTNERSHIP,
        signing_key=signing_key,
        encoding_key=settings.LINKAGE_ENCODING_KEY.encode(),
        timeout=float(settings.LINKAGE_TIMEOUT_SECONDS),
    )


class HubClient:
    def __init__(self, hub: HubSettings) -> None:
        self.hub = hub
        self.base_path = urlsplit(hub.url).path.rstrip("/")

    def request(self, method: str, path: str, payload: Any = None) -> Any:
        """Send one signed request and return the hub's JSON answer."""
        from pprl.signing import signed_headers

        body = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode()
        full_path = self.base_path + path
        headers = signed_headers(
            method,
            full_path,
            body,
            partnership=self.hub.partnership,
            private_key=self.hub.signing_key,
        )
        headers["Accept"] = "application/json"
        if payload is not None:
            headers["Content-Type"] = "application/json"
        url = self.hub.url + path
        req = urllib.request.Request(  # noqa: S310 (the operator's https or loopback address)
            url, data=body if payload is not None else None, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(req, timeout=self.hub.timeout) as response:  # noqa: S310  # nosec B310
                raw = response.read()
        except urllib.error.HTTPError as e:
            raise HubError(f"The hub refused {method} {path}: {e.code} {_message(e)}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise HubError(f"Cannot reach the hub at {self.hub.url}: {reason}") from None
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            raise HubError(f"The hub's answer to {method} {path} was not JSON.") from None

    def me(self) -> dict[str, Any]:
        return dict(self.request("GET", "/v1/me"))

    def send(self, encodings: list[dict[str, Any]]) -> int:
        answer = self.request("POST", "/v1/encodings", {"encodings": encodings})
        return int(answer.get("accepted", 0))

    def withdraw(self, refs: list[str]) -> int:
        answer = self.request("POST", "/v1/withdraw", {"refs": refs})
        return int(answer.get("withdrawn", 0))

    def alerts(self, after: int) -> list[dict[str, Any]]:
        answer = self.request("GET", f"/v1/alerts?after={int(after)}")
        alerts = answer.get("alerts")
        if not isinstance(alerts, list):
            raise HubError("The hub's list of alerts was not a list.")
        return alerts


def _message(error: urllib.error.HTTPError) -> str:
    """The hub's own words about a refusal (its JSON "error"), short, or the HTTP reason."""
    try:
        said = json.loads(error.read() or b"{}").get("error", "")
    except (ValueError, AttributeError, OSError):
        said = ""
    return str(said or error.reason)[:300]
