"""The hub's four endpoints. Every request is signed; malformed input gets 400 with a message.

Order of checks: the method (405), the body's size (413, before reading it), the signature,
the clock and the nonce (401: nothing is stored of what cannot be attributed), the partnership's
rate limit (429), then the body itself (400).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from linkagehub import matching
from linkagehub.models import AlertEvent, Partnership, RateWindow, SeenNonce
from pprl import signing
from pprl.schema import BLOCK_HEX, FIELDS, KINDS, MAX_BLOCKS, check, field_bytes

log = logging.getLogger(__name__)
HEX_REF = re.compile(r"[0-9a-f]{32}")
HEX_BLOCK = re.compile(rf"[0-9a-f]{{{BLOCK_HEX}}}")

View = Callable[[HttpRequest, Partnership, bytes], HttpResponse]


class BadInput(Exception):
    """The body is not what the endpoint takes: answer 400 with this message."""


def error(status: int, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def busy() -> JsonResponse:
    """503: nothing of the request was kept half-done; sending it again is safe."""
    return error(503, "the hub is busy: try again shortly", **{"Retry-After": "30"})


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error(400, "the request could not be read")


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return error(404, "no such endpoint: see docs/linkage-hub.md")


def server_error(request: HttpRequest) -> JsonResponse:
    return error(500, "the hub failed to handle this request; it was logged")


def _over_limit(partnership: Partnership, what: str, window: int, limit: int, amount: int) -> int:
    """Count `amount` against the partnership's current window; seconds to wait if over, else 0."""
    now = int(time.time())
    start = now - now % window
    with transaction.atomic():
        try:
            with transaction.atomic():
                RateWindow.objects.get_or_create(partnership=partnership, what=what, start=start)
        except IntegrityError:
            pass  # created at the same moment by another request
        RateWindow.objects.filter(partnership=partnership, what=what, start=start).update(
            count=F("count") + amount
        )
        count = RateWindow.objects.values_list("count", flat=True).get(
            partnership=partnership, what=what, start=start
        )
        if count > limit and amount > 1:
            # Refused work does not count: a smaller batch may still fit in the window.
            RateWindow.objects.filter(partnership=partnership, what=what, start=start).update(
                count=F("count") - amount
            )
        RateWindow.objects.filter(partnership=partnership, start__lt=now - 2 * 86400).delete()
    return start + window - now if count > limit else 0


def _nonce_seen(partnership: Partnership) -> Callable[[str, int], bool]:
    def seen(nonce: str, stamp: int) -> bool:
        # Nonces older than the clock allows cannot be replayed anyway: forget them.
        SeenNonce.objects.filter(timestamp__lt=time.time() - 2 * signing.MAX_SKEW_SECONDS).delete()
        try:
            with transaction.atomic():
                SeenNonce.objects.create(partnership=partnership, nonce=nonce, timestamp=stamp)
        except IntegrityError:
            return True
        return False

    return seen


def signed(method: str) -> Callable[[View], Callable[[HttpRequest], HttpResponse]]:
    """Accept only `method`, a body within the limit, signed by an active partnership, in limits."""

    def decorate(view: View) -> Callable[[HttpRequest], HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest) -> HttpResponse:
            if request.method != method:
                return error(405, f"use {method}", Allow=method)
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit():
                return error(400, "Content-Length is not a number")
            if int(length) > settings.HUB_MAX_BODY_BYTES:
                return error(413, f"the body is over {settings.HUB_MAX_BODY_BYTES} bytes")
            try:
                body = request.body
            except RequestDataTooBig:
                return error(413, f"the body is over {settings.HUB_MAX_BODY_BYTES} bytes")
            try:
                return _attributed(request, method, body, view)
            except OperationalError:
                # The database is busy or out of reach (or a lock was not granted in time):
                # nothing half-done is kept (each step is a transaction); sending again is safe.
                log.exception("the hub's database failed during a request")
                return busy()

        return wrapper

    return decorate


def _attributed(request: HttpRequest, method: str, body: bytes, view: View) -> HttpResponse:
    """The signature, the clock, the nonce, the rate limit, then the view itself."""
    found: dict[str, Partnership] = {}

    def public_key_for(slug: str) -> bytes | None:
        partnership = Partnership.objects.filter(slug=slug, active=True).first()
        if partnership is None:
            return None
        found["it"] = partnership
        return partnership.public_key.encode()

    def seen(nonce: str, stamp: int) -> bool:
        return _nonce_seen(found["it"])(nonce, stamp)

    try:
        signing.verify_from(
            request.headers,
            method,
            request.get_full_path(),
            body,
            public_key_for=public_key_for,
            seen=seen,
        )
    except signing.Refused as refused:
        return error(401, str(refused))
    except ValueError:
        # A registered key that does not load: the operator's mistake, not the caller's.
        log.error("the registered public key of a partnership does not load")
        return error(401, "the partnership's registered key is not usable")
    partnership = found["it"]
    wait = _over_limit(partnership, "requests", 60, settings.HUB_REQUESTS_PER_MINUTE, amount=1)
    if wait:
        return error(
            429,
            f"over {settings.HUB_REQUESTS_PER_MINUTE} requests a minute: "
            f"try again in {wait} seconds",
            **{"Retry-After": str(wait)},
        )
    try:
        return view(request, partnership, body)
    except BadInput as bad:
        return error(400, str(bad))


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadInput("the body is not UTF-8") from None
    except (ValueError, RecursionError):
        raise BadInput("the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadInput("the body must be a JSON object")
    return data


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = data.get(name)
    if not isinstance(value, list):
        raise BadInput(f'"{name}" must be a list')
    if len(value) > settings.HUB_MAX_PER_REQUEST:
        raise BadInput(f'"{name}" may hold at most {settings.HUB_MAX_PER_REQUEST} items a request')
    return value


def _ref(value: Any, where: str) -> str:
    if not isinstance(value, str) or not HEX_REF.fullmatch(value):
        raise BadInput(f"{where} must be 32 lower-case hexadecimal characters")
    return value


def _incoming(item: Any, where: str) -> matching.Incoming:
    if not isinstance(item, dict):
        raise BadInput(f"{where} must be an object")
    unknown = set(item) - {"ref", "kind", "fields", "blocks"}
    if unknown:
        raise BadInput(f"{where} has unknown keys: {', '.join(sorted(map(str, unknown)))[:200]}")
    ref = _ref(item.get("ref"), f"{where}.ref")
    kind = item.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise BadInput(f"{where}.kind must be one of {', '.join(KINDS)}")
    fields = item.get("fields")
    if not isinstance(fields, dict):
        raise BadInput(f"{where}.fields must be an object")
    decoded: dict[str, bytes] = {}
    for name, value in fields.items():
        if name not in FIELDS[kind]:
            raise BadInput(f"{where}.fields: unknown field {name[:40]!r} for kind {kind!r}")
        if not isinstance(value, str):
            raise BadInput(f"{where}.fields.{name} must be base64 text")
        if len(value) > 4 * (field_bytes(kind, name) // 3 + 1):
            raise BadInput(f"{where}.fields.{name} is longer than {field_bytes(kind, name)} bytes")
        try:
            decoded[name] = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise BadInput(f"{where}.fields.{name} is not base64") from None
    try:
        check(kind, decoded)  # sizes and, for packed fields, their sections (pprl/schema.py)
    except ValueError as wrong:
        raise BadInput(f"{where}.fields: {wrong}") from None
    blocks = item.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        raise BadInput(f"{where}.blocks must be a list of at most {MAX_BLOCKS} block keys")
    for block in blocks:
        if not isinstance(block, str) or not HEX_BLOCK.fullmatch(block):
            raise BadInput(f"{where}.blocks must hold {BLOCK_HEX} hexadecimal characters each")
    return matching.Incoming(ref=ref, kind=kind, fields=fields, blocks=tuple(blocks))


@signed("POST")
def encodings(request: HttpRequest, partnership: Partnership, body: bytes) -> HttpResponse:
    """Store the partnership's encodings (same ref = replace) and match each at once."""
    items = _list(_json_object(body), "encodings")
    incoming = [_incoming(item, f"encodings[{i}]") for i, item in enumerate(items)]
    wait = _over_limit(
        partnership, "encodings", 86400, settings.HUB_ENCODINGS_PER_DAY, amount=len(incoming)
    )
    if wait:
        return error(
            429,
            f"over {settings.HUB_ENCODINGS_PER_DAY} encodings a day: try again in {wait} seconds",
            **{"Retry-After": str(wait)},
        )
    try:
        accepted, changed = matching.store_and_match(partnership, incoming)
    except IntegrityError:
        # Two requests of this partnership stored the same new ref at the same moment: one
        # won, this one stored nothing. Sending it again replaces the ref as usual.
        log.warning("two uploads of one partnership stored the same new ref at once")
        return busy()
    log.info("accepted %d encodings, %d matches raised or changed", accepted, changed)
    return JsonResponse({"accepted": accepted})


@signed("POST")
def withdraw(request: HttpRequest, partnership: Partnership, body: bytes) -> HttpResponse:
    """Delete the partnership's encodings of these refs; both sides of their matches are told."""
    refs = _list(_json_object(body), "refs")
    checked = [_ref(ref, f"refs[{i}]") for i, ref in enumerate(refs)]
    return JsonResponse({"withdrawn": matching.withdraw(partnership, checked)})


def _alert(event: AlertEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "match": event.match_id,
        "event": event.event,
        "ref": event.ref,
        "kind": event.kind,
        "strength": event.band,
        "probability": round(event.probability, 4),
        "partnership": {
            "name": event.other.name,
            "coordinator": {
                "name": event.other.coordinator_name,
                "phone": event.other.coordinator_phone,
            },
        },
        "at": event.at.isoformat(),
    }


@signed("GET")
def alerts(request: HttpRequest, partnership: Partnership, body: bytes) -> HttpResponse:
    """The partnership's alert events after the given one, oldest first."""
    after = request.GET.get("after") or "0"
    if not after.isascii() or not after.isdigit() or len(after) > 18:
        raise BadInput('"after" must be an alert id (a whole number)')
    # Asking after N says every event up to N was read: purge may forget those, not later ones.
    Partnership.objects.filter(pk=partnership.pk, read_through__lt=int(after)).update(
        read_through=int(after)
    )
    events = (
        AlertEvent.objects.filter(partnership=partnership, pk__gt=int(after))
        .select_related("other")
        .order_by("pk")[: settings.HUB_MAX_ALERTS]
    )
    return JsonResponse({"alerts": [_alert(e) for e in events]})


@signed("GET")
def me(request: HttpRequest, partnership: Partnership, body: bytes) -> HttpResponse:
    """Who the hub takes the caller to be: a cheap signed ping."""
    return JsonResponse({"slug": partnership.slug, "name": partnership.name})
