"""Every change to a concern: one atomic function that writes its audit entry with the change."""

import logging
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from seethesigns.accounts.models import Role, Team, User
from seethesigns.audit.actions import record
from seethesigns.concerns.models import (
    BreakGlass,
    Concern,
    ConcernChild,
    ConcernDecision,
    ConcernNote,
    OutsideShare,
    StatedUrgency,
    new_reference,
)
from seethesigns.dates import add_working_days
from seethesigns.encryption import seal

log = logging.getLogger(__name__)

BREAK_GLASS_LIFETIME = timedelta(hours=1)


def do_submit_concern(
    values: dict[str, Any], *, key: uuid.UUID, alert: bool = True
) -> tuple[Concern, bool]:
    """Store a concern once per form: a second send of the same form returns the first."""
    existing = Concern.objects.filter(submission_key=key).first()
    if existing is not None:
        return existing, False
    for _attempt in range(3):
        try:
            with transaction.atomic():
                concern = _create_concern(values, key)
            break
        except IntegrityError:
            # The same form sent twice at once: the other request stored it. Otherwise two
            # concerns drew the same reference: draw again.
            existing = Concern.objects.filter(submission_key=key).first()
            if existing is not None:
                return existing, False
    else:
        raise IntegrityError("Could not find an unused reference.")
    if alert:
        transaction.on_commit(lambda: _alert_front_door(concern))
    return concern, True


def _create_concern(values: dict[str, Any], key: uuid.UUID) -> Concern:
    now = timezone.now()
    personal = {k: v for k, v in values.items() if k not in ("reporter_kind", "urgency")}
    if values["urgency"] == StatedUrgency.NOW:
        due = now + timedelta(minutes=settings.CONCERN_DANGER_NOW_MINUTES)
    else:
        due = add_working_days(now, settings.CONCERN_DECISION_WORKING_DAYS)
    concern = Concern.objects.create(
        reference=_unused_reference(),
        submission_key=key,
        received_at=now,
        reporter_kind=values["reporter_kind"],
        stated_urgency=values["urgency"],
        sealed=seal(personal),
        team=Team.objects.filter(is_front_door=True).order_by("pk").first(),
        decision_due_at=due,
    )
    # Nothing that could identify the sender, not even their address, goes into the audit.
    record("concerns.submit", obj=concern, data={"sent_by": concern.reporter_kind})
    return concern


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        if not Concern.objects.filter(reference=reference).exists():
            return reference


def _alert_front_door(concern: Concern) -> None:
    """Tell the front door that something arrived, and nothing about what it is.

    Someone in danger right now: the team's on-duty worker is told first, in words that say so.
    """
    workers = User.objects.filter(is_active=True, role=Role.FRONT_DOOR, team__is_front_door=True)
    if concern.team_id is not None:
        workers = workers.filter(team_id=concern.team_id)
    recipients = list(workers.exclude(email="").values_list("email", flat=True))
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "pro:concerns:detail", args=[concern.reference]
    )
    if concern.danger_now:
        _alert_on_duty(concern, link)
    if not recipients:
        return
    try:
        send_mail(
            "A new concern has arrived",
            f"A new concern has arrived.\n\nSign in to see it: {link}\n",
            None,
            recipients,
        )
    except Exception:
        log.exception("Could not send the new-concern alert.")


def _alert_on_duty(concern: Concern, link: str) -> None:
    team = concern.team
    duty = team.on_duty if team is not None else None
    if duty is None or not duty.is_active or not duty.email:
        log.warning("A danger-now concern arrived and no one is on duty to tell.")
        return
    minutes = settings.CONCERN_DANGER_NOW_MINUTES
    try:
        send_mail(
            "URGENT: someone may be in danger right now",
            f"A concern has arrived that says someone is in danger right now.\n"
            f"A decision is due within {minutes} minutes.\n\nSign in to see it: {link}\n",
            None,
            [duty.email],
        )
    except Exception:
        log.exception("Could not send the danger-now alert.")


@transaction.atomic
def do_view_concern(concern: Concern, *, acting_user: User, request: HttpRequest) -> None:
    record("concerns.view", actor=acting_user, obj=concern, request=request)


@transaction.atomic
def do_triage_concern(
    concern: Concern,
    *,
    urgency: str,
    decision: str,
    reason: str = "",
    acting_user: User,
    request: HttpRequest,
) -> ConcernDecision | None:
    """Set the urgency; a new or changed decision (or a new reason) is a new decision entry.

    Earlier entries stay as they were: the table is append-only.
    """
    concern.triage_urgency = urgency
    fields = ["triage_urgency"]
    entry = None
    if decision != concern.decision or reason:
        now = timezone.now()
        entry = ConcernDecision.objects.create(
            concern=concern,
            decision=decision,
            urgency=urgency,
            sealed_reason=seal({"reason": reason}),
            decided_by=acting_user,
            decided_at=now,
            was_due_at=concern.decision_due_at,
        )
        concern.decision = decision
        concern.decided_at = now if decision else None
        concern.decided_by = acting_user if decision else None
        fields += ["decision", "decided_at", "decided_by"]
    concern.save(update_fields=fields)
    data: dict[str, Any] = {"urgency": urgency, "decision": decision}
    if entry is not None:
        data["entry"] = entry.pk
    record("concerns.triage", actor=acting_user, obj=concern, request=request, data=data)
    return entry


@transaction.atomic
def do_add_note(concern: Concern, text: str, *, acting_user: User, request: HttpRequest) -> None:
    note = ConcernNote.objects.create(
        concern=concern, author=acting_user, sealed=seal({"text": text})
    )
    record("concerns.note", actor=acting_user, obj=concern, request=request, data={"note": note.pk})


@transaction.atomic
def do_assign_concern(
    concern: Concern, assignee: User | None, *, acting_user: User, request: HttpRequest
) -> None:
    concern.assigned_to = assignee
    concern.save(update_fields=["assigned_to"])
    data = {"assigned_to": assignee.username if assignee else None}
    record("concerns.assign", actor=acting_user, obj=concern, request=request, data=data)


@transaction.atomic
def do_share_concern(
    concern: Concern, person: User, *, acting_user: User, request: HttpRequest
) -> None:
    concern.shared_with.add(person)
    data = {"shared_with": person.username}
    record("concerns.share", actor=acting_user, obj=concern, request=request, data=data)


@transaction.atomic
def do_restrict_concern(
    concern: Concern, named: list[User], *, acting_user: User, request: HttpRequest
) -> None:
    """Restrict to the named people; the person restricting it stays named."""
    people = {*named, acting_user}
    concern.restricted = True
    concern.save(update_fields=["restricted"])
    concern.named_people.set(people)
    data = {"named": sorted(p.username for p in people)}
    record("concerns.restrict", actor=acting_user, obj=concern, request=request, data=data)


@transaction.atomic
def do_break_glass(
    concern: Concern, reason: str, *, acting_user: User, request: HttpRequest
) -> BreakGlass:
    now = timezone.now()
    grant = BreakGlass.objects.create(
        concern=concern,
        user=acting_user,
        sealed_reason=seal({"reason": reason}),
        granted_at=now,
        expires_at=now + BREAK_GLASS_LIFETIME,
    )
    record(
        "concerns.break_glass",
        actor=acting_user,
        obj=concern,
        request=request,
        data={"grant": grant.pk, "until": grant.expires_at.isoformat()},
    )
    transaction.on_commit(lambda: _alert_dpo(acting_user))
    return grant


def _alert_dpo(user: User) -> None:
    recipients = list(
        User.objects.filter(is_active=True, role=Role.DPO)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        log.warning("Break-glass access was used and there is no DPO to tell.")
        return
    audit = reverse("pro:audit:search") + "?action=concerns.break_glass"
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + audit
    try:
        send_mail(
            "Break-glass access was used",
            f"{user.display_name} used break-glass access to a restricted record.\n\n"
            f"Read the reason they gave in the audit: {link}\n",
            None,
            recipients,
        )
    except Exception:
        log.exception("Could not send the break-glass alert.")


@transaction.atomic
def do_link_concern_to_child(
    concern: Concern, child: Any, referral: Any, *, acting_user: User, request: HttpRequest
) -> ConcernChild:
    """Say the concern is about this child (found through a record or a referral)."""
    link, made = ConcernChild.objects.get_or_create(
        concern=concern,
        child=child,
        defaults={"referral": referral, "linked_by": acting_user},
    )
    if made:
        data = {"child": child.pk, "referral": referral.pk if referral else None}
        record("concerns.link_child", actor=acting_user, obj=concern, request=request, data=data)
    return link


@transaction.atomic
def do_take_duty(team: Team, *, acting_user: User, request: HttpRequest) -> None:
    """A front-door worker says they are on duty: danger-now alerts come to them."""
    team.on_duty = acting_user
    team.save(update_fields=["on_duty"])
    record("concerns.take_duty", actor=acting_user, obj=team, request=request)


@transaction.atomic
def do_share_outside(
    concern: Concern, values: dict[str, Any], *, acting_user: User, request: HttpRequest
) -> OutsideShare:
    """Record a decision to share a concern outside the partnership, with its reasons.

    What was shared and why may name the child: sealed, and kept out of the audit entry, which
    says only that it happened, to which front door (if one), and whether consent was asked."""
    share = OutsideShare.objects.create(
        concern=concern,
        front_door=values.get("front_door"),
        consent=values["consent"],
        sealed=seal(
            {
                "agency": values.get("agency", "").strip(),
                "what": values["what"],
                "consent_reason": values.get("consent_reason", ""),
                "reason": values["reason"],
            }
        ),
        shared_by=acting_user,
    )
    data = {
        "outside_share": share.pk,
        "front_door": share.front_door_id,
        "consent": share.consent,
    }
    record("concerns.share_outside", actor=acting_user, obj=concern, request=request, data=data)
    return share
