"""The gate in front of every workspace page: signed in, second factor done, a role held."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from seethesigns.accounts.policies import WorkspacePolicy

View = Callable[..., HttpResponseBase]


def pro_required(view: View) -> View:
    """Send anyone not fully signed in to the sign-in, a site editor to the CMS; refuse anyone
    else without a role (403)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user: Any = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                reverse("pro:sign_in") + "?" + urlencode({"next": request.path})
            )
        if not user.is_verified():
            # No personal data before the second factor: not even the workspace's home page.
            return HttpResponseRedirect(reverse("pro:two_factor"))
        policy = WorkspacePolicy(user)
        if policy.edits_the_website_only:
            # Keeping the site's content is not a workspace role: no children's data, no menus.
            return HttpResponseRedirect(policy.home)
        if not policy.can_enter:
            return render(request, "accounts/no_role.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def allowed_if(test: Callable[[WorkspacePolicy], bool]) -> Callable[[View], View]:
    """Refuse (403) a part of the workspace the person's role does not use."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not test(WorkspacePolicy(request.user)):
                return render(request, "accounts/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return pro_required(wrapper)

    return decorator
