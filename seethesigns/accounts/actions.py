"""Changes to who may use the workspace, each audited in the same transaction."""

from datetime import datetime
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from seethesigns.accounts.models import INVITATION_LIFETIME, Invitation, User
from seethesigns.audit.actions import record

RECOVERY_CODES = 10


@transaction.atomic
def do_invite_user(values: dict[str, Any], *, acting_user: Any, request: HttpRequest) -> Invitation:
    token, hashed = Invitation.new_token()
    invitation = Invitation.objects.create(
        email=values["email"],
        first_name=values["first_name"],
        last_name=values["last_name"],
        phone=values.get("phone", ""),
        role=values["role"],
        team=values["team"],
        token_hash=hashed,
        invited_by=acting_user,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    record(
        "accounts.invite",
        actor=acting_user,
        obj=invitation,
        request=request,
        data={"email": invitation.email, "role": invitation.role, "team": invitation.team_id},
    )
    link = (
        settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        + reverse("pro:accept_invitation")
        + f"?token={token}"
    )
    transaction.on_commit(
        lambda: send_mail(
            f"Your invitation to the {settings.PARTNERSHIP_NAME} workspace",
            f"{acting_user.display_name} has invited you to the {settings.PARTNERSHIP_NAME} "
            f"professionals' workspace.\n\nChoose your password here (the link works once, "
            f"for 7 days):\n{link}\n\nYou will then set up two-factor sign-in.\n",
            None,
            [invitation.email],
        )
    )
    return invitation


@transaction.atomic
def do_accept_invitation(
    invitation: Invitation, password: str, *, request: HttpRequest, at: datetime
) -> User:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValueError("This invitation was already used.")
    user = User(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
        phone=invitation.phone,
        role=invitation.role,
        team=invitation.team,
    )
    user.set_password(password)
    user.save()
    invitation.accepted_at = at
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    record("accounts.accept_invitation", actor=user, obj=invitation, request=request)
    return user


@transaction.atomic
def do_deactivate_user(person: User, *, acting_user: Any, request: HttpRequest) -> None:
    person.is_active = False
    person.save(update_fields=["is_active"])
    # End their sessions now, not when they next time out.
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()
    record("accounts.deactivate", actor=acting_user, obj=person, request=request)


@transaction.atomic
def do_lift_pause(what: str, value: str, *, acting_user: Any, request: HttpRequest) -> int:
    """End a sign-in pause now: for an account (from every address) or an address."""
    if what == "account":
        lifted = axes_reset(username=value)
    elif what == "address":
        lifted = axes_reset(ip=value)
    else:
        raise ValueError(f"Nothing to lift for {what!r}.")
    record(
        "accounts.lift_pause",
        actor=acting_user,
        request=request,
        data={what: value, "failures_cleared": lifted},
    )
    return lifted


@transaction.atomic
def do_start_two_factor(user: User, *, request: HttpRequest) -> TOTPDevice:
    """The authenticator app's key, kept unconfirmed until a code from the app proves it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user=user, confirmed=False, name="Authenticator app")
    record("accounts.start_two_factor", actor=user, obj=user, request=request)
    return device


@transaction.atomic
def do_enrol_two_factor(device: TOTPDevice, *, request: HttpRequest) -> list[str]:
    """Confirm the app and make new recovery codes, shown once: the old ones stop working."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    static, _ = StaticDevice.objects.get_or_create(user=device.user, name="Recovery codes")
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    record("accounts.enrol_two_factor", actor=device.user, request=request)
    return codes


def do_note_sign_in(user: User, factor: str, *, request: HttpRequest) -> None:
    """Audit a sign-in once both factors are in: which factor, never the code."""
    record("accounts.sign_in", actor=user, request=request, data={"factor": factor})
