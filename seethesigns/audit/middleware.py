"""Refused records on the audit: a worker walking other teams' record numbers leaves a trace."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from seethesigns.audit.events import security_event
from seethesigns.paths import WORKSPACE


def printable(text: str) -> str:
    """The path as it can be stored and read: no NUL (PostgreSQL refuses it) or control codes."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


class RefusedAccessMiddleware:
    """Audit every "not found" a signed-in person meets in the workspace, summarised in floods.

    A record of another team and a record that does not exist give the same 404 (same page, same
    work), so this entry tells the worker nothing; the DPO learns who probed, where and how much.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code == 404
            and request.path.startswith(WORKSPACE)
            and user is not None
            and user.is_authenticated
        ):
            security_event(
                "access.refused",
                request=request,
                key=str(user.pk),
                actor=user,
                data={"path": printable(request.path)[:200]},
            )
        return response
