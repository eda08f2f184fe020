"""Password guessing: failures and pauses on the audit, the account holder told, an admin lifts.

django-axes counts wrong passwords per account (from any address) and per address (for any
account): AXES_LOCKOUT_PARAMETERS in settings.py. A pause ends by itself after the cool-off, as
the NCSC advises (throttle, don't lock for ever); a partnership admin can end it sooner.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

from seethesigns.accounts.models import User
from seethesigns.audit.events import security_event

log = logging.getLogger(__name__)


def account_named(username: Any) -> User | None:
    """The account a sign-in named, if there is one: what else was typed is never kept."""
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(username=username[:150]).first()


def on_sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong password (or a sign-in refused while paused): on the audit, summarised."""
    account = account_named(credentials.get("username"))
    security_event(
        "accounts.sign_in_failed",
        request=request,
        key=str(account.pk) if account else "unknown",
        obj=account,
        data={"account": account.username if account else "(no such account)"},
    )


def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str, **kwargs: Any
) -> None:
    """Signing in was paused: on the audit, and the first time in a window, an e-mail."""
    account = account_named(username)
    entry = security_event(
        "accounts.lockout",
        request=request,
        key=str(account.pk) if account else "unknown",
        obj=account,
        data={"account": account.username if account else "(no such account)"},
    )
    if entry is not None and entry.data.get("count") == 1 and account and account.email:
        tell_account_holder(account)


def tell_account_holder(account: User) -> None:
    minutes = int(cool_off().total_seconds() // 60)
    try:
        send_mail(
            f"Signing in to your {settings.PARTNERSHIP_NAME} account was paused",
            f"Hello {account.first_name or account.username},\n\n"
            f"Someone typed the wrong password for your account ({account.username}) several "
            f"times, so signing in to it is paused for {minutes} minutes. It starts again by "
            f"itself.\n\nIf that was you, wait and try again. If it was not you, tell your "
            f"partnership admin today: they can see where the tries came from and lift the "
            f"pause. Nobody from the partnership will ever ask you for your password.\n",
            None,
            [account.email],
        )
    except Exception:
        log.exception("Could not e-mail the account holder about a paused sign-in.")


def cool_off() -> Any:
    return get_cool_off() or timedelta(minutes=15)


@dataclass
class Pause:
    what: str  # "account" or "address"
    value: str
    failures: int
    until: Any


def paused() -> list[Pause]:
    """Accounts and addresses whose sign-in is paused now, for the partnership admin."""
    since = timezone.now() - cool_off()
    limit = get_failure_limit(None, None)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for what, field in (("account", "username"), ("address", "ip_address")):
        rows = recent.exclude(**{f"{field}__isnull": True}).values(field)
        if field == "username":
            # Only real accounts: a made-up name (or a password typed in the wrong box) is
            # paused with the rest, and is never shown to anyone.
            rows = rows.filter(username__in=User.objects.values("username"))
        for row in rows.annotate(failures=Sum("failures_since_start")).order_by(field):
            if row["failures"] >= limit:
                last = recent.filter(**{field: row[field]}).order_by("-attempt_time").first()
                until = last.attempt_time + cool_off() if last else None
                found.append(Pause(what, str(row[field]), int(row["failures"]), until))
    return found
