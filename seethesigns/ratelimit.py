"""Count requests per sender in the cache (Redis when configured), without a captcha."""

import hashlib
import hmac
import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from seethesigns.addresses import client_ip

log = logging.getLogger(__name__)


def sender(request: HttpRequest) -> str:
    """A keyed hash of the sender's address: the cache never holds the address itself."""
    address = client_ip(request)
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(bucket: str, request: HttpRequest, limits: list[tuple[int, int]]) -> bool:
    """Count this request; False once any (count, seconds) limit is passed.

    If the cache is down the request is allowed: a concern must never be lost to a rate limiter.
    """
    return allow_for(bucket, sender(request), limits)


def allow_user(bucket: str, user: Any, limits: list[tuple[int, int]]) -> bool:
    """The same, counted per signed-in person (from whatever address)."""
    return allow_for(bucket, f"user{user.pk}", limits)


def allow_for(bucket: str, who: str, limits: list[tuple[int, int]]) -> bool:
    try:
        allowed = True
        for count, seconds in limits:
            key = f"rl:{bucket}:{seconds}:{who}"
            cache.add(key, 0, timeout=seconds)
            if cache.incr(key) > count:
                allowed = False
        return allowed
    except Exception:
        log.warning("Rate limit not applied: the cache is unavailable.")
        return True
