"""Response headers and log hygiene that every page gets."""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


STAFF_PREFIXES = ("/cms/", "/pro/")


def content_security_policy(request: HttpRequest) -> str:
    """Return the policy for this request: strict everywhere, the CMS allowed inline styles."""
    frame_src = " ".join(getattr(request, "csp_frame_src", [])) or "'none'"
    style_src = "'self'"
    if request.path.startswith("/cms/"):
        # Wagtail's admin sets style attributes from its own scripts; scripts stay 'self' only.
        style_src = "'self' 'unsafe-inline'"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {style_src}",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self'",
            "object-src 'none'",
            f"frame-src {frame_src}",
            "frame-ancestors 'none'",
            "form-action 'self'",
            "base-uri 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy, Permissions-Policy and a private cache policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(request))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if request.path.startswith(STAFF_PREFIXES):
            # Under no-referrer, browsers send "Origin: null" with a form, which fails Django's
            # CSRF check. same-origin still never tells another site where someone came from.
            response.headers["Referrer-Policy"] = "same-origin"
        if not request.path.startswith(settings.STATIC_URL):
            # A copy of a page in the browser's cache is evidence that someone read it.
            response.headers.setdefault("Cache-Control", "no-store")
        return response


_QUERY = re.compile(r"(?<=[^\s?])\?[^\s\"]+")


class RedactQueryStrings(logging.Filter):
    """Remove query strings from log lines: a search term can say more than a person meant."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                _QUERY.sub("?[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _QUERY.sub("?[redacted]", record.msg)
        return True
