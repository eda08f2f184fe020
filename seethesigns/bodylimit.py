"""Refuse a request body that is too big before any of it is used: a clear 413, nothing kept.

nginx refuses them too (client_max_body_size), but the app must not rely on what stands in
front of it. Django's own DATA_UPLOAD_MAX_MEMORY_SIZE leaves file parts out: without this, a
60 MB file sent to any form was read to a temporary file before the form ignored it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import loader


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all then
        if length > settings.MAX_REQUEST_BODY:
            discard(request, length)
            return too_large()
        return self.get_response(request)


# Closing a connection with unread data on it makes the kernel reset it, and the browser then
# shows "connection reset" instead of our page. So up to this much is read and thrown away, a
# block at a time (nothing is kept); anything bigger is cut off unread.
DISCARD_AT_MOST = 128 * 1_048_576
BLOCK = 65_536


def discard(request: HttpRequest, length: int) -> None:
    stream = request.META.get("wsgi.input")
    left = min(length, DISCARD_AT_MOST)
    try:
        while stream is not None and left > 0:
            block = stream.read(min(BLOCK, left))
            if not block:
                break
            left -= len(block)
    except OSError:
        pass  # the sender went away: nothing to answer


def too_large() -> HttpResponse:
    # Rendered without the request: nothing of it (session, user, database) is touched.
    context = {
        "partnership_name": settings.PARTNERSHIP_NAME,
        "limit_mb": settings.MAX_REQUEST_BODY // 1_048_576,
    }
    response = HttpResponse(loader.get_template("413.html").render(context), status=413)
    # The unread body stays on the connection: close it rather than read it as the next request.
    response["Connection"] = "close"
    return response
