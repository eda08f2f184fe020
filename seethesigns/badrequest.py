"""A request that lacks a field the code reads directly is a bad request, not a server error.

Django raises MultiValueDictKeyError when a view reads `request.POST["x"]` and there is no x.
Wagtail's page editor does that for each StreamField's block count, so a form posted without
one (make scan's wapiti does) was a 500. It is the sender's mistake: answer 400.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDictKeyError

from seethesigns.content.views import bad_request

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
