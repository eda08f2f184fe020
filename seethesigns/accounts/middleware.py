"""Sign out anyone signed in who has been idle for too long."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from seethesigns.paths import CMS

SEEN_KEY = "seen_at"


class IdleSignOutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            seen = request.session.get(SEEN_KEY)
            if seen is not None and now - float(seen) > settings.IDLE_TIMEOUT.total_seconds():
                logout(request)
                if request.path.startswith(CMS):
                    return HttpResponseRedirect(reverse("wagtailadmin_login"))
                return HttpResponseRedirect(reverse("pro:sign_in") + "?idle=1")
            request.session[SEEN_KEY] = now
        return self.get_response(request)


class StaffSecondFactorMiddleware:
    """The CMS, like the workspace, needs the second factor: an editor's account can change what
    children read, and the help numbers they call."""

    OPEN = (f"{CMS}login/", f"{CMS}logout/", f"{CMS}password_reset/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if (
            request.path.startswith(CMS)
            and not request.path.startswith(self.OPEN)
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
        ):
            return HttpResponseRedirect(
                reverse("pro:two_factor") + "?" + urlencode({"next": request.path})
            )
        return self.get_response(request)
