"""Every change to a referral, with its audit entry in the same transaction."""

import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from seethesigns.accounts.models import Role, Team, User
from seethesigns.audit.actions import record
from seethesigns.children.models import Child
from seethesigns.dates import add_working_days
from seethesigns.encryption import seal
from seethesigns.referrals.models import Decision, Referral, ReferralDecision
from seethesigns.screening.models import Indicator, Screening
from seethesigns.screening.rules import WHEN_WORDS
from seethesigns.submissions import once

log = logging.getLogger(__name__)


def concerns_from(screening: Screening | None) -> dict[str, Any]:
    """The screening's present indicators with their evidence, carried into the referral."""
    if screening is None:
        return {"items": []}
    answers = screening.contents["answers"]
    titles = dict(Indicator.objects.values_list("code", "title"))
    kinds = dict(Indicator.objects.values_list("code", "kind"))
    items = [
        {
            "title": titles.get(code, code),
            "kind": kinds.get(code, ""),
            "when": answer["when"],
            "when_words": WHEN_WORDS.get(answer["when"], answer["when"]),
            "evidence": answer["evidence"],
            "source": answer["source"],
        }
        for code, answer in answers.items()
        if answer["state"] == "present"
    ]
    return {
        "items": items,
        "suggested": screening.suggested_words,
        "judgement": screening.get_judgement_display(),
        "overrule_reason": screening.get_overrule_reason_display(),
        "judgement_reason": screening.contents.get("judgement_reason", ""),
        "screened_at": screening.screened_at.isoformat(),
        "screened_on": date_format(timezone.localtime(screening.screened_at), "j F Y"),
    }


@transaction.atomic
def do_make_referral(
    child: Child,
    screening: Screening | None,
    values: dict[str, Any],
    *,
    acting_user: Any,
    request: HttpRequest | None,
) -> Referral:
    """Make a referral once per form: the same form sent again returns the first one."""
    referral, made = once(
        Referral,
        values.get("key"),
        lambda found: found.referrer_id == acting_user.pk and found.child_id == child.pk,
        lambda key: _create_referral(child, screening, values, key, acting_user),
    )
    if not made:
        return referral
    sent = referral.decision == Decision.SHARE
    record(
        "referrals.make" if sent else "referrals.record_not_sharing",
        actor=acting_user,
        obj=referral,
        request=request,
        data={"child": child.pk, "consent": referral.consent, "decision": referral.decision},
    )
    if sent:
        transaction.on_commit(lambda: _tell_front_door(referral, "A new referral has arrived"))
    return referral


def _create_referral(
    child: Child, screening: Screening | None, values: dict[str, Any], key: Any, acting_user: Any
) -> Referral:
    now = timezone.now()
    return Referral.objects.create(
        submission_key=key,
        child=child,
        screening=screening,
        referrer=acting_user,
        referrer_team_id=acting_user.team_id,
        front_door=Team.objects.filter(is_front_door=True).order_by("pk").first(),
        created_at=now,
        consent=values["consent"],
        decision=values["decision"],
        sealed=seal(
            {
                "family": values["family"],
                "done": values["done"],
                "child_words": values["child_words"],
                "consent_reason": values["consent_reason"],
                "decision_reason": values["decision_reason"],
                "concerns": concerns_from(screening),
                "notes": [],
            }
        ),
        decision_due_at=add_working_days(now, 1),
    )


def _tell_front_door(referral: Referral, subject: str) -> None:
    recipients = list(
        User.objects.filter(is_active=True, role=Role.FRONT_DOOR, team=referral.front_door)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("pro:referrals:list")
    try:
        send_mail(subject, f"{subject}.\n\nSign in to see it: {link}\n", None, recipients)
    except Exception:
        log.exception("Could not send a referral e-mail.")


@transaction.atomic
def do_view_referral(
    referral: Referral, *, acting_user: Any, request: HttpRequest, pdf: bool
) -> None:
    action = "referrals.download_pdf" if pdf else "referrals.view"
    record(action, actor=acting_user, obj=referral, request=request)


@transaction.atomic
def do_acknowledge_referral(referral: Referral, *, acting_user: Any, request: HttpRequest) -> None:
    if referral.acknowledged_at is None:
        referral.acknowledged_at = timezone.now()
        referral.acknowledged_by = acting_user
        referral.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record("referrals.acknowledge", actor=acting_user, obj=referral, request=request)


@transaction.atomic
def do_decide_referral(
    referral: Referral,
    outcome: str,
    note: str,
    *,
    reason: str = "",
    acting_user: Any,
    request: HttpRequest,
) -> ReferralDecision:
    """Record the front door's decision as a new entry; an earlier decision stays as it was."""
    now = timezone.now()
    entry = ReferralDecision.objects.create(
        referral=referral,
        outcome=outcome,
        sealed_reason=seal({"reason": reason}),
        decided_by=acting_user,
        decided_at=now,
        was_due_at=referral.decision_due_at,
    )
    if referral.acknowledged_at is None:
        referral.acknowledged_at, referral.acknowledged_by = now, acting_user
    referral.outcome, referral.outcome_at, referral.outcome_by = outcome, now, acting_user
    if note:
        contents = referral.contents
        contents["notes"].append(
            {"by": acting_user.display_name, "at": now.isoformat(), "text": note}
        )
        referral.sealed = seal(contents)
    referral.save(
        update_fields=[
            "acknowledged_at",
            "acknowledged_by",
            "outcome",
            "outcome_at",
            "outcome_by",
            "sealed",
        ]
    )
    record(
        "referrals.decide",
        actor=acting_user,
        obj=referral,
        request=request,
        data={"outcome": outcome, "entry": entry.pk},
    )
    return entry


@transaction.atomic
def do_escalate_referral(
    referral: Referral, reason: str, *, acting_user: Any, request: HttpRequest
) -> None:
    now = timezone.now()
    contents = referral.contents
    contents["notes"].append(
        {"by": acting_user.display_name, "at": now.isoformat(), "text": f"Escalated: {reason}"}
    )
    referral.sealed = seal(contents)
    referral.escalated_at = now
    referral.save(update_fields=["sealed", "escalated_at"])
    record("referrals.escalate", actor=acting_user, obj=referral, request=request)
    transaction.on_commit(lambda: _tell_front_door(referral, "A referrer has escalated a referral"))
