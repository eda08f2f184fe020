"""The visitor's address, as far as it can be known behind the site's own reverse proxies."""

from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str:
    """Return the address that connected to the outermost trusted proxy (or to us directly).

    With TRUSTED_PROXY_COUNT=n, the n-th address from the right of X-Forwarded-For is the one our
    own outermost proxy saw; anything left of it was written by the client and is not trusted.
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
