"""Sign-in with a second factor, and the partnership admin's user pages."""

from base64 import b32encode
from typing import Any

import segno
from django.contrib.auth import authenticate, login, logout
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token

from seethesigns.accounts import actions, lockout
from seethesigns.accounts.decorators import allowed_if
from seethesigns.accounts.forms import CodeForm, InviteForm, SetPasswordForm, SignInForm
from seethesigns.accounts.models import User
from seethesigns.accounts.policies import (
    UserPolicy,
    WorkspacePolicy,
    has_second_factor,
    invitation_for,
)
from seethesigns.audit.events import security_event


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)  # a new session id: nothing from before sign-in carries over
            request.session["next"] = _safe_next(request, WorkspacePolicy(user).home)
            return HttpResponseRedirect(reverse("pro:two_factor"))
        failed = True
    context = {"form": form, "failed": failed, "idle": "idle" in request.GET}
    return render(request, "accounts/sign_in.html", context, status=401 if failed else 200)


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.GET.get("next", "")
    inside = (reverse("pro:home"), reverse("wagtailadmin_home"))
    if target.startswith(inside) and url_has_allowed_host_and_scheme(target, None):
        return target
    return default


@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app or a recovery code."""
    user: Any = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(reverse("pro:sign_in"))
    if "next" in request.GET:
        request.session["next"] = _safe_next(
            request, request.session.get("next", WorkspacePolicy(user).home)
        )
    if user.is_verified():
        return HttpResponseRedirect(request.session.pop("next", WorkspacePolicy(user).home))
    if not has_second_factor(user):
        return HttpResponseRedirect(reverse("pro:set_up_two_factor"))
    form = CodeForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()  # a new session id once both factors are in
            actions.do_note_sign_in(user, device.name, request=request)
            return HttpResponseRedirect(request.session.pop("next", WorkspacePolicy(user).home))
        failed = True
        security_event(
            "accounts.second_factor_failed", request=request, key=str(user.pk), actor=user, obj=user
        )
    context = {"form": form, "failed": failed}
    return render(request, "accounts/two_factor.html", context, status=401 if failed else 200)


@require_http_methods(["GET", "POST"])
def set_up_two_factor(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app by QR code, then show recovery codes once."""
    user: Any = request.user
    if not user.is_authenticated:
        return HttpResponseRedirect(reverse("pro:sign_in"))
    if has_second_factor(user):
        return HttpResponseRedirect(reverse("pro:two_factor"))
    device = actions.do_start_two_factor(user, request=request)
    form = CodeForm(request.POST or None)
    failed = False
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            codes = actions.do_enrol_two_factor(device, request=request)
            otp_login(request, device)
            request.session.cycle_key()
            then = request.session.pop("next", WorkspacePolicy(user).home)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "then": then})
        failed = True
    context = {
        "form": form,
        "failed": failed,
        # No fixed size: the SVG scales to its box whole (a viewBox), quiet zone included.
        "qr": segno.make(device.config_url, error="m").svg_inline(omitsize=True, dark="#0b0c0c"),
        "secret": " ".join(_chunks(b32encode(device.bin_key).decode().rstrip("="), 4)),
    }
    return render(
        request, "accounts/set_up_two_factor.html", context, status=401 if failed else 200
    )


def _chunks(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return HttpResponseRedirect(reverse("pro:sign_in"))


@allowed_if(lambda policy: policy.can_manage_users)
def users(request: HttpRequest) -> HttpResponse:
    policy = UserPolicy(request.user)
    people = policy.visible().select_related("team__organisation")
    people = people.order_by("-is_active", "team__organisation__name", "last_name", "username")
    enrolled = policy.enrolled()
    invitations = policy.invitations().select_related("team__organisation")
    context = {
        "people": people,
        "enrolled": enrolled,
        "invitations": invitations,
        "pauses": lockout.paused(),
    }
    return render(request, "accounts/users.html", context)


@allowed_if(lambda policy: policy.can_manage_users)
@require_POST
def lift_pause(request: HttpRequest) -> HttpResponse:
    wanted = (request.POST.get("what", ""), request.POST.get("value", ""))
    if wanted not in {(p.what, p.value) for p in lockout.paused()}:
        raise Http404
    actions.do_lift_pause(*wanted, acting_user=request.user, request=request)
    return HttpResponseRedirect(reverse("pro:users") + "?lifted=1")


@allowed_if(lambda policy: policy.can_manage_users)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.do_invite_user(form.cleaned_data, acting_user=request.user, request=request)
        return HttpResponseRedirect(reverse("pro:users") + "?invited=1")
    return render(request, "accounts/invite.html", {"form": form})


@allowed_if(lambda policy: policy.can_manage_users)
@require_POST
def deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    person = UserPolicy(request.user).get_for(request, user_id, need="manage")
    actions.do_deactivate_user(person, acting_user=request.user, request=request)
    return HttpResponseRedirect(reverse("pro:users"))


@require_http_methods(["GET", "POST"])
def accept_invitation(request: HttpRequest) -> HttpResponse:
    # The token travels in the query string, which no log line keeps (see security.py).
    token = request.GET.get("token", "")[:200]
    invitation = invitation_for(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    new_user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    form = SetPasswordForm(request.POST or None, user=new_user)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_accept_invitation(
                invitation, form.cleaned_data["password"], request=request, at=timezone.now()
            )
        except (ValueError, IntegrityError):  # used a moment ago, in another tab
            return render(request, "accounts/invitation_invalid.html", status=404)
        return HttpResponseRedirect(reverse("pro:sign_in") + "?welcome=1")
    return render(
        request, "accounts/accept_invitation.html", {"form": form, "invitation": invitation}
    )
