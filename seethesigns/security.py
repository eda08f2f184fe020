"""Response headers and log hygiene that every page gets."""

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from seethesigns.paths import CMS, WORKSPACE

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


STAFF_PREFIXES = (CMS, WORKSPACE)

# The CMS's previews of a page or snippet, shown in a frame of the editor beside the form: the
# preview itself, a revision's, and the one a lead sees for a task.
PREVIEW_PATH = re.compile(
    rf"^{CMS}(pages/(\d+/edit/|add/[^/]+/[^/]+/\d+/)preview/"
    r"|pages/\d+/revisions/\d+/view/"
    r"|pages/workflow/preview/\d+/\d+/"
    r"|snippets/[^/]+/[^/]+/(preview/([^/]+/)?|history/[^/]+/revisions/\d+/view/"
    r"|workflow/preview/[^/]+/\d+/))$"
)


def is_preview_frame(request: HttpRequest) -> bool:
    """A preview, asked for by a signed-in editor (both factors): the only page the CMS frames."""
    user = getattr(request, "user", None)
    return bool(
        PREVIEW_PATH.match(request.path)
        and user is not None
        and user.is_authenticated
        and getattr(user, "is_verified", lambda: False)()
        and user.has_perm("wagtailadmin.access_admin")
    )


def content_security_policy(request: HttpRequest) -> str:
    """Return the policy for this request: strict everywhere, the CMS allowed inline styles."""
    frame_src = " ".join(getattr(request, "csp_frame_src", [])) or "'none'"
    frame_ancestors = "'none'"
    if request.path.startswith(CMS):
        # The editor's preview panel frames previews from the CMS itself.
        frame_src = "'self'"
        if is_preview_frame(request):
            frame_ancestors = "'self'"
    style_src = "'self'"
    if request.path.startswith(CMS):
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
            f"frame-ancestors {frame_ancestors}",
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
        if is_preview_frame(request):
            # Wagtail renders a preview through the middleware again, as a request for the
            # public address, which gave it the public policy: the preview's own replaces it.
            response.headers["Content-Security-Policy"] = content_security_policy(request)
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
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
