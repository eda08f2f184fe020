"""What a visitor sends wrongly is their mistake, answered as such, never a server error.

A request that lacks a field the code reads directly is a bad request.

Django raises MultiValueDictKeyError when a view reads `request.POST["x"]` and there is no x.
Wagtail's page editor does that for each StreamField's block count, so a form posted without
one (make scan's wapiti does) was a 500. It is the sender's mistake: answer 400.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDictKeyError

from seethesigns.paths import CMS
from seethesigns.website.views import bad_request

logger = logging.getLogger(__name__)


class MissingFieldMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, MultiValueDictKeyError):
            return None
        # The field's name only: never what was sent.
        logger.warning("Bad request: %s %s lacks %s", request.method, request.path, exception)
        return bad_request(request, exception)


class NextIsAPathMiddleware:
    """In the CMS, drop a `next` that is not a path on this site.

    Wagtail sends the editor to `next` after a save. Django's redirect() takes a bare word such
    as "default" (what wapiti fills a form's empty hidden `next` with) for the name of a view,
    finds none and raises NoReverseMatch: a 500 after the change was saved. Without it, Wagtail
    goes where it would have gone anyway.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(CMS):
            request.GET = _without_bad_next(request.GET)  # type: ignore[assignment]
            if request.method == "POST":
                request.POST = _without_bad_next(request.POST)  # type: ignore[assignment]
        return self.get_response(request)


def _without_bad_next(data: QueryDict) -> QueryDict:
    value = data.get("next")
    if value is None or (value.startswith("/") and not value.startswith("//")):
        return data
    data = data.copy()
    del data["next"]
    return data
